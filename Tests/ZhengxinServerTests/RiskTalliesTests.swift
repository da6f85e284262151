import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// The 风险等级 counts come from risk_tallies (AddRiskTallies): kept by triggers as ratings are
/// written, moved and deleted, equal to what the ranked list lists for every caller and filter
/// (涉密 ratings only for those named on them), and checked by audit-verify. On both databases.
@Suite("Risk tallies")
struct RiskTalliesTests {
    @Test("counts equal the listed ratings for every caller and filter, follow every change, and are verified", arguments: Backend.all)
    func followRatings(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let k = try await ReportPagesTests.known(world)
            let sql = world.app.db as! any SQLDatabase
            let unitB = world.orgId(of: "unitB").uuidString
            let paths = [
                "/api/v1/risks", "/api/v1/risks?year=2028", "/api/v1/risks?unitId=\(unitB)", "/api/v1/risks?level=1",
                "/api/v1/risks?level=5", "/api/v1/risks?year=2028&level=5",
            ]
            /// Every caller's count for every filter, each equal to the rows the list returns.
            func counts() async throws -> [String: Int] {
                var found: [String: Int] = [:]
                for user in ["drc", "unitA", "unitA2", "unitB"] {
                    for path in paths {
                        let reply = try await PagingTests.get(world, path + (path.contains("?") ? "&" : "?") + "perPage=200", as: user)
                        #expect(reply.status == .ok, "\(user) \(path)")
                        #expect(
                            reply.total == reply.items.count, "\(user) \(path): counted \(reply.total ?? -1), listed \(reply.items.count)")
                        found["\(user) \(path)"] = reply.total
                    }
                }
                return found
            }
            var before = try await counts()
            #expect(before["drc /api/v1/risks"] == 2)  // the 涉密 draft is counted only for those named on it
            #expect(before["unitA /api/v1/risks"] == 2)
            #expect(before["unitA2 /api/v1/risks"] == 1)
            #expect(before["unitB /api/v1/risks?year=2028"] == 1)
            #expect(try await RiskTallies.drift(on: world.app.db) == 0)

            // A rating moved to level 5 (as a rating written by an action or the scan) moves the counts.
            for id in [k.other, k.secret] {
                try await sql.raw("UPDATE project_risks SET level = 5, points = 9 WHERE project_id = \(bind: UUID(uuidString: id)!)").run()
            }
            before = try await counts()
            #expect(before["drc /api/v1/risks?level=5"] == 1)
            #expect(before["drc /api/v1/risks?year=2028&level=5"] == 1)
            #expect(before["unitA /api/v1/risks?level=5"] == 1)
            #expect(before["unitA2 /api/v1/risks?level=5"] == 0)
            #expect(try await RiskTallies.drift(on: world.app.db) == 0)

            // The report's distribution reads the same tallies.
            let drc = Actor(
                userId: UUID(), displayName: "drc", organisationId: world.orgId(of: "drc"), organisationType: .drc, roles: [.staff])
            let distribution = try await RiskTallies.counts(unitId: nil, planYear: nil, actor: drc, visible: [], on: world.app.db)
            #expect(RiskTallies.byLevel(distribution)[4] == 1)

            // A deleted rating leaves its tally; a tally changed by hand is found by audit-verify.
            try await sql.raw("DELETE FROM project_risks WHERE project_id = \(bind: UUID(uuidString: k.other)!)").run()
            #expect(try await counts()["drc /api/v1/risks?level=5"] == 0)
            #expect(try await RiskTallies.drift(on: world.app.db) == 0)
            try await sql.raw("UPDATE risk_tallies SET projects = projects + 2").run()
            #expect(try await RiskTallies.drift(on: world.app.db) > 0)
            let report = try await AuditRecorder.verify(on: world.app.db)
            guard case .riskTalliesDiffer = report.problem else {
                Issue.record("audit-verify should name the risk tallies: \(report.message)")
                return
            }
            #expect(report.message.contains("risk_tallies"))
        }
    }
}
