/// Where a project stands in its lifecycle. Each transition is one action by one role.
public enum Stage: String, Codable, Sendable, CaseIterable {
    case draft
    case declared
    case techReview = "tech_review"
    case pendingGovernment = "pending_government"
    case reserve
    case planned
    case approving
    case approved
    case procuring
    case constructing
    case suspended
    case completed
    case trialRunning = "trial_running"
    case acceptanceApplied = "acceptance_applied"
    case accepted
    case operating
    case terminated
    case withdrawn
    case returned
    case rejected

    public var chinese: String {
        switch self {
        case .draft: return "草稿"
        case .declared: return "已申报"
        case .techReview: return "技术审查中"
        case .pendingGovernment: return "待市政府批准"
        case .reserve: return "储备库"
        case .planned: return "已列入年度计划"
        case .approving: return "审批中"
        case .approved: return "已批复"
        case .procuring: return "招标采购中"
        case .constructing: return "建设中"
        case .suspended: return "暂停建设"
        case .completed: return "已建成"
        case .trialRunning: return "试运行"
        case .acceptanceApplied: return "已申请竣工验收"
        case .accepted: return "已竣工验收"
        case .operating: return "运行维护"
        case .terminated: return "已终止"
        case .withdrawn: return "已撤回"
        case .returned: return "退回修改"
        case .rejected: return "审查未通过"
        }
    }

    /// After approval: the approved budget exists and binds (第十条).
    public var isPostApproval: Bool {
        switch self {
        case .approved, .procuring, .constructing, .suspended, .completed, .trialRunning,
            .acceptanceApplied, .accepted, .operating:
            return true
        default:
            return false
        }
    }

    /// Built and not yet accepted: the 6-month acceptance clock runs (第二十一条).
    public var awaitsAcceptance: Bool {
        self == .completed || self == .trialRunning || self == .acceptanceApplied
    }

    public var isClosed: Bool { self == .terminated || self == .withdrawn || self == .rejected }
}
