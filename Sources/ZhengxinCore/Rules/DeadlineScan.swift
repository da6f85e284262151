/// 期限提醒: the deadlines of the Measures as they stand for one project on one day. The server's
/// daily scan turns these into reminders and overdue marks; this is the pure part.
public enum DeadlineKind: String, Codable, Sendable, CaseIterable {
    case declarationWindow  // 第七条 每年6月底前申报
    case trialRunEnd  // 第二十条 试运行期满
    case acceptanceDeadline  // 第二十一条, 第二十二条 建成后6个月内验收
    case incidentRectification  // 第十八条 限期整改
    case findingRectification  // 第三十六条 监督检查发现问题限期整改
    case operationsFee  // 第二十五条 运维费按年度申请
    case gradedProtection  // 第三十三条 等级保护测评
    case cryptoAssessment  // 第三十二条 密评
    case urgeAnswer  // 第三十五条 催办答复期限
    case performanceEvaluation  // 第三十五条 竣工验收后绩效评价 (R-GOAL-2, 期限为市定参数)

    public var chinese: String {
        switch self {
        case .declarationWindow: return "年度申报截止"
        case .trialRunEnd: return "试运行期满"
        case .acceptanceDeadline: return "竣工验收期限"
        case .incidentRectification: return "整改期限"
        case .findingRectification: return "监督检查整改期限"
        case .operationsFee: return "运维费年度申请"
        case .gradedProtection: return "等级保护测评"
        case .cryptoAssessment: return "商用密码应用安全性评估"
        case .urgeAnswer: return "催办答复期限"
        case .performanceEvaluation: return "绩效评价期限"
        }
    }
}

public enum DeadlineStatus: String, Codable, Sendable {
    case upcoming  // 即将到期 (within the lead time)
    case due  // 已到期, action now possible or required
    case overdue  // 已逾期
}

public struct Deadline: Codable, Sendable, Hashable {
    public var kind: DeadlineKind
    /// Distinguishes deadlines of one kind on one project (an incident or finding number, a year).
    public var ref: String
    public var dueOn: CivilDate
    public var status: DeadlineStatus
    /// The organisations that must act or know.
    public var audience: Set<OrganisationType>
    public var rule: String
    public var article: String
    public var message: String

    public init(
        kind: DeadlineKind, ref: String = "", dueOn: CivilDate, status: DeadlineStatus, audience: Set<OrganisationType>,
        rule: String, article: String, message: String
    ) {
        self.kind = kind
        self.ref = ref
        self.dueOn = dueOn
        self.status = status
        self.audience = audience
        self.rule = rule
        self.article = article
        self.message = message
    }
}

public enum DeadlineScan {
    /// How many days ahead a coming deadline is announced (a notification setting, not a rule).
    public static let defaultLeadDays = 30

    /// Status of a deadline that passes at the end of `dueOn`.
    static func status(_ dueOn: CivilDate, today: CivilDate, lead: Int) -> DeadlineStatus? {
        if today > dueOn { return .overdue }
        if dueOn.daysSinceEpoch - today.daysSinceEpoch <= lead { return .upcoming }
        return nil
    }

    public static func deadlines(for p: ProjectRecord, today: CivilDate, policy: Policy, leadDays: Int = defaultLeadDays) -> [Deadline] {
        var out: [Deadline] = []
        // 第七条: a unit's draft for plan year Y must be declared by 30 June of Y−1.
        if p.stage == .draft && p.source == .unitDeclaration && p.declarationException == nil {
            let due = policy.declarationDeadline(planYear: p.planYear).beijingDate
            if let s = status(due, today: today, lead: leadDays) {
                out.append(
                    Deadline(
                        kind: .declarationWindow, ref: String(p.planYear), dueOn: due, status: s, audience: [.unit], rule: "R-DEC-1",
                        article: "第七条",
                        message: s == .overdue ? "\(p.planYear)年度项目申报已于\(due.chinese)截止" : "\(p.planYear)年度项目须于\(due.chinese)前申报"))
            }
        }
        // 第二十条: once the trial run's end is reached, the unit may apply for acceptance.
        if p.stage == .trialRunning, let run = p.trialRun {
            let s: DeadlineStatus? = today >= run.end ? .due : (run.end.daysSinceEpoch - today.daysSinceEpoch <= leadDays ? .upcoming : nil)
            if let s {
                out.append(
                    Deadline(
                        kind: .trialRunEnd, dueOn: run.end, status: s, audience: [.unit], rule: "R-ACC-2", article: "第二十条",
                        message: s == .due ? "试运行期已满(\(run.end.chinese)),可申请竣工验收" : "试运行期将于\(run.end.chinese)届满"))
            }
        }
        // 第二十一条, 第二十二条: acceptance within 6 months of completion; afterwards no more money.
        if p.stage.awaitsAcceptance, let due = AcceptanceClock.deadline(p, policy), let s = status(due, today: today, lead: leadDays) {
            out.append(
                Deadline(
                    kind: .acceptanceDeadline, dueOn: due, status: s, audience: s == .overdue ? [.unit, .drc, .fin] : [.unit],
                    rule: "R-ACC-4", article: "第二十二条",
                    message: s == .overdue
                        ? "逾期未验收(应于\(due.chinese)前验收),须报告延期原因;财政不得拨付后续建设资金和运维经费"
                        : "应于\(due.chinese)前完成竣工验收"))
        }
        // 第十八条: rectification ordered by DRC on a reported incident, while construction lasts.
        if p.stage == .constructing || p.stage == .suspended {
            for incident in p.incidents {
                guard let response = incident.response, response.kind == .rectification, let due = response.deadline,
                    let s = status(due, today: today, lead: leadDays)
                else { continue }
                out.append(
                    Deadline(
                        kind: .incidentRectification, ref: String(incident.number), dueOn: due, status: s, audience: [.unit, .drc],
                        rule: "R-INC-1", article: "第十八条", message: "\(incident.kind.chinese)整改期限: \(due.chinese)"))
            }
        }
        // 第三十六条: findings of inspections, evaluations and audits, to rectify by their deadline.
        for f in SupervisionDeadlines.openFindings(p, today: today) {
            let s: DeadlineStatus? =
                f.overdue
                ? .overdue
                : (f.awaitingReport && f.daysRemaining <= leadDays ? .upcoming : nil)
            guard let s else { continue }
            out.append(
                Deadline(
                    kind: .findingRectification, ref: String(f.findingNumber), dueOn: f.deadline, status: s,
                    audience: s == .overdue ? [.unit, f.agency] : [.unit], rule: "R-SUP-1", article: "第三十六条",
                    message: s == .overdue
                        ? "\(f.agency.chinese)检查发现的问题逾期未整改(期限\(f.deadline.chinese)): \(f.description)"
                        : "\(f.agency.chinese)检查发现的问题须于\(f.deadline.chinese)前整改: \(f.description)"))
        }
        // 第三十五条: a 催办 that names a date to answer by, while unanswered (the urging agency learns of it once late).
        if Supervision.stages.contains(p.stage) {
            for u in p.supervision.unansweredUrges {
                guard let due = u.answerBy, let s = status(due, today: today, lead: leadDays) else { continue }
                out.append(
                    Deadline(
                        kind: .urgeAnswer, ref: String(u.number), dueOn: due, status: s,
                        audience: s == .overdue ? [.unit, u.agency] : [.unit], rule: "R-SUP-1", article: "第三十五条",
                        message: s == .overdue
                            ? "\(u.agency.chinese)催办「\(u.matter)」逾期未答复(期限\(due.chinese))"
                            : "\(u.agency.chinese)催办「\(u.matter)」,请于\(due.chinese)前答复"))
            }
        }
        // 第二十五条: after the free warranty, the O&M fee is applied for year by year.
        if let year = OperationsFeeRules.yearAwaitingApplication(p, today: today, policy) {
            out.append(
                Deadline(
                    kind: .operationsFee, ref: String(year), dueOn: CivilDate(year, 1, 1), status: .due, audience: [.unit],
                    rule: "R-OM-2", article: "第二十五条", message: "免费维保期已过,可申请\(year)年度运维费"))
        }
        // 第三十五条 (R-GOAL-2): the first 绩效评价 after acceptance, by the city's period; the evaluating
        // agencies act, the unit learns of it once late (it must supply the materials).
        if let due = PerformanceDeadlines.evaluationDue(p, policy), let s = status(due, today: today, lead: leadDays) {
            out.append(
                Deadline(
                    kind: .performanceEvaluation, dueOn: due, status: s, audience: s == .overdue ? [.fin, .drc, .unit] : [.fin, .drc],
                    rule: "R-GOAL-2", article: "第三十五条",
                    message: s == .overdue
                        ? "竣工验收后绩效评价已逾期(应于\(due.chinese)前完成)" : "竣工验收后绩效评价应于\(due.chinese)前完成"))
        }
        // 第三十三条, 第三十二条: periodic 等级测评 and 密评 at level 3 and above (policy parameters).
        if let due = SecurityDeadlines.nextGradedProtectionAssessment(p, policy), let s = status(due, today: today, lead: leadDays) {
            out.append(
                Deadline(
                    kind: .gradedProtection, dueOn: due, status: s, audience: s == .overdue ? [.unit, .bdb] : [.unit],
                    rule: "R-SEC-1", article: "第三十三条",
                    message: s == .overdue ? "等级保护测评已逾期(应于\(due.chinese)前完成)" : "等级保护测评应于\(due.chinese)前完成"))
        }
        if let due = SecurityDeadlines.nextCryptoAssessment(p, policy), let s = status(due, today: today, lead: leadDays) {
            out.append(
                Deadline(
                    kind: .cryptoAssessment, dueOn: due, status: s, audience: s == .overdue ? [.unit, .bdb] : [.unit],
                    rule: "R-SEC-2", article: "第三十二条",
                    message: s == .overdue ? "商用密码应用安全性评估已逾期(应于\(due.chinese)前完成)" : "商用密码应用安全性评估应于\(due.chinese)前完成"))
        }
        return out
    }
}
