import Fluent
import SQLKit
import Vapor
import ZhengxinCore

/// Two-person rule for administrator accounts (GB/T 22239-2019 8.1.4.4 三权分立): a system
/// administrator alone cannot make a security or audit administrator (or another system
/// administrator). Over the API the system administrator proposes such an account; a security
/// administrator approves or rejects it; both steps are audited. The activation code is split: the
/// proposer receives the first half, the approver the second, so neither alone can activate the
/// new account and hold two kinds of administration. The CLI (`create-user`) runs with the server
/// operator's rights and is not bound by this rule.
final class AdminAccountProposalModel: Model, @unchecked Sendable {
    static let schema = "admin_account_proposals"

    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "organisation_id") var organisationId: UUID
    /// Comma-separated `Role` raw values.
    @Field(key: "roles") var roles: String
    /// 手机号 and 身份证号, SM4-sealed (AtRest) as in `user_personal_data`.
    @OptionalField(key: "phone_sealed") var phoneSealed: String?
    @OptionalField(key: "id_number_sealed") var idNumberSealed: String?
    /// SHA-256 of the half of the activation code the proposer received.
    @Field(key: "first_half_digest") var firstHalfDigest: String
    @Field(key: "proposed_by") var proposedBy: UUID
    @Field(key: "proposed_at") var proposedAt: Int64
    /// pending, approved or rejected.
    @Field(key: "status") var status: String
    @OptionalField(key: "decided_by") var decidedBy: UUID?
    @OptionalField(key: "decided_at") var decidedAt: Int64?

    init() {}

    var roleSet: Set<Role> { Set(roles.split(separator: ",").compactMap { Role(rawValue: String($0)) }) }
}

struct AdminAccountProposals {
    struct View: Content {
        var id: UUID
        var username: String
        var displayName: String
        var organisationId: UUID
        var roles: [String]
        var status: String
        var proposedBy: UUID
        var proposedAt: Int64
        var decidedBy: UUID?
        var decidedAt: Int64?

        init(_ row: AdminAccountProposalModel) throws {
            id = try row.requireID()
            username = row.username
            displayName = row.displayName
            organisationId = row.organisationId
            roles = row.roleSet.map(\.rawValue).sorted()
            status = row.status
            proposedBy = row.proposedBy
            proposedAt = row.proposedAt
            decidedBy = row.decidedBy
            decidedAt = row.decidedAt
        }
    }

    /// What the proposer gets (202): the proposal and the first half of the activation code, shown once.
    struct Proposed: Content {
        var proposal: View
        var activationFirstHalf: String
        var message: String
    }

    /// What the approver gets: the account and the second half of the activation code, shown once.
    struct Approved: Content {
        var proposal: View
        var user: AdminUserView
        var activation: AccountActivation.Issued
    }

    static let approveRefusal = "仅安全管理员可批准或驳回新建账号申请"

    func register(_ routes: RoutesBuilder) {
        let proposals = routes.grouped("admin", "account-proposals")
        proposals.get(use: list)
        proposals.post(":proposalId", "approve", use: approve)
        proposals.post(":proposalId", "reject", use: reject)
    }

    /// Called by `POST /admin/users` for every new account: checks the request as a creation would,
    /// then records the proposal instead of the account. Every account, not only an administrator's:
    /// whoever holds the whole activation code can set the password (and receive the second factor)
    /// before the holder does, so no one administrator may hold it.
    static func propose(_ new: UserAccounts.NewUser, by actor: Actor, _ req: Request) async throws -> Response {
        let proposed = try await propose(new, by: actor, app: req.application, now: req.now, client: req.clientAddress)
        let response = Response(status: .accepted)
        try response.content.encode(proposed)
        return response
    }

    /// The proposal itself, as the API, the pages and `seed-demo` make it.
    static func propose(_ new: UserAccounts.NewUser, by actor: Actor, app: Application, now: Instant, client: String) async throws
        -> Proposed
    {
        let problems = UserAccounts.problems(new, policy: app.zhengxin.config.authentication.passwordPolicy)
        guard problems.isEmpty else { throw APIError.invalid(problems) }
        let firstHalf = AccountActivation.newCode()
        let row = AdminAccountProposalModel()
        row.id = UUID()
        row.username = new.username
        row.displayName = new.displayName
        row.organisationId = try new.organisation.requireID()
        row.roles = new.roles.map(\.rawValue).sorted().joined(separator: ",")
        row.phoneSealed = try new.personal.phone.map { try AtRest.seal($0) }
        row.idNumberSealed = try new.personal.idNumber.map { try AtRest.seal($0) }
        row.firstHalfDigest = AccountActivation.digest(firstHalf)
        row.proposedBy = actor.userId
        row.proposedAt = now.secondsSinceEpoch
        row.status = "pending"
        try await app.writeTransaction { db in
            try await Self.ensureFree(new.username, on: db)
            try await row.create(on: db)
            try await AuditRecorder.append(
                AuditEvent(
                    actor: actor, action: "propose-admin-account", result: .accepted,
                    summary: "提出新建账号 \(new.username)(机构: \(new.organisation.name),角色: \(row.roles)),待安全管理员批准",
                    clientAddress: client), at: now, on: db)
        }
        return Proposed(
            proposal: try View(row), activationFirstHalf: firstHalf,
            message: "新账号须经安全管理员批准后方才建立。激活码前半部分只显示这一次,请当面交给本人;后半部分由批准的安全管理员交付")
    }

    /// A username is free when no account and no pending proposal holds it.
    static func ensureFree(_ username: String, on db: Database) async throws {
        let account = try await UserModel.query(on: db).filter(\.$username == username).first()
        let proposal = try await AdminAccountProposalModel.query(on: db).filter(\.$username == username).filter(\.$status == "pending")
            .first()
        if account != nil || proposal != nil {
            throw APIError(status: .conflict, code: "ALREADY_EXISTS", message: "用户名已存在或已有待批准的申请: \(username)")
        }
    }

    /// A page of the proposals, newest first (`page`, `perPage`), read in order from
    /// (proposed_at, id); how many there are in `X-Total-Count`.
    func list(_ req: Request) async throws -> Response {
        _ = try await req.administrator([.systemAdmin, .securityAdmin], action: "list-admin-proposals", refusal: "仅系统管理员和安全管理员可查看账号申请")
        let paging = try PageRequest.collection(req)
        let total = try await AdminAccountProposalModel.query(on: req.db).count()
        let rows = try await (req.db as! any SQLDatabase).raw(Self.pageQuery(paging)).all(decodingFluent: AdminAccountProposalModel.self)
        return try await PageRequest.response(rows.map(View.init), total: total, for: req)
    }

    static func pageQuery(_ paging: PageRequest) -> SQLQueryString {
        "SELECT * FROM admin_account_proposals ORDER BY proposed_at DESC, id DESC" + paging.sqlLimit
    }

    /// The security administrator approves: the account is created (pending activation) and the
    /// approver receives the second half of its activation code.
    func approve(_ req: Request) async throws -> Response {
        let actor = try await req.administrator([.securityAdmin], action: "approve-admin-account", refusal: Self.approveRefusal)
        let row = try await Self.pending(req, by: actor)
        let approved = try await Self.approve(row, by: actor, app: req.application, now: req.now, client: req.clientAddress)
        let response = Response(status: .created)
        try response.content.encode(approved)
        return response
    }

    /// Approves `row`, found pending and not the approver's own (`pending`), as the API, the pages
    /// and `seed-demo` do.
    static func approve(_ row: AdminAccountProposalModel, by actor: Actor, app: Application, now: Instant, client: String) async throws
        -> Approved
    {
        guard let org = try await OrganisationModel.find(row.organisationId, on: app.db) else {
            throw APIError.invalid([.input("organisationId", "机构不存在")])
        }
        let personal = UserPersonalData.Values(
            phone: try row.phoneSealed.map { try AtRest.open($0) }, idNumber: try row.idNumberSealed.map { try AtRest.open($0) })
        let proposalId = try row.requireID()
        let created = try await UserAccounts.create(
            .init(
                username: row.username, displayName: row.displayName, password: nil, organisation: org,
                roles: row.roleSet, personal: personal),
            by: actor, client: client, app: app, firstHalfDigest: row.firstHalfDigest
        ) { db in
            // Decided in the same transaction as the account: a proposal is approved once.
            guard let fresh = try await AdminAccountProposalModel.find(proposalId, on: db), fresh.status == "pending" else {
                throw APIError(status: .conflict, code: "PROPOSAL_DECIDED", message: "该申请已处理")
            }
            fresh.status = "approved"
            fresh.decidedBy = actor.userId
            fresh.decidedAt = now.secondsSinceEpoch
            try await fresh.save(on: db)
            try await AuditRecorder.append(
                AuditEvent(
                    actor: actor, action: "approve-admin-account", result: .accepted,
                    summary: "批准新建账号 \(fresh.username)(角色: \(fresh.roles))", clientAddress: client),
                at: now, on: db)
        }
        row.status = "approved"
        row.decidedBy = actor.userId
        row.decidedAt = now.secondsSinceEpoch
        guard let activation = created.activation else {
            throw APIError(status: .internalServerError, code: "INTERNAL", message: "未能签发激活码")
        }
        return Approved(
            proposal: try View(row), user: try AdminUserView(created.user, nil, personal: personal, activationPending: true),
            activation: activation)
    }

    func reject(_ req: Request) async throws -> View {
        let actor = try await req.administrator([.securityAdmin], action: "reject-admin-account", refusal: Self.approveRefusal)
        let row = try await Self.pending(req, by: actor)
        return try await Self.reject(row, by: actor, app: req.application, now: req.now, client: req.clientAddress)
    }

    static func reject(_ row: AdminAccountProposalModel, by actor: Actor, app: Application, now: Instant, client: String) async throws
        -> View
    {
        try await app.writeTransaction { db in
            guard let fresh = try await AdminAccountProposalModel.find(try row.requireID(), on: db), fresh.status == "pending" else {
                throw APIError(status: .conflict, code: "PROPOSAL_DECIDED", message: "该申请已处理")
            }
            fresh.status = "rejected"
            fresh.decidedBy = actor.userId
            fresh.decidedAt = now.secondsSinceEpoch
            try await fresh.save(on: db)
            try await AuditRecorder.append(
                AuditEvent(
                    actor: actor, action: "reject-admin-account", result: .accepted,
                    summary: "驳回新建账号 \(fresh.username)(角色: \(fresh.roles))", clientAddress: client), at: now, on: db)
        }
        row.status = "rejected"
        row.decidedBy = actor.userId
        row.decidedAt = now.secondsSinceEpoch
        return try View(row)
    }

    /// The pending proposal named by the path; never one the caller proposed (two people, always).
    static func pending(_ req: Request, by actor: Actor) async throws -> AdminAccountProposalModel {
        guard let id = req.parameters.get("proposalId").flatMap(UUIDText.parse),
            let row = try await AdminAccountProposalModel.find(id, on: req.db)
        else { throw APIError.notFound("申请") }
        guard row.status == "pending" else { throw APIError(status: .conflict, code: "PROPOSAL_DECIDED", message: "该申请已处理") }
        guard row.proposedBy != actor.userId else { throw APIError.forbidden("不能批准自己提出的申请") }
        return row
    }
}
