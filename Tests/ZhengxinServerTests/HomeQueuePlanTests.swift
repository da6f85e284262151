import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// The plans of the home queue's statements (HomeQueue.walk and counts), on both databases, over
/// QueryPlanTests' seeded projects with waiting rows of every owner, and with its checks: each walk
/// reads an owner's index in order and stops at its LIMIT, each count reads only that index — never
/// the whole table, never a sort — for every agency (with and without 涉密 rows it is named on) and a unit.
@Suite("Query plans of the home queue")
struct HomeQueuePlanTests {
    @Test("every queue statement reads through an owner's index, in order", arguments: Backend.all)
    func queueStatements(_ backend: Backend) async throws {
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: { Instant(beijing: CivilDate(2026, 11, 1), hour: 10) }) { app in
                let seeded = try await QueryPlanTests.seed(app.db)
                try await Self.seedWaiting(seeded, on: app.db)
                var findings: [QueryPlanTests.Finding] = []
                let named = ProjectListing.Scope.rows(classifiedVisible: Array(seeded.classified.prefix(3)))
                let tables: Set<String> = ["project_waiting"]
                var checked = 0
                var callers: [(String, Actor)] = [("unit", seeded.unit)]
                for organisation in [OrganisationType.drc, .fin, .bdb, .aud] {
                    let agency = Actor(
                        userId: UUID(), displayName: "a", organisationId: seeded.drc.organisationId, organisationType: organisation,
                        roles: [.staff])
                    callers.append((organisation.rawValue, agency))
                }
                for (who, actor) in callers {
                    for (label, scope) in [("", ProjectListing.Scope.rows(classifiedVisible: [])), (", named on 涉密", named)] {
                        for own in actor.organisationType == .unit ? [false] : [false, true] {
                            findings += try await QueryPlanTests.check(
                                HomeQueue.walk(scope: scope, actor: actor, own: own, limit: 10), "\(who)\(label): walk own=\(own)",
                                allowSort: false, tables: tables, on: app.db)
                            checked += 1
                        }
                        for (i, count) in HomeQueue.counts(scope: scope, actor: actor).enumerated() {
                            findings += try await QueryPlanTests.check(
                                count, "\(who)\(label): count \(i + 1)", allowSort: false, tables: tables, on: app.db)
                            checked += 1
                        }
                    }
                }
                #expect(checked == 36)
                for finding in findings { Issue.record("\(finding)") }
            }
        }
    }

    /// Rows for the seeded projects: each waits on one owner in turn, every fifth agency row on the
    /// seeded agency alone (a finding's review), dated a minute apart.
    static func seedWaiting(_ seeded: QueryPlanTests.Seeded, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        let owners: [OrganisationType] = [.drc, .fin, .bdb, .aud, .unit]
        let projects = try await PlainRows.all(SQLQueryString("SELECT id, unit_id, classified FROM projects ORDER BY code"), on: db)
        for (i, p) in projects.enumerated() {
            let owner = owners[i % owners.count]
            let organisation = owner != .unit && i % 5 == 0 ? UUIDText.string(seeded.drc.organisationId) : ""
            let line = ProjectWaitingRow.Line(code: "ZZ-\(i)", name: "项目\(i)", stage: Stage.reserve.rawValue, matters: [])
            try await sql.raw(
                """
                INSERT INTO project_waiting (project_id, owner_type, owner_org, unit_id, classified, since, line)
                VALUES (\(bind: try p.uuid(0)), \(bind: owner.rawValue), \(bind: organisation), \(bind: try p.uuid(1)),
                  \(bind: try p.bool(2)), \(bind: Int64(1_760_000_000 + i * 60)), \(bind: try ProjectWaitingRow.storedLine(line, classified: false)))
                """
            ).run()
        }
        if sql.dialect.name == "postgresql" { try await sql.raw("ANALYZE project_waiting").run() }
    }
}
