import Fluent
import Foundation
import SQLKit
import Vapor
import ZhengxinCore

/// The report's 风险等级分布: how many projects stand at each level 1…5, per unit, under the
/// report's filters (unit, 计划年度) and the 风险评级 list's reach — a 涉密 project is counted only
/// for the users named on it, as it is listed only to them (RiskListing.condition), so its level
/// is never disclosed through a count. Read from `project_risks` grouped by (unit, level) along
/// the unit rank index.
struct RiskDistribution: Sendable, Hashable {
    struct UnitCounts: Sendable, Hashable {
        var unitId: UUID
        /// Projects at levels 1…5.
        var byLevel: [Int]
        var total: Int { byLevel.reduce(0, +) }
    }

    var units: [UnitCounts]

    var byLevel: [Int] { units.reduce(into: Array(repeating: 0, count: 5)) { sum, u in for i in 0..<5 { sum[i] += u.byLevel[i] } } }
    var total: Int { units.reduce(0) { $0 + $1.total } }

    static func read(_ filter: PortfolioQuery.Filter, actor: Actor, on req: Request) async throws -> RiskDistribution {
        let head = try await AuditHeadCache.head(on: req.db)
        guard case .rows(let visible) = try await ProjectListing.scope(for: actor, at: head, on: req) else {
            return RiskDistribution(units: [])
        }
        var counts: [UUID: [Int]] = [:]
        for row in try await PlainRows.all(query(filter, actor: actor, visible: visible), on: req.db) {
            let level = try row.int(1)
            guard (1...5).contains(level) else { continue }
            counts[try row.uuid(0), default: Array(repeating: 0, count: 5)][level - 1] += try row.int(2)
        }
        return RiskDistribution(units: counts.map { UnitCounts(unitId: $0.key, byLevel: $0.value) })
    }

    /// The ranked list's own condition (RiskListing.condition) for the report's filters, grouped.
    /// Built without a Request so QueryPlanTests read the plan the server runs.
    static func query(_ filter: PortfolioQuery.Filter, actor: Actor, visible: [UUID]) -> SQLQueryString {
        let list = RiskListQuery(unitId: filter.unitId, planYear: filter.planYear)
        return "SELECT unit_id, level, COUNT(*) FROM project_risks WHERE " + RiskListing.condition(list, actor: actor, visible: visible)
            + " GROUP BY unit_id, level"
    }
}
