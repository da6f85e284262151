import Fluent
import Vapor
import ZhengxinCore

/// `zhengxin create-org --name 市卫生健康委员会 --type UNIT`
struct CreateOrganisationCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "name", help: "机构名称") var name: String?
        @Option(name: "type", help: "DRC, FIN, BDB, AUD, UNIT or VENDOR") var type: String?
        @Option(name: "jurisdiction", help: "适用地区代码, 默认 zhengzhou (市本级)") var jurisdiction: String?
    }

    var help: String { "新建机构 (create an organisation)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let name = signature.name?.trimmingCharacters(in: .whitespaces), !name.isEmpty, let raw = signature.type,
            let type = OrganisationType(rawValue: raw.uppercased())
        else {
            context.console.error("用法: zhengxin create-org --name <名称> --type <DRC|FIN|BDB|AUD|UNIT|VENDOR>")
            throw ExitCode(2)
        }
        let faults = SystemAdminController.organisationFaults(name: name, jurisdiction: signature.jurisdiction)
        guard faults.isEmpty else {
            for fault in faults { context.console.error(fault.message) }
            throw ExitCode(2)
        }
        let app = context.application
        if try await OrganisationModel.query(on: app.db).filter(\.$name == name).first() != nil {
            context.console.error("机构已存在: \(name)")
            throw ExitCode(1)
        }
        let org = OrganisationModel(name: name, type: type, jurisdiction: signature.jurisdiction ?? PolicyBook.city)
        try await app.writeTransaction { db in
            try await org.create(on: db)
            try await AuditRecorder.append(
                AuditEvent(
                    actor: nil, action: "create-org", projectId: nil, result: .accepted,
                    summary: "新建机构「\(name)」(\(type.rawValue))", clientAddress: "cli"), at: app.zhengxin.now(), on: db)
        }
        context.console.print("已创建机构 \(name) (\(type.rawValue)) id=\(org.id!.uuidString)")
    }
}

/// `zhengxin create-user --username wjw --org 市卫生健康委员会 --roles staff [--password ...]`
/// Without `--password` the account gets an activation code (printed once), as over the API: its
/// holder sets the password and enrols TOTP. With `--password` the server operator, who runs this
/// with the database and master key in hand anyway, sets the password directly (how the demo and a
/// first system administrator are made); an account needing TOTP then gets an activation code to
/// enrol it, so even then no secret is printed here. The CLI is not bound by the two-person rule
/// for administrator accounts, which governs the administrators' API.
struct CreateUserCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "username") var username: String?
        @Option(name: "password", help: "可省略: 省略时签发激活码,由本人设置密码") var password: String?
        @Option(name: "name", help: "显示名称") var displayName: String?
        @Option(name: "org", help: "机构名称或 id") var organisation: String?
        @Option(name: "roles", help: "staff, viewer, systemAdmin, securityAdmin, auditAdmin (逗号分隔)") var roles: String?
        @Option(name: "phone", help: "手机号 (加密存储)") var phone: String?
        @Option(name: "id-number", help: "身份证号, 18位 (加密存储)") var idNumber: String?
    }

    var help: String { "新建用户 (create a user)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let username = signature.username, !username.isEmpty, let orgRef = signature.organisation else {
            context.console.error("用法: zhengxin create-user --username <用户名> --org <机构> [--password <密码>] [--name <姓名>] [--roles staff]")
            throw ExitCode(2)
        }
        let roleNames = (signature.roles ?? "staff").split(separator: ",").map(String.init)
        guard let roles = RoleRules.parse(roleNames) else {
            context.console.error("未知的角色: \(signature.roles ?? "")")
            throw ExitCode(2)
        }
        let app = context.application
        var found: OrganisationModel?
        if let id = UUID(uuidString: orgRef) { found = try await OrganisationModel.find(id, on: app.db) }
        if found == nil { found = try await OrganisationModel.query(on: app.db).filter(\.$name == orgRef).first() }
        guard let org = found else {
            context.console.error("机构不存在: \(orgRef)")
            throw ExitCode(1)
        }
        // Password rules and 三权分立 are checked in UserAccounts, the same as over the API.
        let created: UserAccounts.Created
        do {
            created = try await UserAccounts.create(
                .init(
                    username: username, displayName: signature.displayName ?? username, password: signature.password,
                    organisation: org, roles: roles,
                    personal: UserPersonalData.normalised(phone: signature.phone, idNumber: signature.idNumber)),
                by: nil, client: "cli", app: app)
        } catch let error as APIError {
            context.console.error(error.violations.isEmpty ? error.message : error.violations.map(\.message).joined(separator: "\n"))
            throw ExitCode(error.status == .conflict ? 1 : 2)
        }
        context.console.print("已创建用户 \(username) (\(org.name))")
        if let activation = created.activation {
            let what =
                activation.purpose == AccountActivation.Purpose.activate.rawValue
                ? "设置密码" + (RoleRules.requiresSecondFactor(organisation: org.organisationType, roles: roles) ? "并绑定动态口令" : "")
                : "绑定动态口令(须输入当前密码)"
            context.console.print("激活码 (activation code, 只显示这一次): \(activation.code)")
            context.console.print(
                "  请交给本人,本人在 /activate 页面或 POST /api/v1/auth/activate 用它\(what);\(AccountActivation.lifetimeSeconds / 3600)小时内有效,只能使用一次")
        }
    }
}

/// `zhengxin disable-user` / `enable-user`: stops or restarts any account, administrators' too, with
/// the server operator's rights (三权分立: the system administrator's API stops business accounts
/// only). Audited as the CLI's.
struct UserActivityCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "username") var username: String?
    }

    let active: Bool
    var help: String { active ? "启用已停用的用户 (enable a user)" : "停用用户,结束其所有会话 (disable a user)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let name = active ? "enable-user" : "disable-user"
        guard let username = signature.username, !username.isEmpty else {
            context.console.error("用法: zhengxin \(name) --username <用户名>")
            throw ExitCode(2)
        }
        let app = context.application
        guard let user = try await UserModel.query(on: app.db).filter(\.$username == username).first() else {
            context.console.error("用户不存在: \(username)")
            throw ExitCode(1)
        }
        guard user.active != active else {
            context.console.print(active ? "用户 \(username) 未停用,无需启用" : "用户 \(username) 已停用")
            return
        }
        try await UserActivity.set(user, active: active, by: nil, client: "cli", at: app.zhengxin.now(), app: app)
        context.console.print(active ? "已启用用户 \(username)" : "已停用用户 \(username),其所有登录会话已结束")
    }
}

/// `zhengxin audit-verify`: walks the hash chain of the audit record.
struct AuditVerifyCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "校验审计记录哈希链 (verify the audit record's hash chain)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let report = try await AuditRecorder.verify(on: context.application.db)
        guard report.problem == nil else {
            context.console.error(report.message)
            throw ExitCode(1)
        }
        context.console.print(report.message)
    }
}

/// A command's failure: the message was printed already; the process exits with `code`.
/// Vapor's command runner logs a thrown error and returns normally, so the code is also kept for
/// the entry point to exit with.
public struct ExitCode: Error {
    public var code: Int32
    nonisolated(unsafe) public static var requested: Int32 = 0
    public init(_ code: Int32) {
        self.code = code
        ExitCode.requested = code
    }
}
