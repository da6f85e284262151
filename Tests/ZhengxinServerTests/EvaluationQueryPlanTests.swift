import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// The unit's newest 绩效评价 (UnitEvaluations, beside O&M fee decisions and new projects) read from
/// `project_evaluations`' unit index in date order, stopping at the LIMIT: never a scan or a sort.
@Suite("Query plans of the unit's evaluations")
struct EvaluationQueryPlanTests {
    @Test("the newest evaluations of a unit come from the unit index in order", arguments: Backend.all)
    func newestOfUnit(_ backend: Backend) async throws {
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: { Instant(beijing: CivilDate(2026, 11, 1), hour: 10) }) { app in
                let units = (0..<20).map { _ in UUID() }
                let sql = app.db as! any SQLDatabase
                for part in Array(0..<3_000).chunks(of: 500) {
                    var insert = sql.insert(into: "project_evaluations").columns(ProjectEvaluationRow.columns)
                    for i in part {
                        let values: [any Encodable & Sendable] = [
                            UUID(), units[i % units.count], i % 20 == 19, CivilDate(2026, 1 + i % 12, 1 + i % 28).description,
                            "80.00", PerformanceGrade.good.rawValue,
                        ]
                        insert = insert.values(values.map { SQLBind($0) as any SQLExpression })
                    }
                    try await insert.run()
                }
                if sql.dialect.name == "postgresql" { try await sql.raw("ANALYZE").run() }
                let findings = try await QueryPlanTests.check(
                    ProjectEvaluationRow.newest(of: units[4], except: UUID(), limit: 30), "unit's newest evaluations", allowSort: false,
                    requiring: (sqlite: "project_evaluations_unit", postgres: "project_evaluations_unit"),
                    tables: ["project_evaluations"], outerSort: false, on: app.db)
                for f in findings { Issue.record("\(f.statement): \(f.problem)\n\(f.plan)") }
            }
        }
    }
}
