import Fluent
import Vapor
import ZhengxinCore

/// Creating an account, the same way from the CLI and from the system administrator's API: the
/// password rules (GB/T 22239-2019 8.1.4.1 a)) and 三权分立 (8.1.4.4) are checked here, once.
enum UserAccounts {
    struct NewUser: Sendable {
        var username: String
        var displayName: String
        var password: String
        var organisation: OrganisationModel
        var roles: Set<Role>
        /// 手机号 and 身份证号, optional; stored sealed (UserPersonalData).
        var personal = UserPersonalData.Values()
    }

    /// What was created; `totpSecret` is set when the account must use a second factor, so the
    /// administrator can hand it over (it is shown once).
    struct Created: Sendable {
        var user: UserModel
        var totpSecret: String?
    }

    /// Every problem with the request, as input violations; empty when it can be created.
    static func problems(_ new: NewUser, policy: PasswordPolicy) -> [Violation] {
        var problems: [Violation] = []
        let name = new.username
        if name.isEmpty || name.count > 64 || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) {
            problems.append(.input("username", "用户名须为1至64位字母、数字或 . _ -"))
        }
        if let why = policy.problem(with: new.password) { problems.append(.input("password", why)) }
        if let why = RoleRules.problem(with: new.roles) { problems.append(.input("roles", why)) }
        problems += UserPersonalData.problems(new.personal)
        return problems
    }

    /// Creates the account (and its TOTP enrolment when required) with its audit entry, in one
    /// transaction. `actor` is nil for the CLI.
    static func create(_ new: NewUser, by actor: Actor?, client: String, app: Application) async throws -> Created {
        let problems = problems(new, policy: app.zhengxin.config.authentication.passwordPolicy)
        guard problems.isEmpty else { throw APIError.invalid(problems) }
        let hash = try app.password.hash(new.password)
        let orgId = try new.organisation.requireID()
        let now = app.zhengxin.now()
        let needsTOTP = RoleRules.requiresSecondFactor(organisation: new.organisation.organisationType, roles: new.roles)
        let secret = needsTOTP ? TOTPEnrolment.newSecret() : nil
        let user = UserModel(id: UUID(), username: new.username, displayName: new.displayName, passwordHash: hash, organisationId: orgId, roles: new.roles)
        let roleText = new.roles.map(\.rawValue).sorted().joined(separator: ",")
        try await app.writeTransaction { db in
            if try await UserModel.query(on: db).filter(\.$username == new.username).first() != nil {
                throw APIError(status: .conflict, code: "ALREADY_EXISTS", message: "用户名已存在: \(new.username)")
            }
            try await user.create(on: db)
            try await UserPersonalData.store(new.personal, for: try user.requireID(), on: db)
            if let secret {
                let security = AccountSecurityModel(userId: try user.requireID())
                try TOTPEnrolment.enrol(security, secretBase32: secret, demo: false)
                try await security.create(on: db)
            }
            try await AuditRecorder.append(AuditEvent(actor: actor, action: "create-user", result: .accepted,
                                                      summary: "新建用户 \(new.username)(\(new.organisation.name),角色: \(roleText)\(secret == nil ? "" : ",已绑定动态口令"))",
                                                      clientAddress: client), at: now, on: db)
        }
        user.$organisation.value = new.organisation
        return Created(user: user, totpSecret: secret)
    }
}
