import Foundation

enum PerformanceActions {
    static let all: [AnyActionRule] = [AnyActionRule(EvaluatePerformance.self)]
    /// After acceptance (R-GOAL-2): the system is built, so what it achieved can be measured.
    static let stages: Set<Stage> = [.accepted, .operating]
    /// 第三十五条 names 市财政局 among the supervising bodies and 绩效评价 among their work; 市发展改革委
    /// is the approving department whose goals are evaluated. Only they score.
    static let evaluators: Set<OrganisationType> = [.fin, .drc]
}

/// 绩效评价 (R-GOAL-2, 第三十五条): every indicator of the approved 绩效目标 scored against its target,
/// with evidence; the core adds the scores (exact to the 0.01) and grades the total.
///
/// A dedicated action rather than `record-oversight` of kind 绩效评价: that payload is shared with
/// inspections and audits, by four agencies, from declaration on; scoring needs the indicator table,
/// an accepted project and the two evaluating agencies only, so folding it in would make half of
/// that payload conditional on the other half. `record-oversight` keeps recording the findings an
/// evaluation raises (限期整改, 第三十六条).
public enum EvaluatePerformance: ProjectActionRule {
    public struct ScoreInput: Decodable, Sendable {
        public var indicatorNumber: Int
        public var actual: String
        public var score: String
        public var evidence: String
        public var evidenceDocumentNumber: Int?
    }
    public struct Payload: Decodable, Sendable {
        public var evaluatedOn: CivilDate
        public var conclusion: String
        public var scores: [ScoreInput]
    }
    public static let spec = ActionSpec(
        "evaluate-performance", "绩效评价", actors: PerformanceActions.evaluators, stages: PerformanceActions.stages,
        rule: "R-GOAL-2", article: "第三十五条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        p.performanceGoals == nil
            ? [Violation(rule: "R-GOAL-2", article: "第三十五条", message: "项目未设定绩效指标表,无法逐项评价")] : []
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Fields.text(x.conclusion, "conclusion", max: 5000) { c.add(v) }
        if let v = Fields.notFuture(x.evaluatedOn, "evaluatedOn", today: ctx.today) { c.add(v) }
        if let accepted = p.acceptedOn {
            c.require(x.evaluatedOn >= accepted, .input("evaluatedOn", "评价日期不能早于竣工验收日期(\(accepted.chinese))"))
        }
        guard let goals = p.performanceGoals else { return c.violations }
        c.require(
            x.scores.count <= goals.indicators.count,
            .input("scores", "评分项数(\(x.scores.count))多于绩效指标数(\(goals.indicators.count))"))
        if !c.isEmpty { return c.violations }
        var seen: Set<Int> = []
        for (i, s) in x.scores.enumerated() {
            let at = "scores[\(i)]"
            guard let indicator = goals.indicator(s.indicatorNumber) else {
                c.add(.input("\(at).indicatorNumber", "绩效指标\(s.indicatorNumber)不存在"))
                continue
            }
            c.require(seen.insert(s.indicatorNumber).inserted, .input("\(at).indicatorNumber", "绩效指标\(s.indicatorNumber)重复评分"))
            c.require(PerformanceFigure.parse(s.actual) != nil, .input("\(at).actual", "「\(indicator.name)」的实际完成值应为非负数(最多4位小数)"))
            let score = PerformanceFigure.parse(s.score, fractionDigits: 2)
            c.require(
                score.map { $0 <= indicator.weight } == true,
                .input("\(at).score", "「\(indicator.name)」的得分应在0至\(indicator.weight.text)分之间,最多两位小数"))
            if let v = Fields.text(s.evidence, "\(at).evidence", max: 2000) { c.add(v) }
            if let n = s.evidenceDocumentNumber {
                c.require(p.documents.contains { $0.number == n }, .input("\(at).evidenceDocumentNumber", "文档\(n)不是本项目的文档"))
            }
        }
        if !c.isEmpty { return c.violations }
        let missing = goals.indicators.filter { !seen.contains($0.number) }
        c.require(
            missing.isEmpty, rule: "R-GOAL-2", article: "第三十五条",
            "绩效评价须对每项绩效指标评分,尚未评分: " + missing.map { "\($0.number).\($0.name)" }.joined(separator: "、"), field: "scores")
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        guard let goals = p.performanceGoals else { return "" }
        let scores = x.scores.sorted { $0.indicatorNumber < $1.indicatorNumber }.map { s -> IndicatorScore in
            let indicator = goals.indicator(s.indicatorNumber)!
            let actual = PerformanceFigure.parse(s.actual)!
            return IndicatorScore(
                indicatorNumber: s.indicatorNumber, actual: actual, met: indicator.comparison.isMet(actual, target: indicator.target),
                score: PerformanceFigure.parse(s.score, fractionDigits: 2)!, evidence: s.evidence,
                evidenceDocumentNumber: s.evidenceDocumentNumber)
        }
        let total = scores.map(\.score).reduce(.zero, +)
        let grade = PerformanceGrade.of(total)
        p.supervision.evaluations.append(
            PerformanceEvaluation(
                number: p.supervision.evaluations.count + 1, agency: ctx.actor.organisationType,
                agencyOrganisationId: ctx.actor.organisationId, evaluatedOn: x.evaluatedOn, recordedOn: ctx.today,
                conclusion: x.conclusion, scores: scores, total: total, grade: grade))
        let met = scores.filter(\.met).count
        return "\(ctx.actor.organisationType.chinese)绩效评价: 总分\(total.text)分,等级「\(grade.chinese)」,\(met)/\(scores.count)项指标达到目标值"
    }
}

/// R-GOAL-2: when the first 绩效评价 is due. The Measures (第三十五条) set no period; the city's
/// setting is `Policy.performanceEvaluationMonths` after the acceptance date.
public enum PerformanceDeadlines {
    /// The last day for the evaluation, while none is on record; nil when nothing is due (not yet
    /// accepted, no indicator table to evaluate, or already evaluated).
    public static func evaluationDue(_ p: ProjectRecord, _ policy: Policy) -> CivilDate? {
        guard PerformanceActions.stages.contains(p.stage), let accepted = p.acceptedOn, p.performanceGoals != nil,
            p.supervision.evaluations.isEmpty
        else { return nil }
        return accepted.addingMonths(policy.evaluationMonths)
    }
}
