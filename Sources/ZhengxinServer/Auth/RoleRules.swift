import ZhengxinCore

/// 三权分立 (GB/T 22239-2019 8.1.4.4 a)–c) 安全管理中心: 系统管理、审计管理、安全管理): the system,
/// security and audit administrators are separate people. One place decides what a set of roles
/// may be, and every path that sets roles asks it.
enum RoleRules {
    /// nil when the set is allowed; otherwise why not, in Chinese.
    static func problem(with roles: Set<Role>) -> String? {
        if roles.isEmpty { return "至少指定一个角色" }
        let admin = roles.filter(\.isAdministrator)
        if admin.count > 1 { return "三权分立: 一个账号不能同时担任系统管理员、安全管理员、审计管理员中的两种" }
        if !admin.isEmpty && roles.count > 1 { return "三权分立: 管理员账号不能同时是经办人员或只读用户,不能办理业务" }
        return nil
    }

    /// The agencies that decide on money and approvals, and every administrator, sign in with a
    /// second factor (等保三级 双因素, GB/T 22239-2019 8.1.4.1 d)).
    static func requiresSecondFactor(organisation: OrganisationType, roles: Set<Role>) -> Bool {
        [.drc, .fin, .bdb, .aud].contains(organisation) || roles.contains { $0.isAdministrator }
    }

    /// Parses "staff,viewer"; nil when a name is unknown.
    static func parse(_ names: [String]) -> Set<Role>? {
        let roles = names.compactMap { Role(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
        return roles.count == names.count ? Set(roles) : nil
    }
}
