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
        guard let name = signature.name, !name.isEmpty, let raw = signature.type, let type = OrganisationType(rawValue: raw.uppercased()) else {
            context.console.error("用法: zhengxin create-org --name <名称> --type <DRC|FIN|BDB|AUD|UNIT|VENDOR>")
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
            try await AuditRecorder.append(AuditEvent(actor: nil, action: "create-org", projectId: nil, result: .accepted,
                                                      summary: "新建机构「\(name)」(\(type.rawValue))", clientAddress: "cli"), at: app.zhengxin.now(), on: db)
        }
        context.console.print("已创建机构 \(name) (\(type.rawValue)) id=\(org.id!.uuidString)")
    }
}

/// `zhengxin create-user --username wjw --password ... --org 市卫生健康委员会 --roles staff`
struct CreateUserCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "username") var username: String?
        @Option(name: "password") var password: String?
        @Option(name: "name", help: "显示名称") var displayName: String?
        @Option(name: "org", help: "机构名称或 id") var organisation: String?
        @Option(name: "roles", help: "staff, viewer, systemAdmin, securityAdmin, auditAdmin (逗号分隔)") var roles: String?
    }

    var help: String { "新建用户 (create a user)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let username = signature.username, !username.isEmpty, let password = signature.password,
              let orgRef = signature.organisation else {
            context.console.error("用法: zhengxin create-user --username <用户名> --password <密码> --org <机构> [--name <姓名>] [--roles staff]")
            throw ExitCode(2)
        }
        let roleNames = (signature.roles ?? "staff").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        let roles = Set(roleNames.compactMap(Role.init(rawValue:)))
        guard roles.count == roleNames.count, !roles.isEmpty else {
            context.console.error("未知的角色: \(signature.roles ?? "")")
            throw ExitCode(2)
        }
        guard roles.filter(\.isAdministrator).count <= 1, !(roles.contains { $0.isAdministrator } && roles.contains(.staff)) else {
            context.console.error("三权分立: 一个账号不能同时担任两种管理员角色,管理员也不能办理业务")
            throw ExitCode(2)
        }
        guard password.count >= 8 else {
            context.console.error("密码至少8位")
            throw ExitCode(2)
        }
        let app = context.application
        var found: OrganisationModel?
        if let id = UUID(uuidString: orgRef) { found = try await OrganisationModel.find(id, on: app.db) }
        if found == nil { found = try await OrganisationModel.query(on: app.db).filter(\.$name == orgRef).first() }
        guard let org = found, let orgId = org.id else {
            context.console.error("机构不存在: \(orgRef)")
            throw ExitCode(1)
        }
        if try await UserModel.query(on: app.db).filter(\.$username == username).first() != nil {
            context.console.error("用户名已存在: \(username)")
            throw ExitCode(1)
        }
        let hash = try app.password.hash(password)
        let user = UserModel(username: username, displayName: signature.displayName ?? username, passwordHash: hash, organisationId: orgId, roles: roles)
        try await app.writeTransaction { db in
            try await user.create(on: db)
            try await AuditRecorder.append(AuditEvent(actor: nil, action: "create-user", projectId: nil, result: .accepted,
                                                      summary: "新建用户 \(username)(\(org.name),角色: \(roles.map(\.rawValue).sorted().joined(separator: ",")))",
                                                      clientAddress: "cli"), at: app.zhengxin.now(), on: db)
        }
        context.console.print("已创建用户 \(username) (\(org.name))")
    }
}

/// `zhengxin audit-verify`: walks the hash chain of the audit record.
struct AuditVerifyCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "校验审计记录哈希链 (verify the audit record's hash chain)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let result = try await AuditRecorder.verify(on: context.application.db)
        if let broken = result.firstBroken {
            context.console.error("审计记录在第\(broken)条处被篡改或缺失(共\(result.entries)条)")
            throw ExitCode(1)
        }
        context.console.print("审计记录完整: 共\(result.entries)条,哈希链校验通过")
    }
}

struct ExitCode: Error { var code: Int32; init(_ code: Int32) { self.code = code } }
