import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// The plans of the ranked 风险评级 list (RiskListing), on both databases, with QueryPlanTests'
/// checks: each page reads a rank index of CreateProjectRisks in order and stops at its LIMIT,
/// never the whole table and never a sort of the rows it pages through.
@Suite("Query plans of the risk list")
struct RiskQueryPlanTests {
    @Test("every page of the ranked list reads a rank index in order", arguments: Backend.all)
    func rankedList(_ backend: Backend) async throws {
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: { Instant(beijing: CivilDate(2026, 11, 1), hour: 10) }) { app in
                let units = (0..<20).map { _ in UUID() }
                var rows: [ProjectRiskRow] = []
                var classified: [UUID] = []
                for i in 0..<3_000 {
                    let id = UUID()
                    if i % 20 == 19 { classified.append(id) }
                    let points = (i * 7) % 11
                    rows.append(
                        ProjectRiskRow(
                            projectId: id, unitId: units[i % units.count], classified: i % 20 == 19, stage: Stage.constructing.rawValue,
                            planYear: 2024 + i % 3,
                            rating: RiskRating(storedLevel: RiskAssessment.level(forPoints: points), points: points, reasons: []),
                            ratedOn: CivilDate(2026, 11, 1), reviewOn: nil))
                }
                try await ProjectRiskStore.insert(rows, cause: "fill", at: Instant(beijing: CivilDate(2026, 11, 1), hour: 1), on: app.db)
                let sql = app.db as! any SQLDatabase
                if sql.dialect.name == "postgresql" { try await sql.raw("ANALYZE").run() }
                let drc = Actor(userId: UUID(), displayName: "drc", organisationId: UUID(), organisationType: .drc, roles: [.staff])
                let unit = Actor(userId: UUID(), displayName: "unit", organisationId: units[3], organisationType: .unit, roles: [.staff])
                func query(page: Int = 1, level: Int? = nil, unitId: UUID? = nil) -> RiskListQuery {
                    var q = RiskListQuery()
                    (q.paging, q.level, q.unitId) = (PageRequest(page: page, per: 50), level, unitId)
                    return q
                }
                let rank = (sqlite: "project_risks_rank", postgres: "project_risks_rank")
                let unitRank = (sqlite: "project_risks_unit_rank", postgres: "project_risks_unit_rank")
                let named = Array(classified.prefix(3))
                let cases: [(String, RiskListQuery, Actor, [UUID], (sqlite: String, postgres: String))] = [
                    ("agency", query(), drc, [], rank),
                    ("agency named on 涉密 rows, page 3", query(page: 3), drc, named, rank),
                    ("agency, level 3", query(level: 3), drc, [], rank),
                    ("agency, unit", query(unitId: units[5]), drc, [], unitRank),
                    ("unit", query(), unit, [], unitRank),
                    ("unit named on 涉密 rows, level 2", query(level: 2), unit, named, unitRank),
                ]
                var findings: [QueryPlanTests.Finding] = []
                for (name, q, actor, visible, index) in cases {
                    findings += try await QueryPlanTests.check(
                        RiskListing.pageQuery(q, actor: actor, visible: visible), name, allowSort: false, requiring: index,
                        tables: ["project_risks"], outerSort: false, on: app.db)
                    // The counts: the tallies (a few rows per unit, year and level, read whole) and the
                    // 涉密 ratings the caller is named on, looked up by id — never the ratings counted.
                    findings += try await QueryPlanTests.check(
                        RiskTallies.talliedQuery(unitId: q.unitId, planYear: q.planYear, actor: actor), name + ", tallies",
                        allowSort: true, tables: ["project_risks"], on: app.db)
                    if let named = RiskTallies.namedQuery(unitId: q.unitId, planYear: q.planYear, actor: actor, visible: visible) {
                        findings += try await QueryPlanTests.check(
                            named, name + ", named 涉密", allowSort: true, tables: ["project_risks"], on: app.db)
                    }
                }
                var yearQuery = query(level: 4)
                yearQuery.planYear = 2026
                // The list filtered by 计划年度 (a link from the report), read along the year rank index.
                findings += try await QueryPlanTests.check(
                    RiskListing.pageQuery(yearQuery, actor: drc, visible: []), "agency, level 4, 2026", allowSort: false,
                    requiring: (sqlite: "project_risks_year_rank", postgres: "project_risks_year_rank"), tables: ["project_risks"],
                    outerSort: false, on: app.db)
                for (name, year, actor) in [("report, city, 2026", 2026, drc), ("report, unit, 2025", 2025, unit)] {
                    findings += try await QueryPlanTests.check(
                        RiskTallies.talliedQuery(unitId: nil, planYear: year, actor: actor), name, allowSort: true,
                        tables: ["project_risks"], on: app.db)
                }
                for f in findings { Issue.record("\(f.statement): \(f.problem)\n\(f.plan)") }
            }
        }
    }
}
