import Fluent
import Vapor
import ZhengxinCore

/// Creating an account, the same way from the CLI and from the administrators' API: the
/// password rules (GB/T 22239-2019 8.1.4.1 a)) and 三权分立 (8.1.4.4) are checked here, once.
/// Over the API no administrator sets a password or sees a TOTP secret: the account starts with an
/// activation code (AccountActivation) and its holder sets both. Only the CLI, which runs with the
/// server operator's rights, may still set a password directly (`create-user --password`).
enum UserAccounts {
    struct NewUser: Sendable {
        var username: String
        var displayName: String
        /// nil: the holder sets it with the activation code.
        var password: String?
        var organisation: OrganisationModel
        var roles: Set<Role>
        /// 手机号 and 身份证号, optional; stored sealed (UserPersonalData).
        var personal = UserPersonalData.Values()
    }

    /// What was created, and the activation code to hand over (shown once): to set the password
    /// and enrol TOTP, or with a password set by the CLI, to enrol TOTP where the account needs it.
    struct Created: Sendable {
        var user: UserModel
        var activation: AccountActivation.Issued?
    }

    /// Every problem with the request, as input violations; empty when it can be created.
    static func problems(_ new: NewUser, policy: PasswordPolicy) -> [Violation] {
        var problems: [Violation] = []
        let name = new.username
        if name.isEmpty || name.count > 64 || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) {
            problems.append(.input("username", "用户名须为1至64位字母、数字或 . _ -"))
        }
        // The name every page, list and audit summary shows of the account: bounded (in bytes too, so
        // combining marks cannot make 100 characters kilobytes) and screened like any text.
        let display = new.displayName
        if display.trimmingCharacters(in: .whitespaces).isEmpty || display.count > 50 || display.utf8.count > 400 {
            problems.append(.input("displayName", "姓名须为1至50个字符"))
        } else if !PayloadScreening.isPrintableLine(display) {
            problems.append(PayloadScreening.refusal(field: "displayName", name: "姓名"))
        }
        if let password = new.password, let why = policy.problem(with: password) { problems.append(.input("password", why)) }
        if let why = RoleRules.problem(with: new.roles) { problems.append(.input("roles", why)) }
        problems += UserPersonalData.problems(new.personal)
        return problems
    }

    /// Creates the account with its activation code and audit entry, in one transaction. `actor` is
    /// nil for the CLI. `firstHalfDigest` is the digest of the proposing system administrator's half of an administrator
    /// account's code (AdminAccountProposals). `extra` runs in the same transaction.
    static func create(
        _ new: NewUser, by actor: Actor?, client: String, app: Application, firstHalfDigest: String? = nil,
        extra: (@Sendable (Database) async throws -> Void)? = nil
    ) async throws -> Created {
        let problems = problems(new, policy: app.zhengxin.config.authentication.passwordPolicy)
        guard problems.isEmpty else { throw APIError.invalid(problems) }
        // Without a password the hash is of 256 random bits nobody is told: no password matches it,
        // so the account cannot sign in until its holder activates it, and the login answers exactly
        // as for a wrong password (nothing tells an attacker the account is new).
        let hash = try await app.passwords(answeringOn: app.eventLoopGroup.next()).hash(
            new.password ?? [UInt8].random(count: 32).base64
        ).get()
        let orgId = try new.organisation.requireID()
        let now = app.zhengxin.now()
        let needsTOTP = RoleRules.requiresSecondFactor(organisation: new.organisation.organisationType, roles: new.roles)
        let purpose: AccountActivation.Purpose? = new.password == nil ? .activate : (needsTOTP ? .enrolTOTP : nil)
        let user = UserModel(
            id: UUID(), username: new.username, displayName: new.displayName, passwordHash: hash, organisationId: orgId, roles: new.roles)
        let roleText = new.roles.map(\.rawValue).sorted().joined(separator: ",")
        let issued = try await app.writeTransaction { db in
            if try await UserModel.query(on: db).filter(\.$username == new.username).first() != nil {
                throw APIError(status: .conflict, code: "ALREADY_EXISTS", message: "用户名已存在: \(new.username)")
            }
            try await user.create(on: db)
            try await UserPersonalData.store(new.personal, for: try user.requireID(), on: db)
            var issued: AccountActivation.Issued?
            if let purpose {
                issued = try await AccountActivation.issue(
                    for: try user.requireID(), purpose: purpose, firstHalfDigest: firstHalfDigest, at: now, on: db)
            }
            let state =
                switch purpose {
                case .activate?: ",待本人用激活码设置密码\(needsTOTP ? "并绑定动态口令" : "")"
                case .enrolTOTP?: ",密码由命令行设置,待本人用激活码绑定动态口令"
                case nil: ",密码由命令行设置"
                }
            try await AuditRecorder.append(
                AuditEvent(
                    actor: actor, action: "create-user", result: .accepted,
                    summary: "新建用户 \(new.username)(\(new.organisation.name),角色: \(roleText)\(state))",
                    clientAddress: client), at: now, on: db)
            try await extra?(db)
            return issued
        }
        user.$organisation.value = new.organisation
        return Created(user: user, activation: issued)
    }
}
