import Foundation

/// 第三条, 第五条: the agencies and the kinds of organisation on record.
public enum OrganisationType: String, Codable, Sendable, CaseIterable {
    case drc = "DRC"  // 市发展改革委 (项目审批部门)
    case fin = "FIN"  // 市财政局
    case bdb = "BDB"  // 市大数据局
    case aud = "AUD"  // 市审计局
    case unit = "UNIT"  // 项目单位
    case vendor = "VENDOR"  // 承建单位 / 监理单位 / 咨询评估单位

    public var chinese: String {
        switch self {
        case .drc: return "市发展改革委"
        case .fin: return "市财政局"
        case .bdb: return "市大数据局"
        case .aud: return "市审计局"
        case .unit: return "项目单位"
        case .vendor: return "承建/监理/咨询单位"
        }
    }

    /// Agencies see every project; units and vendors only their own (第三条, 第五条).
    public var seesAllProjects: Bool {
        switch self {
        case .drc, .fin, .bdb, .aud: return true
        case .unit, .vendor: return false
        }
    }
}

/// What a user may do within its organisation. Business actions need `staff`; the three
/// administrator roles (三权分立) take no business actions.
public enum Role: String, Codable, Sendable, CaseIterable {
    case staff  // 经办人员: takes its organisation's actions
    case viewer  // 只读
    case systemAdmin  // 系统管理员: users, organisations
    case securityAdmin  // 安全管理员: roles, policy settings
    case auditAdmin  // 审计管理员: reads the audit record

    public var chinese: String {
        switch self {
        case .staff: return "经办人员"
        case .viewer: return "只读用户"
        case .systemAdmin: return "系统管理员"
        case .securityAdmin: return "安全管理员"
        case .auditAdmin: return "审计管理员"
        }
    }

    public var isAdministrator: Bool { self == .systemAdmin || self == .securityAdmin || self == .auditAdmin }
}

/// Who is asking: the facts about the caller that rules need.
public struct Actor: Hashable, Sendable, Codable {
    public var userId: UUID
    public var displayName: String
    public var organisationId: UUID
    public var organisationType: OrganisationType
    public var roles: Set<Role>
    /// The organisation's jurisdiction (the city, or a county that adopted its own measures, 第四十二条).
    public var jurisdiction: String

    public init(
        userId: UUID, displayName: String, organisationId: UUID, organisationType: OrganisationType, roles: Set<Role>,
        jurisdiction: String = PolicyBook.city
    ) {
        self.jurisdiction = jurisdiction
        self.userId = userId
        self.displayName = displayName
        self.organisationId = organisationId
        self.organisationType = organisationType
        self.roles = roles
    }

    public var canAct: Bool { roles.contains(.staff) }
}
