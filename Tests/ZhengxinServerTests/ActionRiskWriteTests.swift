import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinBench
@testable import ZhengxinServer

/// An action that does not move a project's 风险评级 leaves the stored rating as it stands, but only
/// when the stored one already says what the record rates today (ProjectRiskStore.holds): a missing
/// rating is stored, an out-of-date one replaced, by the action and under its name.
@Suite("Risk ratings written by actions")
struct ActionRiskWriteTests {
    /// (level, points, rated_on) stored, and how many history rows the project has.
    static func stored(_ id: UUID, on db: any Database) async throws -> (row: (Int, Int, String)?, history: Int, cause: String?) {
        let row = try await PlainRows.all(
            SQLQueryString("SELECT level, points, rated_on FROM project_risks WHERE project_id = \(bind: id)"), on: db
        ).first.map { (try $0.int(0), try $0.int(1), try $0.text(2)) }
        let history = try await PlainRows.all(
            SQLQueryString("SELECT cause FROM project_risk_changes WHERE project_id = \(bind: id) ORDER BY changed_at DESC, id DESC"),
            on: db)
        return (row, history.count, try history.first?.text(0))
    }

    @Test("a missing or out-of-date rating is stored by the next action; a current one is left as it is", arguments: Backend.all)
    func storedWhenNotCurrent(_ backend: Backend) async throws {
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: SeedBenchTests.now) { app in
                _ = try await BenchPortfolio.seed(app, projects: 30, seed: 7, units: 3, today: SeedBenchTests.today)
                let records = try await ProjectRow.all(on: app.db).map { try $0.decoded() }
                let target = try #require(records.first { !$0.classified && !$0.sharing.activeEntries.isEmpty && $0.stage == .operating })
                let drcUser = try #require(try await UserModel.query(on: app.db).filter(\.$username == "drc").first())
                let drc = Actor(
                    userId: drcUser.id!, displayName: drcUser.displayName, organisationId: drcUser.$organisation.id, organisationType: .drc,
                    roles: [.staff])
                let book = try await PolicyStore.book(on: app.db)
                let today = SeedBenchTests.now().beijingDate
                let fresh = RiskAssessment.rate(target, today: today, policy: book.governing(target, today: today))
                func feedback(_ i: Int) async throws {
                    let body = try TwoServerTests.feedback(target, i)
                    _ = try await ProjectActionRunner.run(
                        "record-sharing-feedback", on: target.id, by: drc, at: SeedBenchTests.now(), client: "t", app: app
                    ) { Lifecycle.perform(action: "record-sharing-feedback", body: body, on: $0, $1)! }
                }
                let sql = app.db as! any SQLDatabase

                // No rating stored: the action stores one, and the history says the action did.
                try await sql.raw("DELETE FROM project_risks WHERE project_id = \(bind: target.id)").run()
                let beforeMissing = try await Self.stored(target.id, on: app.db).history
                try await feedback(1)
                let restored = try await Self.stored(target.id, on: app.db)
                #expect(restored.row.map { ($0.0, $0.1) } ?? (-1, -1) == (fresh.level, fresh.points))
                #expect(restored.history == beforeMissing + 1 && restored.cause == "record-sharing-feedback")

                // A stored rating that is not what the record rates today: replaced by the next action.
                try await sql.raw(
                    "UPDATE project_risks SET points = points + 7, rated_on = '2000-01-01' WHERE project_id = \(bind: target.id)"
                )
                .run()
                try await feedback(2)
                let repaired = try await Self.stored(target.id, on: app.db)
                #expect(repaired.row.map { ($0.0, $0.1, $0.2) } ?? (-1, -1, "") == (fresh.level, fresh.points, today.description))
                #expect(repaired.history == restored.history + 1 && repaired.cause == "record-sharing-feedback")

                // Current already: the action writes nothing for the rating (its day stays the one stored).
                try await sql.raw("UPDATE project_risks SET rated_on = '2000-01-02' WHERE project_id = \(bind: target.id)").run()
                try await feedback(3)
                let kept = try await Self.stored(target.id, on: app.db)
                #expect(kept.row.map { ($0.0, $0.1, $0.2) } ?? (-1, -1, "") == (fresh.level, fresh.points, "2000-01-02"))
                #expect(kept.history == repaired.history)
                #expect(try await AuditRecorder.verify(on: app.db).problem == nil)
            }
        }
    }
}
