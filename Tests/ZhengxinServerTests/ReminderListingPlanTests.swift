import Fluent
import Foundation
import SQLKit
import Testing
import ZhengxinCore

@testable import ZhengxinServer

/// The statements behind the overdue list, the inbox, the home page's overdue list and the report's
/// (ReminderListing) read marks through their partial indexes on both databases: no whole table read,
/// and no sort of the marks a page stops in, for an agency, a unit, a vendor and with placeholders.
@Suite("Query plans of the reminder listing")
struct ReminderListingPlanTests {
    @Test("every listing's page and counts read through an index, in due order", arguments: Backend.all)
    func listingPlans(_ backend: Backend) async throws {
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: { Instant(beijing: CivilDate(2026, 11, 1), hour: 10) }) { app in
                let s = try await QueryPlanTests.seed(app.db)
                let sql = app.db as! any SQLDatabase
                // Three marks per project: overdue (for units and DRC), due (for units), upcoming (resolved).
                let projects = try await PlainRows.all(SQLQueryString("SELECT id, unit_id FROM projects"), on: app.db)
                for (i, row) in projects.enumerated() {
                    let (project, unit) = (try row.uuid(0), try row.uuid(1))
                    for (n, status, audience, resolved) in [
                        (0, "overdue", "UNIT,DRC", Int64?.none), (1, "due", "UNIT", nil), (2, "upcoming", "UNIT", Int64(1)),
                    ] {
                        try await sql.raw(
                            """
                            INSERT INTO reminders (id, key, project_id, unit_id, kind, ref, due_on, status, audience, rule, article,
                              message, raised_at, resolved_at)
                            VALUES (\(bind: UUID()), \(bind: "\(project)|k\(n)"), \(bind: project), \(bind: unit), 'acceptanceDeadline',
                              '', \(bind: String(format: "2026-%02d-%02d", 1 + i % 12, 1 + i % 28)), \(bind: status), \(bind: audience),
                              'R-ACC-4', '第二十二条', '逾期', 1760000000, \(bind: resolved))
                            """
                        ).run()
                    }
                }
                if sql.dialect.name == "postgresql" {
                    try await sql.raw("VACUUM reminders").run()
                    try await sql.raw("ANALYZE").run()
                }
                let named = Array(s.classified.prefix(2))
                let cases: [(String, ReminderListing.Filter, Actor, ReminderListing.Visibility)] = [
                    ("agency overdue", .init(listing: .overdue), s.drc, .scoped(.rows(classifiedVisible: []))),
                    ("agency overdue, named on 涉密 rows", .init(listing: .overdue), s.drc, .scoped(.rows(classifiedVisible: named))),
                    (
                        "agency overdue of one unit", .init(listing: .overdue, unitId: s.units[3]), s.drc,
                        .scoped(.rows(classifiedVisible: []))
                    ),
                    ("unit overdue", .init(listing: .overdue), s.unit, .scoped(.rows(classifiedVisible: named))),
                    ("unit inbox", .init(listing: .inbox(.unit)), s.unit, .scoped(.rows(classifiedVisible: []))),
                    ("agency inbox", .init(listing: .inbox(.drc)), s.drc, .scoped(.rows(classifiedVisible: []))),
                    (
                        "vendor overdue", .init(listing: .overdue), s.vendor,
                        .scoped(.contracted(organisation: s.vendor.organisationId, classifiedVisible: []))
                    ),
                    ("report, agency", .init(listing: .overdue), s.drc, .placeholders),
                    ("report, unit", .init(listing: .overdue), s.unit, .placeholders),
                    ("report, a year", .init(listing: .overdue, planYear: 2025), s.drc, .placeholders),
                ]
                let tables: Set<String> = ["projects", "reminders", "p", "r"]
                var findings: [QueryPlanTests.Finding] = []
                for (name, filter, actor, visibility) in cases {
                    let statements = ReminderListing.Statements(filter, for: actor, visibility, dialect: sql.dialect.name)
                    // A vendor's marks are found by its contracts' ids and sorted (ReminderListing.Statements.page);
                    // a year's by the year's projects. The outer scan of a vendor's page is its own subquery, `r`.
                    let vendor = !statements.walkIndex
                    for (page, offset) in [("first page", 0), ("page 3", 100)] {
                        findings += try await QueryPlanTests.check(
                            statements.page(limit: 50, offset: offset), "\(name), \(page)", allowSort: filter.planYear != nil || vendor,
                            tables: vendor ? ["projects", "reminders", "p"] : tables, on: app.db)
                    }
                    if let scope = statements.yearScope {
                        findings += try await QueryPlanTests.check(
                            "SELECT COUNT(*) AS n" + scope, "\(name), count", allowSort: true, tables: tables, on: app.db)
                    } else if statements.walkIndex {
                        if let withheld = statements.withheldCount {
                            findings += try await QueryPlanTests.check(
                                withheld, "\(name), withheld", allowSort: true, tables: tables, on: app.db)
                        }
                    } else {
                        findings += try await QueryPlanTests.check(
                            statements.contractedCount, "\(name), count", allowSort: true, tables: tables, on: app.db)
                    }
                }
                for finding in findings { Issue.record("\(finding)") }
                // The statements answer what they say: a unit's report lists its open overdue marks, oldest
                // first (unit 3 holds no 涉密 project, whose seeded records are no real seals).
                let report = try await ReminderListing.page(
                    .init(listing: .overdue, unitId: s.units[3]), limit: 50, for: s.drc, .placeholders, on: app.db)
                #expect(report.total == projects.count / 20 && report.rows.count == projects.count / 20)
                #expect(report.rows.map(\.dueOn) == report.rows.map(\.dueOn).sorted())
            }
        }
    }
}
