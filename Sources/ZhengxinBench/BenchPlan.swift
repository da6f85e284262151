import Foundation
import ZhengxinCore
import ZhengxinServer

/// What one bench project will be, drawn from its own random stream: unit, size, the stage it
/// reaches, its plan year and the extras on the way. Drawing is cheap and serial (codes are
/// numbered per year in project order, as the server numbers them); walking is the costly part.
struct BenchPlan: Sendable {
    var index: Int
    var unit: Int
    var name: String
    var totalFen: Int64
    var category: ProjectCategory
    var classified: Bool
    var target: Stage
    var planYear: Int
    var declaredOn: CivilDate
    var code = ""
    /// Days from the start of construction to completion.
    var buildDays: Int
    var change: Bool
    var oversight: Bool
    var secondDisbursement: Bool
    var feedback: Bool

    /// Share of each stage in a portfolio that has run for years: most projects are being built or in operation.
    static let stages: [(Stage, Int)] = [
        (.draft, 3), (.declared, 3), (.techReview, 3), (.reserve, 5), (.planned, 5), (.approving, 4), (.approved, 4),
        (.procuring, 6), (.constructing, 20), (.completed, 5), (.trialRunning, 6), (.acceptanceApplied, 3), (.accepted, 6),
        (.operating, 27),
    ]
    static let systems = [
        "政务服务一体化平台", "业务协同办公系统", "数据资源共享平台", "监管执法信息系统", "综合指挥调度平台", "电子档案管理系统",
        "移动办公应用", "大数据分析平台", "公共服务门户", "视频监控联网平台", "信用信息系统", "应急管理信息系统",
    ]
    static let phases = ["", "二期", "三期", "升级改造", "扩容"]

    static func draw(index: Int, seed: UInt64, units: [String], today: CivilDate) -> BenchPlan {
        var rng = SeededRandom(seed: seed, stream: "project", index: index)
        let unit = Int.random(in: 0..<units.count, using: &rng)
        let yuan: Int64 =
            switch rng.weighted([(1, 65), (2, 27), (3, 8)]) {
            case 1: Int64.random(in: 500...9_999, using: &rng) * 1_000  // 一类: 50万元 to 1000万元以下
            case 2: Int64.random(in: 10_000...49_999, using: &rng) * 1_000  // 二类: 1000万元 to 5000万元以下
            default: Int64.random(in: 50_000...300_000, using: &rng) * 1_000  // 三类: 5000万元及以上
            }
        let target = rng.weighted(stages)
        let shortUnit = units[unit].replacingOccurrences(of: "郑州市", with: "")
        let name = shortUnit + systems.randomElement(using: &rng)! + phases.randomElement(using: &rng)!
        // Plan years go back four years for projects that have got far; early stages are this year's declarations.
        let early: Set<Stage> = [.draft, .declared, .techReview, .reserve]
        var planYear = early.contains(target) ? today.year + 1 : Int.random(in: (today.year - 4)...today.year, using: &rng)
        var plan = BenchPlan(
            index: index, unit: unit, name: name, totalFen: yuan * 100,
            category: rng.chance(20) ? .resourceDatabase : .businessSystem,
            classified: [.draft, .declared].contains(target) && rng.chance(5), target: target, planYear: planYear,
            declaredOn: CivilDate(planYear - 1, 3, 1).addingDays(Int.random(in: 0...110, using: &rng)),  // by 30 June (R-DEC-1)
            buildDays: Int.random(in: 200...500, using: &rng), change: rng.chance(15), oversight: rng.chance(8),
            secondDisbursement: rng.chance(60), feedback: rng.chance(50))
        let offset = plan.declaredOn.daysSinceEpoch - CivilDate(planYear - 1, 3, 1).daysSinceEpoch
        while plan.lastDate > today {
            planYear -= 1
            plan.planYear = planYear
            plan.declaredOn = CivilDate(planYear - 1, 3, 1).addingDays(offset)
        }
        return plan
    }

    // The timeline, from the plan year (as the demo: declared in spring, planned in January).
    var planIssuedOn: CivilDate { CivilDate(planYear, 1, 10) }
    var approvalFrom: CivilDate { CivilDate(planYear, 1, 15) }
    var constructionFrom: CivilDate { CivilDate(planYear, 4, 10) }
    var completedOn: CivilDate { constructionFrom.addingDays(buildDays) }
    var acceptanceAppliedOn: CivilDate { completedOn.addingDays(5).addingMonths(3) }
    var operationsFrom: CivilDate { acceptanceAppliedOn.addingDays(30) }

    /// The date of the last step the walk takes; never after the portfolio's today.
    var lastDate: CivilDate {
        switch target {
        case .draft, .declared: return declaredOn
        case .techReview: return declaredOn.addingDays(5)
        case .reserve: return declaredOn.addingDays(40)
        case .planned: return planIssuedOn
        case .approving, .approved: return approvalFrom.addingDays(80)
        case .procuring: return constructionFrom
        case .constructing: return constructionFrom.addingDays(change || oversight || secondDisbursement ? 130 : 40)
        case .completed: return completedOn
        case .trialRunning: return completedOn.addingDays(5)
        case .acceptanceApplied: return acceptanceAppliedOn
        case .accepted: return acceptanceAppliedOn.addingDays(15)
        default: return operationsFrom.addingDays(60)
        }
    }
}
