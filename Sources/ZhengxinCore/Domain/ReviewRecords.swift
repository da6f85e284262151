import Foundation

/// 第七条: BDB's five review criteria.
public enum ReviewCriterion: String, Codable, Sendable, CaseIterable {
    case necessity  // 必要性
    case scaleRationality  // 规模合理性
    case technicalAdvancement  // 技术先进性
    case securityReliability  // 安全可靠性
    case intensiveness  // 集约性

    public var chinese: String {
        switch self {
        case .necessity: return "必要性"
        case .scaleRationality: return "规模合理性"
        case .technicalAdvancement: return "技术先进性"
        case .securityReliability: return "安全可靠性"
        case .intensiveness: return "集约性"
        }
    }
}

public struct CriterionFinding: Codable, Sendable, Hashable {
    public var criterion: ReviewCriterion
    public var satisfied: Bool
    public var comment: String
    /// R-REV-3 (第七条 集约性, 第二十七条), on the 集约性 finding only: the similar projects the
    /// reviewer considered, by id. Optional, so opinions stored before 查重 still decode.
    public var consideredProjects: [UUID]? = nil
    /// R-REV-3: the reviewer considered the matches 查重 could only disclose as 受限项目 (第十七条:
    /// a 涉密 project the reviewer is not named on cannot be named, so it is acknowledged generically).
    public var restrictedConsidered: Bool? = nil
    /// R-REV-3: why the project is or is not a duplicate of those considered.
    public var duplicateAssessment: String? = nil
}

public enum ReviewConclusion: String, Codable, Sendable {
    case pass  // 审查通过
    case returned  // 退回修改
    case rejected  // 不予通过

    public var chinese: String {
        switch self {
        case .pass: return "审查通过"
        case .returned: return "退回修改"
        case .rejected: return "不予通过"
        }
    }
}

/// 审查意见 (R-REV-1, R-REV-2).
public struct ReviewOpinion: Codable, Sendable, Hashable {
    public var number: Int
    public var findings: [CriterionFinding]
    public var conclusion: ReviewConclusion
    public var ownInfrastructureAccepted: Bool?
    public var comment: String
    public var issuedOn: CivilDate
    public var reviewer: UUID
}

/// R-DEC-1: DRC's exception for a late unit declaration.
public struct DeclarationException: Codable, Sendable, Hashable {
    public var reason: String
    public var recordedOn: CivilDate
    public var recordedBy: UUID
}

/// R-GEN-2 (第六条): 情况复杂、总投资较大且关系全市, set by DRC, and the 政府常务会 decision.
/// Every change of the mark and every later meeting is kept: the mark is a recorded decision, and a
/// 常务会 outcome binds what follows it.
public struct MajorProjectMark: Codable, Sendable, Hashable {
    public var major: Bool
    public var reason: String
    public var markedOn: CivilDate
    public var executiveMeeting: ExecutiveMeetingDecision?
    /// The marks this one replaced, oldest first.
    public var earlierMarks: [EarlierMajorProjectMark]? = nil
    /// Meetings before `executiveMeeting`, oldest first.
    public var earlierMeetings: [ExecutiveMeetingDecision]? = nil
}

public struct EarlierMajorProjectMark: Codable, Sendable, Hashable {
    public var major: Bool
    public var reason: String
    public var markedOn: CivilDate
}

public struct ExecutiveMeetingDecision: Codable, Sendable, Hashable {
    public var meetingOn: CivilDate
    public var minutesReference: String
    public var agreed: Bool
    /// The total investment the meeting studied: an agreement covers that project, not a larger one
    /// the unit made of it after a return for revision.
    public var totalInvestmentStudied: Fen? = nil
}

/// R-RES-1 (第八条): municipal government approval into the reserve pool.
public struct ReservePoolEntry: Codable, Sendable, Hashable {
    public var approvedOn: CivilDate
    public var documentNumber: String
}

/// R-PLAN-1 (第八条): the project's line in an issued annual government investment plan.
public struct AnnualPlanLine: Codable, Sendable, Hashable {
    public var planId: UUID
    public var year: Int
    public var plannedAmount: Fen
    public var documentNumber: String
    public var issuedOn: CivilDate
}
