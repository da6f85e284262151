import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// The report's tallies add amounts in 64 bits. One amount is capped at 10万亿元 (Policy.maximumAmount),
/// but their sum is not: ~9,224 declarations at the cap in one unit's (stage, year, tier) group pass
/// Int64. A write that would carry a group's sum past it is refused with a clear error and changes
/// nothing, on both databases alike; and the city's report, which adds the groups of every unit, still
/// answers (its figures saturate at the largest amount instead of failing the page).
@Suite("Tally sums at the 64-bit limit")
struct TallySumLimitTests {
    static let capFen: Int64 = Policy.zhengzhou2020.maximumAmount.value

    static func requested(_ world: TestWorld, unit: String) async throws -> Int64 {
        let rows = try await PlainRows.all(
            SQLQueryString(
                """
                SELECT requested FROM project_tallies WHERE unit_id = \(bind: world.orgId(of: unit)) AND stage = 'draft' AND tier = 3
                  AND plan_year = 2027 AND classified = \(bind: false)
                """), on: world.app.db)
        return try #require(rows.first).int64(0)
    }

    @Test("a group's sum past Int64 is refused, changing nothing; the city's report still answers", arguments: Backend.all)
    func groupSumLimit(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let sql = world.app.db as! any SQLDatabase
            var first = Walk(world)
            try await first.create(Walk.draft(yuan: 100_000_000))  // 1亿元: tier 3
            // As if ~9,223 declarations at the cap stood in unitA's group, written behind the server's
            // back: one more at the cap would pass Int64.max by one fen.
            let brink = Int64.max - Self.capFen + 1
            try await sql.raw("UPDATE project_tallies SET requested = \(bind: brink) WHERE unit_id = \(bind: world.orgId(of: "unitA"))")
                .run()
            let projects = try await MigrationLog.count("projects", on: world.app.db)
            let entries = try await MigrationLog.count("audit_entries", on: world.app.db)

            let refused = try await world.call(
                .POST, "/api/v1/projects", as: "unitA", json: Walk.draft(name: "城市大脑", yuan: Self.capFen / 100))
            #expect(refused.status == .unprocessableEntity, "\(refused.status) \(refused.object)")
            #expect(refused.errorCode == "AMOUNT_TOTAL_OUT_OF_RANGE")
            #expect(try await MigrationLog.count("projects", on: world.app.db) == projects)
            #expect(try await MigrationLog.count("audit_entries", on: world.app.db) == entries)
            #expect(try await Self.requested(world, unit: "unitA") == brink)

            // One yuan under the cap fits exactly: the group's sum is Int64.max less 99 fen, stored exactly.
            var second = Walk(world)
            try await second.create(Walk.draft(name: "城市大脑", yuan: Self.capFen / 100 - 1))
            #expect(try await Self.requested(world, unit: "unitA") == Int64.max - 99)

            // Another unit's group of the same stage, year and tier: their sum across units passes Int64.
            var other = Walk(world, unit: "unitB")
            try await other.create(Walk.draft(name: "智慧教育平台", yuan: 100_000_000))
            try await sql.raw(
                "UPDATE project_tallies SET requested = \(bind: Int64.max / 2) WHERE unit_id = \(bind: world.orgId(of: "unitB"))"
            ).run()
            for path in ["/reports", "/reports/by-stage.csv", "/reports/by-unit.csv", "/reports/by-tier.xlsx"] {
                let page = try await ReportPagesTests.get(world, path, as: "drc")
                #expect(page.status == .ok, "\(path): \(page.status)")
            }
            let byUnit = try await ReportPagesTests.csvLines(world, "/reports/by-unit.csv", as: "drc").joined(separator: "\n")
            #expect(byUnit.contains(CSVDocument.yuan(Fen(Int64.max - 99))), "\(byUnit)")
            let byStage = try await ReportPagesTests.csvLines(world, "/reports/by-stage.csv", as: "drc").joined(separator: "\n")
            #expect(byStage.contains(CSVDocument.yuan(Fen(Int64.max))), "\(byStage)")

            // Leaving the group takes exactly what joined it.
            try await sql.raw("DELETE FROM projects WHERE id = \(bind: UUID(uuidString: second.projectId)!)").run()
            #expect(try await Self.requested(world, unit: "unitA") == Int64.max - 99 - (Self.capFen - 100))
        }
    }

    @Test("SQLite: a tally that already became a REAL is made again from the projects by the migration")
    func realTallyRebuilt() async throws {
        try await TestWorld.with(.sqlite) { world in
            let sql = world.app.db as! any SQLDatabase
            var first = Walk(world)
            try await first.create(Walk.draft(yuan: 100_000_000))
            #expect(try await ProjectTallies.drift(on: world.app.db).isEmpty)
            // As SQLite's unguarded addition left a sum past Int64.
            try await sql.raw("UPDATE project_tallies SET requested = 1.0e19 WHERE projects > 0").run()
            #expect(try await !ProjectTallies.drift(on: world.app.db).isEmpty)
            try await GuardTallySums().prepare(on: world.app.db)
            #expect(try await ProjectTallies.drift(on: world.app.db).isEmpty)
            #expect(try await Self.requested(world, unit: "unitA") == 10_000_000_000)
        }
    }
}
