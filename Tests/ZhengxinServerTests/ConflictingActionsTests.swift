import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// Simultaneous conflicting actions on one project: one wins, the other changes nothing.
@Suite("Two requests that conflict on one project")
struct ConflictingActionsTests {
    @Test("two simultaneous conflicting actions: exactly one wins, nothing half-written", arguments: Backend.all)
    func concurrentDisbursements(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            // Plans are half the budget, a quarter already paid: two payments of 60% of what remains cannot both fit.
            let remaining: Int64 = 800_000_000 / 2 - 800_000_000 / 4
            let amount = remaining * 6 / 10
            let before = try await world.call(.GET, "/api/v1/projects/\(w.projectId)/audit", as: "aud").array.count
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for i in 0..<2 {
                    group.addTask {
                        try await world.act(
                            w.projectId, "disburse", as: "fin", ["amountFen": amount, "paidOn": w.today, "voucherNumber": "RACE-\(i)"]
                        ).status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1)
            #expect(statuses.filter { $0 == .unprocessableEntity }.count == 1)
            let view = try await w.project()
            #expect((view.project["disbursements"] as? [Any])?.count == 2)
            let audit = try await world.call(.GET, "/api/v1/projects/\(w.projectId)/audit", as: "aud").array.compactMap {
                $0 as? [String: Any]
            }
            #expect(audit.count == before + 2)
            #expect(audit.suffix(2).compactMap { $0["result"] as? String }.sorted() == ["accepted", "refused"])

            // Two declarations of one draft at once: one wins, the other is out of order.
            var d = Walk(world)
            try await d.create(Walk.draft(yuan: 1_000_000, source: "municipalDecision"))
            let draftId = d.projectId
            let declares = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<2 { group.addTask { try await world.act(draftId, "declare", as: "unitA").status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(declares.sorted { $0.code < $1.code } == [.ok, .conflict])
            #expect(try await AuditRecorder.verify(on: world.app.db).firstBroken == nil)
        }
    }
}
