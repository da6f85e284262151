import Foundation

/// R-GOAL-1 (第五条 "项目单位…负责…绩效目标"): the shape of a 绩效目标 table, and what a declaration needs.
public enum PerformanceGoalRules {
    /// Bounds against hostile or runaway input: a real table has a dozen rows.
    public static let maximumIndicators = 50
    public static let maximumNameLength = 100
    public static let maximumUnitLength = 20

    /// Every malformed row at once (INPUT, naming the field), then the weight sum (R-GOAL-1). On
    /// success, the table as it is stored: rows numbered, weights resolved.
    public static func parse(_ rows: [PerformanceIndicatorInput], field: String) -> Result<PerformanceGoals, Refusal> {
        var c = Checklist()
        guard rows.count <= maximumIndicators else {
            return .failure(Refusal([.input(field, "绩效指标最多\(maximumIndicators)项,本次\(rows.count)项")]))
        }
        var indicators: [PerformanceIndicator] = []
        for (i, row) in rows.enumerated() {
            let at = "\(field)[\(i)]"
            let name = row.name.trimmingCharacters(in: .whitespacesAndNewlines)
            let unit = row.unit.trimmingCharacters(in: .whitespacesAndNewlines)
            c.require(!name.isEmpty, .input("\(at).name", "第\(i + 1)项绩效指标须填写三级指标名称"))
            c.require(
                row.name.count <= maximumNameLength && row.name.utf8.count <= maximumNameLength * 8,
                .input("\(at).name", "第\(i + 1)项绩效指标名称不超过\(maximumNameLength)字"))
            c.require(!unit.isEmpty, .input("\(at).unit", "第\(i + 1)项绩效指标须填写计量单位(如 个、%、万人次、天)"))
            c.require(
                row.unit.count <= maximumUnitLength && row.unit.utf8.count <= maximumUnitLength * 8,
                .input("\(at).unit", "第\(i + 1)项绩效指标的计量单位不超过\(maximumUnitLength)字"))
            let target = PerformanceFigure.parse(row.target)
            c.require(
                target != nil,
                .input("\(at).target", "第\(i + 1)项绩效指标的目标值应为非负数(最多\(PerformanceFigure.maximumIntegerDigits)位整数、4位小数)"))
            var weight: PerformanceFigure?
            if let typed = row.weight, !typed.trimmingCharacters(in: .whitespaces).isEmpty {
                weight = PerformanceFigure.parse(typed, fractionDigits: 2)
                c.require(
                    weight.map { $0 > .zero && $0 <= .hundred } == true,
                    .input("\(at).weight", "第\(i + 1)项绩效指标的分值应大于0、不超过100,最多两位小数"))
            }
            indicators.append(
                PerformanceIndicator(
                    number: i + 1, category: row.category, name: name, comparison: row.comparison, target: target ?? .zero,
                    unit: unit, weight: weight ?? .zero))
        }
        if !c.isEmpty { return .failure(Refusal(c.violations)) }
        let typed = rows.map { !($0.weight ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
        if typed.contains(true) {
            guard !typed.contains(false) else {
                return .failure(Refusal([.input(field, "绩效指标的分值须全部填写或全部不填(不填则各项平均分配100分)")]))
            }
            let sum = indicators.map(\.weight).reduce(.zero, +)
            guard sum == .hundred else {
                return .failure(
                    Refusal([
                        Violation(
                            rule: "R-GOAL-1", article: "第五条", message: "绩效指标分值合计应为100分,现为\(sum.text)分", field: field)
                    ]))
            }
            return .success(PerformanceGoals(indicators: indicators, weightsGiven: true))
        }
        for (i, share) in equalShares(indicators.count).enumerated() { indicators[i].weight = share }
        return .success(PerformanceGoals(indicators: indicators, weightsGiven: false))
    }

    /// 100 分 in equal shares to the 0.01, the odd hundredths to the first rows: 3 rows are
    /// 33.34, 33.33, 33.33, so the weights always add up to exactly 100.
    public static func equalShares(_ n: Int) -> [PerformanceFigure] {
        guard n > 0 else { return [] }
        let cents = Int64(10_000)
        let share = cents / Int64(n)
        let odd = Int(cents % Int64(n))
        return (0..<n).map { PerformanceFigure(scaled: (share + ($0 < odd ? 1 : 0)) * 100) }
    }

    /// R-GOAL-1 at declaration (第五条): at least one 产出指标 and one 效益指标. 满意度指标 is not
    /// required: many of these systems serve only other departments, where no 服务对象 survey exists;
    /// its absence is noted in the declaration summary instead.
    public static func declarationViolations(_ goals: PerformanceGoals?, field: String = "performanceIndicators") -> [Violation] {
        guard let goals, !goals.indicators.isEmpty else {
            return [
                Violation(
                    rule: "R-GOAL-1", article: "第五条", message: "申报须设定绩效目标:至少一项产出指标和一项效益指标,每项有目标值和计量单位",
                    field: field)
            ]
        }
        var c = Checklist()
        c.require(goals.count(.output) > 0, rule: "R-GOAL-1", article: "第五条", "绩效目标缺少产出指标(数量、质量、时效或成本指标)", field: field)
        c.require(goals.count(.effect) > 0, rule: "R-GOAL-1", article: "第五条", "绩效目标缺少效益指标(社会、经济、生态效益或可持续影响指标)", field: field)
        return c.violations
    }

    public struct Refusal: Error, Sendable {
        public var violations: [Violation]
        init(_ violations: [Violation]) { self.violations = violations }
    }
}
