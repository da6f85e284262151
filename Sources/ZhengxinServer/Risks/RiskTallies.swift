import Fluent
import Foundation
import SQLKit
import ZhengxinCore

/// The number of projects at each 风险等级 per unit, for a caller and filters, without counting the
/// ratings: the 涉密-free part from `risk_tallies` (AddRiskTallies), and the 涉密 ratings the caller
/// is named on (`visible`, a short list) counted from `project_risks` by id. The 风险评级 list's
/// counts and the report's 风险等级分布 both read it, so they cannot disagree.
enum RiskTallies {
    struct Count: Sendable {
        var unitId: UUID
        var level: Int
        var projects: Int
    }

    static func counts(unitId: UUID?, planYear: Int?, actor: Actor, visible: [UUID], on db: any Database) async throws -> [Count] {
        var found: [Count] = []
        var queries = [talliedQuery(unitId: unitId, planYear: planYear, actor: actor)]
        if let named = namedQuery(unitId: unitId, planYear: planYear, actor: actor, visible: visible) { queries.append(named) }
        for query in queries {
            for row in try await PlainRows.all(query, on: db) {
                found.append(Count(unitId: try row.uuid(0), level: try row.int(1), projects: try row.int(2)))
            }
        }
        return found
    }

    /// Projects at levels 1…5, summed over units.
    static func byLevel(_ counts: [Count]) -> [Int] {
        counts.reduce(into: Array(repeating: 0, count: 5)) { sum, c in if (1...5).contains(c.level) { sum[c.level - 1] += c.projects } }
    }

    /// The tallies under the filters and a unit's reach (its own projects). Built without a Request
    /// so QueryPlanTests read the plans the server runs.
    static func talliedQuery(unitId: UUID?, planYear: Int?, actor: Actor) -> SQLQueryString {
        var parts: [SQLQueryString] = ["projects <> 0"]
        parts += filters(unitId: unitId, planYear: planYear, actor: actor)
        return "SELECT unit_id, level, CAST(SUM(projects) AS BIGINT) FROM risk_tallies WHERE " + parts.joined(separator: " AND ")
            + " GROUP BY unit_id, level"
    }

    /// The 涉密 ratings the caller is named on, under the same filters; nil when it is named on none.
    static func namedQuery(unitId: UUID?, planYear: Int?, actor: Actor, visible: [UUID]) -> SQLQueryString? {
        guard !visible.isEmpty else { return nil }
        var parts: [SQLQueryString] = ["project_id IN (\(binds: visible))", "classified"]
        parts += filters(unitId: unitId, planYear: planYear, actor: actor)
        return "SELECT unit_id, level, COUNT(*) FROM project_risks WHERE " + parts.joined(separator: " AND ") + " GROUP BY unit_id, level"
    }

    private static func filters(unitId: UUID?, planYear: Int?, actor: Actor) -> [SQLQueryString] {
        var parts: [SQLQueryString] = []
        if actor.organisationType == .unit { parts.append("unit_id = \(bind: actor.organisationId)") }
        if let unitId { parts.append("unit_id = \(bind: unitId)") }
        if let planYear { parts.append("plan_year = \(bind: planYear)") }
        return parts
    }

    /// The tallies as a GROUP BY over the ratings makes them (the first fill, and the check).
    static let grouped = """
        SELECT unit_id, plan_year, level, COUNT(*) FROM project_risks WHERE NOT classified GROUP BY unit_id, plan_year, level
        """

    /// Tallies that differ from the ratings' GROUP BY, either way (0 when they agree).
    static func drift(on db: any Database) async throws -> Int {
        let kept = "SELECT \(AddRiskTallies.key), projects FROM risk_tallies WHERE projects <> 0"
        let query = SQLQueryString(
            "SELECT COUNT(*) FROM (SELECT * FROM (\(kept) EXCEPT \(grouped)) a UNION ALL SELECT * FROM (\(grouped) EXCEPT \(kept)) b) d")
        return try await PlainRows.all(query, on: db).first?.int(0) ?? 0
    }
}
