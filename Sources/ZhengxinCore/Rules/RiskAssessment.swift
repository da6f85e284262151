/// 风险评级: a project's risk from 1 (低) to 5 (高), computed from what its record says on a day and
/// never typed in, so that supervision (第三十五条, 第三十六条) looks first where the facts point. Each
/// fact that raises it is a RiskReason with its points and the article behind it; the level follows
/// from the points alone, so two projects with the same facts always have the same rating.
public struct RiskRating: Codable, Sendable, Hashable {
    public var level: Int
    public var points: Int
    public var reasons: [RiskReason]

    public var chinese: String { RiskAssessment.levelTitles[level - 1] }
}

public struct RiskReason: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case overdue  // 期限已过 (every deadline of DeadlineScan: 验收, 整改, 等保测评, 密评, 催办答复 ...)
        case dueSoon  // 期限将至
        case changeShare  // 累计调整占概算 (第十九条)
        case disbursementLag  // 资金计划下达已久而拨付不足 (第十一条)
        case openFinding  // 监督检查发现问题未整改销号 (第三十六条)
        case escalatedFinding  // 拒不整改或整改后仍不符合要求 (第三十六条)
        case activeSanction  // 处理措施未解除 (第三十六条)
        case performanceGrade  // 最近一次绩效评价为中或差 (第三十五条)
        case contractsOverBudget  // 建设合同金额合计超过概算总投资 (第十条, 第十九条)
    }

    public var kind: Kind
    public var points: Int
    public var article: String
    public var text: String
}

public enum RiskAssessment {
    public static let levelTitles = ["低", "较低", "中", "较高", "高"]

    /// Points at which each level starts: 0 → 1, 1–2 → 2, 3–4 → 3, 5–7 → 4, 8 and more → 5.
    public static let levelFloors = [0, 1, 3, 5, 8]

    /// Cumulative adjustments of at least this share of 概算 (in percent) add a point; at the
    /// policy's filing limit (第十九条, 15% in the city's Measures) they add two.
    public static let changeWatchPercent: Int64 = 10

    /// A fund plan issued this many days ago or more should be at least half disbursed.
    public static let disbursementLagDays = 180

    public static func level(forPoints points: Int) -> Int {
        levelFloors.lastIndex { points >= $0 }.map { $0 + 1 } ?? 1
    }

    public static func rate(_ p: ProjectRecord, today: CivilDate, policy: Policy) -> RiskRating {
        var reasons: [RiskReason] = []
        let deadlines = DeadlineScan.deadlines(for: p, today: today, policy: policy)
        // Overdue deadlines: 2 points each, at most 6 (a project late on everything is already 高).
        let overdue = deadlines.filter { $0.status == .overdue }.sorted { ($0.dueOn, $0.kind.rawValue) < ($1.dueOn, $1.kind.rawValue) }
        for (i, d) in overdue.enumerated() {
            reasons.append(
                RiskReason(
                    kind: .overdue, points: i < 3 ? 2 : 0, article: d.article,
                    text: "\(d.kind.chinese)已逾期(期限\(d.dueOn.chinese))"))
        }
        if let soonest = deadlines.filter({ $0.status != .overdue }).min(by: { $0.dueOn < $1.dueOn }) {
            reasons.append(
                RiskReason(
                    kind: .dueSoon, points: 1, article: soonest.article, text: "\(soonest.kind.chinese)即将到期(期限\(soonest.dueOn.chinese))"))
        }
        if let change = changeShare(p, policy) { reasons.append(change) }
        if let contracts = contractsOverBudget(p) { reasons.append(contracts) }
        if let lag = disbursementLag(p, today: today) { reasons.append(lag) }
        let findings = p.supervision.findings
        for (i, f) in findings.filter({ $0.status == .open || $0.status == .reported }).enumerated() {
            reasons.append(
                RiskReason(kind: .openFinding, points: i < 3 ? 1 : 0, article: "第三十六条", text: "监督检查发现问题第\(f.number)号\(f.status.chinese)"))
        }
        for f in findings where f.status == .escalated {
            reasons.append(RiskReason(kind: .escalatedFinding, points: 2, article: "第三十六条", text: "监督检查发现问题第\(f.number)号拒不整改或整改后仍不符合要求"))
        }
        for s in p.supervision.activeSanctions() {
            reasons.append(RiskReason(kind: .activeSanction, points: 3, article: "第三十六条", text: "处理措施第\(s.number)号(\(s.kind.chinese))尚未解除"))
        }
        if let grade = performanceGrade(p) { reasons.append(grade) }
        let points = reasons.map(\.points).reduce(0, +)
        return RiskRating(level: level(forPoints: points), points: points, reasons: reasons)
    }

    /// 第十条, 第十九条: the approved 概算 is the baseline of all that follows, and investment changes only
    /// through a change (R-CHG-1). Construction contracts signed for more than it commit money no approval
    /// covers: no rule of the Measures refuses the contract itself (a contract may be paid from other
    /// sources, or precede the change that covers it), so it is a risk the agencies see, two points.
    static func contractsOverBudget(_ p: ProjectRecord) -> RiskReason? {
        guard let budget = p.approvedBudget, !p.constructionContracts.isEmpty else { return nil }
        let signed = p.constructionContracts.map(\.amount).total() ?? Fen(Int64.max)
        guard budget < signed else { return nil }
        return RiskReason(
            kind: .contractsOverBudget, points: 2, article: "第十九条",
            text: "建设合同金额合计\(signed.yuanText),超过概算总投资\(budget.yuanText)")
    }

    /// 第十九条: the adjustments filed or approved so far against the approved 概算, in whole fen
    /// arithmetic (100 × adjusted against percent × budget), as ChangeRules judges filing.
    static func changeShare(_ p: ProjectRecord, _ policy: Policy) -> RiskReason? {
        guard let budget = p.approvedBudget, budget > .zero else { return nil }
        let counted = p.changes.filter { [.filed, .acknowledged, .approved].contains($0.status) }
        guard !counted.isEmpty else { return nil }
        let adjusted = counted.map(\.adjustedAmount).total() ?? Fen(Int64.max)
        func atLeast(_ percent: Int64) -> Bool {
            let (lhs, o1) = adjusted.value.multipliedReportingOverflow(by: 100)
            let (rhs, o2) = budget.value.multipliedReportingOverflow(by: percent)
            return o1 || (!o2 && lhs >= rhs)
        }
        let limit = policy.changeFilingPercent
        if atLeast(limit) {
            return RiskReason(
                kind: .changeShare, points: 2, article: "第十九条",
                text: "累计调整\(adjusted.yuanText),达到概算总投资\(budget.yuanText)的\(limit)%")
        }
        if atLeast(changeWatchPercent) {
            return RiskReason(
                kind: .changeShare, points: 1, article: "第十九条",
                text: "累计调整\(adjusted.yuanText),达到概算总投资\(budget.yuanText)的\(changeWatchPercent)%")
        }
        return nil
    }

    /// 第三十五条 (R-GOAL-2): the latest 绩效评价 — 差 adds two points, 中 one; 优 and 良 none.
    static func performanceGrade(_ p: ProjectRecord) -> RiskReason? {
        guard let e = p.supervision.latestEvaluation else { return nil }
        let points: Int
        switch e.grade {
        case .poor: points = 2
        case .fair: points = 1
        case .good, .excellent: return nil
        }
        return RiskReason(
            kind: .performanceGrade, points: points, article: "第三十五条",
            text: "最近一次绩效评价(\(e.evaluatedOn.chinese))总分\(e.total.text)分,等级「\(e.grade.chinese)」")
    }

    /// 第十一条: fund plans issued at least `disbursementLagDays` ago, less than half of them paid.
    static func disbursementLag(_ p: ProjectRecord, today: CivilDate) -> RiskReason? {
        let due = p.fundPlans.filter { $0.issuedOn.addingDays(disbursementLagDays) <= today }
        guard !due.isEmpty, !p.fundingHold, p.stage != .terminated else { return nil }
        guard let planned = due.map(\.amount).total(), planned > .zero else { return nil }
        let paid = p.disbursements.map(\.amount).total() ?? Fen(Int64.max)
        let (twice, overflow) = paid.value.multipliedReportingOverflow(by: 2)
        guard !overflow, twice < planned.value else { return nil }
        return RiskReason(
            kind: .disbursementLag, points: 1, article: "第十一条",
            text: "资金计划下达满\(disbursementLagDays)日的\(planned.yuanText)仅拨付\(paid.yuanText),不足一半")
    }
}
