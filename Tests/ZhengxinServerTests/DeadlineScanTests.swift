import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// 期限提醒: the daily deadline scan, the inbox and the overdue list.
@Suite("Deadline scan")
struct DeadlineScanTests {
    @Test("only a serving process starts the daily sweep; restore, scan and migrate boot without it")
    func sweepOnlyWhenServing() {
        #expect(DailyScanLifecycle.isServing(["zhengxin"]))
        #expect(DailyScanLifecycle.isServing(["zhengxin", "serve", "--port", "8080"]))
        #expect(DailyScanLifecycle.isServing(["zhengxin", "--env", "production"]))
        for command in ["restore", "scan", "migrate", "audit-verify", "seed-demo"] {
            #expect(!DailyScanLifecycle.isServing(["zhengxin", command]), "\(command)")
        }
    }

    @Test("the scan raises reminders once, resolves them, and runs once a day", arguments: Backend.all)
    func scan(_ backend: Backend) async throws {
        try await TestWorld.with(backend, at: CivilDate(2026, 6, 10)) { world in
            var draft = Walk(world)
            try await draft.create(Walk.draft(yuan: 1_000_000, planYear: 2027))
            let first = try await DeadlineScanner.run(world.app)
            #expect(first.raised == 1)
            #expect(try await DeadlineScanner.run(world.app).raised == 0)
            let inbox = try await world.call(.GET, "/api/v1/inbox", as: "unitA")
            #expect(inbox.array.count == 1)
            #expect((inbox.array.first as? [String: Any])?["kind"] as? String == "declarationWindow")
            #expect((inbox.array.first as? [String: Any])?["article"] as? String == "第七条")
            #expect(try await world.call(.GET, "/api/v1/inbox", as: "unitB").array.isEmpty)
            #expect(try await world.call(.GET, "/api/v1/inbox", as: "drc").array.isEmpty)
            try await world.must(draft.projectId, "declare", as: "unitA")
            #expect(try await DeadlineScanner.run(world.app).resolved == 1)
            #expect(try await world.call(.GET, "/api/v1/inbox", as: "unitA").array.isEmpty)
            // Two processes claiming the same day: one wins.
            let claims = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<2 { group.addTask { try await DeadlineScanner.claimToday(world.app) } }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(claims.filter { $0 }.count == 1)
            #expect(try await DeadlineScanner.runDaily(world.app) == nil)
        }
    }

    @Test("acceptance overdue after completion + 6 months: the unit, DRC and FIN are told", arguments: Backend.all)
    func acceptanceOverdue(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            try await world.must(w.projectId, "record-completion", as: "unitA", ["completedOn": w.today])
            let completed = world.clock.now.beijingDate
            world.clock.set(completed.addingMonths(6))
            _ = try await DeadlineScanner.run(world.app)
            let upcoming = try await world.call(.GET, "/api/v1/inbox", as: "unitA").array.compactMap { $0 as? [String: Any] }
            #expect(upcoming.map { $0["status"] as? String } == ["upcoming"])
            #expect(try await world.call(.GET, "/api/v1/overdue", as: "fin").array.isEmpty)
            world.clock.set(completed.addingMonths(6).addingDays(1))
            let result = try await DeadlineScanner.run(world.app)
            #expect(result.raised == 1 && result.resolved == 1)
            for user in ["unitA", "drc", "fin"] {
                let items = try await world.call(.GET, "/api/v1/inbox", as: user).array.compactMap { $0 as? [String: Any] }
                #expect(items.map { $0["rule"] as? String } == ["R-ACC-4"], "\(user)")
            }
            #expect(try await world.call(.GET, "/api/v1/inbox", as: "bdb").array.isEmpty)
            #expect(try await world.call(.GET, "/api/v1/overdue", as: "aud").array.count == 1)
            #expect(try await world.call(.GET, "/api/v1/overdue", as: "unitB").array.isEmpty)
        }
    }
}
