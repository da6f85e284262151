import Fluent
import Vapor
import ZhengxinCore

/// 系统管理员 (users, organisations; GB/T 22239-2019 8.1.4.4 三权分立): lists, creates and disables accounts and adds
/// organisations. Takes no business action and changes no roles of existing accounts.
/// GET /api/v1/admin/users is also open to the security administrator, who must see whom to unlock.
/// A new account gets no password and no TOTP secret from the administrator: it gets an activation
/// code, which its holder uses to set both (AccountActivation). Every account is only proposed
/// here; a security administrator approves it, and each of the two receives half of the code
/// (AdminAccountProposals), so neither can take over an account it helped create.
struct SystemAdminController {
    /// No password: the holder sets it at activation (a `password` sent anyway is ignored).
    struct CreateUser: Content {
        var username: String; var displayName: String?; var organisationId: UUID; var roles: [String]
        var phone: String?; var idNumber: String?
    }
    struct CreateOrganisation: Content { var name: String; var type: String; var jurisdiction: String? }
    struct OrganisationView: Content { var id: UUID; var name: String; var type: String; var jurisdiction: String }

    static let refusal = "仅系统管理员可管理用户和机构"

    func register(_ routes: RoutesBuilder) {
        let admin = routes.grouped("admin")
        admin.get("users", use: list)
        admin.post("users", use: create)
        admin.post("users", ":userId", "disable", use: disable)
        admin.post("users", ":userId", "enable", use: enable)
        admin.post("organisations", use: createOrganisation)
    }

    /// A page of accounts by username (its unique index), with the security state, personal data
    /// and pending activation of the page's accounts only; the number of accounts in `X-Total-Count`.
    func list(_ req: Request) async throws -> Response {
        _ = try await req.administrator([.systemAdmin, .securityAdmin], action: "list-users", refusal: "仅系统管理员和安全管理员可查看用户列表")
        let paging = try PageRequest.collection(req)
        let total = try await UserModel.query(on: req.db).count()
        let users = try await UserModel.query(on: req.db).with(\.$organisation).sort(\.$username).range(paging.range).all()
        let ids = try users.map { try $0.requireID() }
        let security = ids.isEmpty ? [] : try await AccountSecurityModel.query(on: req.db).filter(\.$user.$id ~~ ids).all()
        let byUser = Dictionary(security.map { ($0.$user.id, $0) }, uniquingKeysWith: { a, _ in a })
        let personalRows = ids.isEmpty ? [] : try await UserPersonalDataModel.query(on: req.db).filter(\.$userId ~~ ids).all()
        let personal = Dictionary(
            try personalRows.map { ($0.userId, try UserPersonalData.values(of: $0)) }, uniquingKeysWith: { a, _ in a })
        let pending =
            ids.isEmpty
            ? Set<UUID>()
            : Set(
                try await AccountActivationModel.query(on: req.db)
                    .filter(\.$expiresAt > req.now.secondsSinceEpoch).filter(\.$userId ~~ ids).all().map(\.userId))
        let views = try users.map { user in
            let id = try user.requireID()
            return try AdminUserView(user, byUser[id], personal: personal[id], activationPending: pending.contains(id))
        }
        return try await PageRequest.response(views, total: total, for: req)
    }

    func create(_ req: Request) async throws -> Response {
        let actor = try await req.administrator([.systemAdmin], action: "create-user", refusal: Self.refusal)
        let body = try JSONBody.decode(CreateUser.self, req)
        guard let roles = RoleRules.parse(body.roles) else {
            throw APIError.invalid([.input("roles", "未知的角色: \(body.roles.joined(separator: ","))")])
        }
        guard let org = try await OrganisationModel.find(body.organisationId, on: req.db) else {
            throw APIError.invalid([.input("organisationId", "机构不存在")])
        }
        let personal = UserPersonalData.normalised(phone: body.phone, idNumber: body.idNumber)
        let new = UserAccounts.NewUser(
            username: body.username, displayName: body.displayName ?? body.username, password: nil,
            organisation: org, roles: roles, personal: personal)
        return try await AdminAccountProposals.propose(new, by: actor, req)
    }

    /// 三权分立: an administrator's account is neither made nor stopped by the system administrator
    /// alone. Making one needs the security administrator's approval (AdminAccountProposals); stopping
    /// or restarting one is the server operator's (`zhengxin disable-user` / `enable-user`), else the
    /// system administrator could shut out the audit administrator who reviews its own actions, or the
    /// security administrator who must approve the next administrator.
    static let administratorAccountRefusal =
        "管理员账号不能由系统管理员单独停用或启用(三权分立);须由服务器运维人员执行 zhengxin disable-user / enable-user --username <用户名>"

    /// Disabling ends every session of the account at once.
    func disable(_ req: Request) async throws -> AdminUserView {
        let actor = try await req.administrator([.systemAdmin], action: "disable-user", refusal: Self.refusal)
        let user = try await AdminTargets.user(req)
        guard try user.requireID() != actor.userId else { throw APIError(status: .conflict, code: "CONFLICT", message: "不能停用自己的账号") }
        try await Self.refuseAdministrator(user, action: "disable-user", by: actor, req)
        try await UserActivity.set(user, active: false, by: actor, client: req.clientAddress, at: req.now, app: req.application)
        return try AdminUserView(user, try await AccountSecurityModel.query(on: req.db).filter(\.$user.$id == user.requireID()).first())
    }

    /// Enabling lets a disabled account log in again (its password and TOTP as they were).
    func enable(_ req: Request) async throws -> AdminUserView {
        let actor = try await req.administrator([.systemAdmin], action: "enable-user", refusal: Self.refusal)
        let user = try await AdminTargets.user(req)
        try await Self.refuseAdministrator(user, action: "enable-user", by: actor, req)
        guard !user.active else { throw APIError(status: .conflict, code: "CONFLICT", message: "账号未停用,无需启用") }
        try await UserActivity.set(user, active: true, by: actor, client: req.clientAddress, at: req.now, app: req.application)
        return try AdminUserView(user, try await AccountSecurityModel.query(on: req.db).filter(\.$user.$id == user.requireID()).first())
    }

    /// An administrator's account is refused (403, audited), whatever its state.
    static func refuseAdministrator(_ user: UserModel, action: String, by actor: Actor, _ req: Request) async throws {
        guard user.roleSet.contains(where: \.isAdministrator) else { return }
        await req.application.recordRefusal(
            AuditEvent(
                actor: actor, action: action, result: .forbidden, summary: "\(user.username): \(administratorAccountRefusal)",
                clientAddress: req.clientAddress))
        throw APIError.forbidden(administratorAccountRefusal)
    }

    /// A new organisation's name (trimmed) and jurisdiction, for the API and `zhengxin create-org` alike.
    /// Bytes too (Fields.text): a name of 100 characters each carrying dozens of combining marks
    /// outgrew the unique index's row (PostgreSQL: 500).
    static func organisationFaults(name: String, jurisdiction: String?) -> [Violation] {
        var faults: [Violation] = []
        if name.isEmpty || name.count > 100 || name.utf8.count > 800 { faults.append(.input("name", "机构名称须为1至100个字符")) }
        if PayloadScreening.holdsForbidden(name) { faults.append(PayloadScreening.refusal(field: "name", name: "机构名称")) }
        if let jurisdiction, let fault = Fields.text(jurisdiction, "jurisdiction", max: 50) { faults.append(fault) }
        return faults
    }

    func createOrganisation(_ req: Request) async throws -> Response {
        let actor = try await req.administrator([.systemAdmin], action: "create-org", refusal: Self.refusal)
        let body = try JSONBody.decode(CreateOrganisation.self, req)
        let name = body.name.trimmingCharacters(in: .whitespaces)
        let faults = Self.organisationFaults(name: name, jurisdiction: body.jurisdiction)
        guard faults.isEmpty else { throw APIError.invalid(faults) }
        guard let type = OrganisationType(rawValue: body.type.uppercased()) else {
            throw APIError.invalid([.input("type", "机构类型须为 DRC、FIN、BDB、AUD、UNIT 或 VENDOR")])
        }
        let org = OrganisationModel(id: UUID(), name: name, type: type, jurisdiction: body.jurisdiction ?? PolicyBook.city)
        let (now, client) = (req.now, req.clientAddress)
        try await req.application.writeTransaction { db in
            if try await OrganisationModel.query(on: db).filter(\.$name == name).first() != nil {
                throw APIError(status: .conflict, code: "ALREADY_EXISTS", message: "机构已存在: \(name)")
            }
            try await org.create(on: db)
            try await AuditRecorder.append(
                AuditEvent(
                    actor: actor, action: "create-org", result: .accepted, summary: "新建机构「\(name)」(\(type.rawValue))",
                    clientAddress: client), at: now, on: db)
        }
        let response = Response(status: .created)
        try response.content.encode(
            OrganisationView(id: try org.requireID(), name: name, type: type.rawValue, jurisdiction: org.jurisdiction))
        return response
    }
}

enum AdminTargets {
    /// The account named by the `userId` path parameter, with its organisation.
    static func user(_ req: Request) async throws -> UserModel {
        guard let id = req.parameters.get("userId").flatMap(UUIDText.parse),
            let user = try await UserModel.query(on: req.db).with(\.$organisation).filter(\.$id == id).first()
        else {
            throw APIError.notFound("用户")
        }
        return user
    }
}
