import Foundation

/// 监督管理 (第三十五条 to 第三十九条): what the project has on record for this part of the Measures —
/// oversight activities with their findings (R-SUP-1), sanctions (R-SUP-2) and accountability
/// referrals (R-SUP-3). Decoding tolerates records stored before any of these existed.
public struct SupervisionRecord: Codable, Sendable, Hashable {
    /// 监督检查 / 绩效评价 / 审计, in the order recorded.
    public var oversights: [Oversight] = []
    /// 整改意见: every finding of every oversight, numbered 1… across the project.
    public var findings: [Finding] = []
    /// 通报批评 / 暂缓拨付建设资金 / 暂停项目建设 / 终止项目.
    public var sanctions: [Sanction] = []
    /// 追责移送 (第三十七条 to 第三十九条).
    public var referrals: [AccountabilityReferral] = []
    /// 催办: an agency's chasing of the unit about a pending matter, and the unit's answers.
    public var urges: [Urge] = []
    /// 绩效评价 with per-indicator scores (R-GOAL-2, 第三十五条), in the order recorded.
    public var evaluations: [PerformanceEvaluation] = []

    public init() {}

    enum CodingKeys: String, CodingKey { case oversights, findings, sanctions, referrals, urges, evaluations }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        oversights = try c.decodeIfPresent([Oversight].self, forKey: .oversights) ?? []
        findings = try c.decodeIfPresent([Finding].self, forKey: .findings) ?? []
        sanctions = try c.decodeIfPresent([Sanction].self, forKey: .sanctions) ?? []
        referrals = try c.decodeIfPresent([AccountabilityReferral].self, forKey: .referrals) ?? []
        urges = try c.decodeIfPresent([Urge].self, forKey: .urges) ?? []
        evaluations = try c.decodeIfPresent([PerformanceEvaluation].self, forKey: .evaluations) ?? []
    }

    /// The most recent 绩效评价, by evaluation date then by order of recording.
    public var latestEvaluation: PerformanceEvaluation? {
        evaluations.enumerated().max { ($0.element.evaluatedOn, $0.offset) < ($1.element.evaluatedOn, $1.offset) }?.element
    }

    public func urge(_ number: Int) -> Urge? { urges.first { $0.number == number } }

    /// 催办 the unit has not answered yet.
    public var unansweredUrges: [Urge] { urges.filter { $0.answer == nil } }

    public func finding(_ number: Int) -> Finding? { findings.first { $0.number == number } }
    public func sanction(_ number: Int) -> Sanction? { sanctions.first { $0.number == number } }

    /// Sanctions in effect (not lifted), optionally of one kind.
    public func activeSanctions(_ kind: SanctionKind? = nil) -> [Sanction] {
        sanctions.filter { $0.isActive && (kind == nil || $0.kind == kind) }
    }

    /// 暂缓拨付 in effect: what `ProjectRecord.fundingHold` mirrors (R-FUND-3).
    public var hasActiveFundingHold: Bool { !activeSanctions(.fundingHold).isEmpty }

    /// 暂停项目建设 in effect as a sanction: only the agency that applied it may lift it (R-SUP-2).
    public var hasActiveSuspension: Bool { !activeSanctions(.suspension).isEmpty }
}

/// 第三十五条: the three kinds of oversight work.
public enum OversightKind: String, Codable, Sendable, CaseIterable {
    case inspection  // 监督检查 (第三十六条)
    case performanceEvaluation  // 绩效评价
    case audit  // 审计 (市审计局 only)

    public var chinese: String {
        switch self {
        case .inspection: return "监督检查"
        case .performanceEvaluation: return "绩效评价"
        case .audit: return "审计"
        }
    }
}

/// What an audit by 市审计局 covers: 预决算 and 财经纪律.
public enum AuditScope: String, Codable, Sendable, CaseIterable {
    case budget  // 预算执行
    case finalAccounts  // 决算
    case financialDiscipline  // 财经纪律

    public var chinese: String {
        switch self {
        case .budget: return "预算执行"
        case .finalAccounts: return "决算"
        case .financialDiscipline: return "财经纪律"
        }
    }
}

/// One inspection, performance evaluation or audit (R-SUP-1).
public struct Oversight: Codable, Sendable, Hashable {
    public var number: Int
    public var kind: OversightKind
    public var agency: OrganisationType
    public var agencyOrganisationId: UUID
    public var heldOn: CivilDate
    public var subject: String
    public var conclusion: String
    public var auditScope: AuditScope?
    public var recordedOn: CivilDate
    public var findingNumbers: [Int]
}

/// Where a finding stands. open → reported → closed, or → escalated (拒不整改 / 整改后仍不符合要求).
public enum FindingStatus: String, Codable, Sendable, CaseIterable {
    case open  // 待整改
    case reported  // 已报送整改情况,待检查部门审核
    case closed  // 整改完成,已销号
    case escalated  // 拒不整改或整改后仍不符合要求

    public var chinese: String {
        switch self {
        case .open: return "待整改"
        case .reported: return "已报送整改情况"
        case .closed: return "已销号"
        case .escalated: return "已升级处理"
        }
    }
}

/// 整改报告: the unit's answer to a finding.
public struct RectificationReport: Codable, Sendable, Hashable {
    public var reportedOn: CivilDate
    public var description: String
    /// Filed after the deadline (逾期报送).
    public var late: Bool
}

/// 第三十六条: a violation found, and the deadline by which the unit must rectify it (限期整改).
public struct Finding: Codable, Sendable, Hashable {
    public var number: Int
    public var oversightNumber: Int
    public var agency: OrganisationType
    public var agencyOrganisationId: UUID
    public var description: String
    /// The rule or approval requirement violated (违反的规定或批复要求).
    public var basis: String
    /// The last day for rectification; the day after it the finding is overdue.
    public var deadline: CivilDate
    public var raisedOn: CivilDate
    public var status: FindingStatus
    public var reports: [RectificationReport]
    public var closedOn: CivilDate?
    public var closingNote: String?
    public var escalatedOn: CivilDate?
    public var escalationReason: String?

    /// 拒不整改: no report, and the deadline has passed.
    public func isOverdueUnanswered(today: CivilDate) -> Bool { status == .open && today > deadline }
}

/// 第三十六条, in escalating order.
public enum SanctionKind: String, Codable, Sendable, CaseIterable {
    case publicCriticism  // 通报批评
    case fundingHold  // 暂缓拨付建设资金
    case suspension  // 暂停项目建设
    case termination  // 终止项目

    public var chinese: String {
        switch self {
        case .publicCriticism: return "通报批评"
        case .fundingHold: return "暂缓拨付建设资金"
        case .suspension: return "暂停项目建设"
        case .termination: return "终止项目"
        }
    }

    /// 1 (mildest) to 4 (termination).
    public var severity: Int { SanctionKind.allCases.firstIndex(of: self)! + 1 }
}

/// One sanction (R-SUP-2), and its lifting.
public struct Sanction: Codable, Sendable, Hashable {
    public var number: Int
    public var kind: SanctionKind
    public var agency: OrganisationType
    public var agencyOrganisationId: UUID
    /// The findings it rests on (拒不整改或整改后仍不符合要求).
    public var findingNumbers: [Int]
    public var reason: String
    public var documentNumber: String?
    public var decidedOn: CivilDate
    /// The stage the project left (suspension, termination).
    public var stageBefore: Stage?
    public var liftedOn: CivilDate?
    public var liftReason: String?

    public var isActive: Bool { liftedOn == nil }
}

/// 第三十七条 to 第三十九条: on what ground a referral is made.
public enum ReferralGround: String, Codable, Sendable, CaseIterable {
    /// 第三十七条: 违反本办法, 管理不善, 弄虚作假 → 严重超预算, 质量低劣, 损失浪费, 安全事故 (项目审批部门提请).
    case breachOfMeasures
    /// 第三十八条: 截留、挪用项目资金, 违规安排建设和运行维护经费 (有关部门查处).
    case fundMisuse
    /// 第三十九条: 滥用职权、玩忽职守、徇私舞弊、索贿受贿.
    case officialMisconduct

    public var article: String {
        switch self {
        case .breachOfMeasures: return "第三十七条"
        case .fundMisuse: return "第三十八条"
        case .officialMisconduct: return "第三十九条"
        }
    }

    public var chinese: String {
        switch self {
        case .breachOfMeasures: return "违反本办法造成严重超预算、质量低劣、损失浪费或安全事故"
        case .fundMisuse: return "截留、挪用项目资金或违规安排经费"
        case .officialMisconduct: return "滥用职权、玩忽职守、徇私舞弊、索贿受贿"
        }
    }
}

/// 追责移送 (R-SUP-3): who is referred, for what conduct, to which body, under which article.
public struct AccountabilityReferral: Codable, Sendable, Hashable {
    public var number: Int
    public var ground: ReferralGround
    public var article: String
    public var agency: OrganisationType
    public var agencyOrganisationId: UUID
    /// Who is referred (a person, with position, or a unit).
    public var subject: String
    public var conduct: String
    /// The body it goes to (e.g. 市纪委监委, 公安机关).
    public var referredTo: String
    public var referredOn: CivilDate
    /// 构成犯罪的,移交有关部门依法追究刑事责任.
    public var criminal: Bool
    public var findingNumbers: [Int]
    public var recordedOn: CivilDate
}
