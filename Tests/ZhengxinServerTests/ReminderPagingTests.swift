import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
import ZhengxinCore

@testable import ZhengxinServer

/// The inbox and the overdue list are paged (a city's DRC has tens of thousands of open marks): a
/// capped page in due-date order, the total in X-Total-Count, the caller's scope applied in SQL.
@Suite("Inbox and overdue list, paged")
struct ReminderPagingTests {
    static func mark(
        _ n: Int, project: String, unit: UUID, status: String = "overdue", audience: String = "DRC,UNIT", resolved: Bool = false
    ) -> ReminderModel {
        let r = ReminderModel()
        r.id = UUID()
        r.key = "paging-\(project)-\(n)"
        r.projectId = UUID(uuidString: project)!
        r.unitId = unit
        r.kind = DeadlineKind.declarationWindow.rawValue
        r.ref = ""
        r.dueOn = CivilDate(2026, 1, 1).addingDays(n).description
        r.status = status
        r.audience = audience
        r.rule = "R-DEC-1"
        r.article = "第七条"
        r.message = "提醒\(n)"
        r.raisedAt = 0
        r.resolvedAt = resolved ? 1 : nil
        return r
    }

    /// The page's items and the X-Total-Count header.
    static func page(_ world: TestWorld, _ path: String, as user: String) async throws -> (
        status: HTTPStatus, items: [[String: Any]], total: Int?
    ) {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: world.tokens[user]!)
        let response = try await world.app.testing().sendRequest(.GET, path, headers: headers)
        let items = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [[String: Any]] ?? []
        return (response.status, items, response.headers.first(name: "X-Total-Count").flatMap(Int.init))
    }

    @Test("120 marks in pages of 50, 50 and 20, oldest first; resolved, unaddressed and unnamed 涉密 marks left out", arguments: Backend.all)
    func pagesInDueOrder(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var open = Walk(world)
            try await open.create(Walk.draft(yuan: 1_000_000))
            var secret = Walk(world, unit: "unitB")
            try await secret.create(Walk.draft(name: "涉密项目", yuan: 1_000_000, extra: ["classified": true]))
            let unitA = world.orgId(of: "unitA"), unitB = world.orgId(of: "unitB")
            for n in (0..<120).shuffled() { try await Self.mark(n, project: open.projectId, unit: unitA).create(on: world.app.db) }
            for n in 200..<205 { try await Self.mark(n, project: open.projectId, unit: unitA, resolved: true).create(on: world.app.db) }
            for n in 300..<307 { try await Self.mark(n, project: secret.projectId, unit: unitB).create(on: world.app.db) }
            for n in 400..<403 {
                try await Self.mark(n, project: open.projectId, unit: unitA, status: "upcoming", audience: "UNIT").create(on: world.app.db)
            }

            var seen: [String] = []
            for (number, size) in [(1, 50), (2, 50), (3, 20), (4, 0)] {
                let page = try await Self.page(world, "/api/v1/overdue?page=\(number)", as: "drc")
                #expect(page.status == .ok)
                #expect(page.total == 120, "the unnamed 涉密 project's marks and resolved ones are not counted")
                #expect(page.items.count == size, "page \(number)")
                seen += page.items.compactMap { $0["dueOn"] as? String }
            }
            #expect(seen == (0..<120).map { CivilDate(2026, 1, 1).addingDays($0).description }, "every mark once, oldest first")
            let inbox = try await Self.page(world, "/api/v1/inbox?perPage=200", as: "drc")
            #expect(
                inbox.total == 120 && inbox.items.count == 120, "\(String(describing: inbox.total)) \(inbox.items.count) \(inbox.status)")
            #expect(try await Self.page(world, "/api/v1/inbox", as: "fin").total == 0, "addressed to DRC and the unit only")
            let unitInbox = try await Self.page(world, "/api/v1/inbox?perPage=10", as: "unitA")
            #expect(unitInbox.total == 123 && unitInbox.items.count == 10)
            #expect(try await Self.page(world, "/api/v1/overdue", as: "unitB").total == 7, "its own 涉密 project, named as its creator")
            let named = try await Self.page(world, "/api/v1/overdue", as: "unitB").items.first?["projectName"] as? String
            #expect(named == "涉密项目", "the real name to those named on it")
            for bad in ["perPage=201", "perPage=0", "page=0", "page=9223372036854775807", "page=x"] {
                #expect(try await Self.page(world, "/api/v1/overdue?\(bad)", as: "drc").status == .badRequest, "\(bad)")
            }
        }
    }
}
