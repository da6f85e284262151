import Fluent
import Foundation
import SQLKit
import Vapor
import ZhengxinCore

/// The report's 风险等级分布: how many projects stand at each level 1…5, per unit, under the
/// report's filters (unit, 计划年度) and the 风险评级 list's reach — a 涉密 project is counted only
/// for the users named on it, as it is listed only to them (RiskListing.condition), so its level
/// is never disclosed through a count. Read from the tallies (RiskTallies), as the list's counts are.
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
        guard case .rows(let visible) = try await ProjectListing.scope(for: actor, on: req) else {
            return RiskDistribution(units: [])
        }
        var counts: [UUID: [Int]] = [:]
        let tallied = try await RiskTallies.counts(
            unitId: filter.unitId, planYear: filter.planYear, actor: actor, visible: visible, on: req.db)
        for count in tallied where (1...5).contains(count.level) {
            counts[count.unitId, default: Array(repeating: 0, count: 5)][count.level - 1] += count.projects
        }
        return RiskDistribution(units: counts.map { UnitCounts(unitId: $0.key, byLevel: $0.value) })
    }
}
