import ZhengxinCore

/// 绩效评价 in the demo (R-GOAL-2, 第三十五条): 市财政局 evaluates an operating project ten months after
/// its acceptance (within the city's 12 months), or 20 days before the cutoff when that comes first,
/// once it has run at least two months. The grades
/// vary across projects, 优 to 差, so the project page, the unit's record and the risk list show each.
extension DemoStory.Walked {
    /// The evaluation's day, nil when the project is not evaluated in the demo.
    func performanceEvaluationDay() -> CivilDate? {
        guard record.stage == .operating, record.performanceGoals != nil, record.supervision.evaluations.isEmpty,
            let accepted = record.acceptedOn
        else { return nil }
        let day = min(accepted.addingMonths(10), schedule.cutoff.addingDays(-20)).workdayOnOrBefore
        return day >= accepted.addingMonths(2) ? day : nil
    }

    /// Scores as shares of each weight: 93 (优), 85.5 (良), 74 (中) or 58 (差) of 40 + 40 + 20 分.
    static let demoScores: [[String]] = [["38", "37", "18"], ["34", "35.5", "16"], ["30", "28", "16"], ["24", "22", "12"]]

    /// On `day`, or on the project's last step's day when an earlier extra ran past it: steps are dated in order.
    mutating func evaluatePerformance(_ w: DemoWalker, on planned: CivilDate) throws {
        let day = max(planned, clock.last?.beijingDate ?? planned)
        guard let goals = record.performanceGoals, day <= schedule.cutoff.addingDays(-10) else { return }
        let variant = record.name.unicodeScalars.count % Self.demoScores.count
        let shares = Self.demoScores[variant]
        let scores: [[String: Any]] = goals.indicators.enumerated().map { i, indicator in
            let typed = PerformanceFigure.parse(shares[i % shares.count], fractionDigits: 2) ?? .zero
            let score = min(typed, indicator.weight)
            let met = variant < 2 || score == indicator.weight
            let actual = met ? indicator.target : PerformanceFigure(scaled: indicator.target.scaled / 100 * 80)
            return [
                "indicatorNumber": indicator.number, "actual": actual.text, "score": score.text,
                "evidence": met ? "运行统计数据表明已达到目标值" : "运行统计数据表明未达到目标值,差距已列入整改",
            ]
        }
        try w.step(
            &record, "evaluate-performance", by: .fin, on: day,
            ["evaluatedOn": day.description, "conclusion": "项目建成运行以来绩效目标完成情况已逐项评价", "scores": scores])
    }
}
