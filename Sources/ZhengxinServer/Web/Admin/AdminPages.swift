import Fluent
import Vapor
import ZhengxinCore

/// The administrators' pages, each the place one home-queue matter is acted on (三权分立: each
/// form is open only to the role that holds the power, checked and audited as on the API):
/// a new-account proposal (安全管理员 approves or rejects), an account (安全管理员 unlocks; 系统管理员
/// disables and enables business accounts), and the events an audit administrator reviews. Each form runs the API's own steps.
struct AdminPages {
    func register(_ pages: RoutesBuilder) {
        let admin = pages.grouped("admin")
        admin.get("proposals", ":proposalId", use: proposal)
        admin.post("proposals", ":proposalId", "approve", use: approve)
        admin.post("proposals", ":proposalId", "reject", use: reject)
        admin.get("users", ":userId", use: account)
        admin.post("users", ":userId", "unlock", use: unlock)
        admin.post("users", ":userId", "disable", use: disable)
        admin.post("users", ":userId", "enable", use: enable)
        admin.post("users", ":userId", "reset-totp", use: resetTOTP)
        admin.get("events", use: events)
        admin.post("events", "review", use: review)
    }

    static let proposalReaders: Set<Role> = [.systemAdmin, .securityAdmin]

    func proposal(_ req: Request) async throws -> Response {
        let actor = try await req.administrator(
            Self.proposalReaders, action: "view-admin-proposal", refusal: "仅系统管理员和安全管理员可查看账号申请")
        let row = try await Self.proposalRow(req)
        return try await render(row, actor: actor, issued: nil, flash: nil, req)
    }

    func approve(_ req: Request) async throws -> Response {
        let actor = try await req.administrator(
            [.securityAdmin], action: "approve-admin-account", refusal: AdminAccountProposals.approveRefusal)
        let row = try await AdminAccountProposals.pending(req, by: actor)
        let approved = try await AdminAccountProposals.approve(
            row, by: actor, app: req.application, now: req.now, client: req.clientAddress)
        return try await render(row, actor: actor, issued: approved.activation, flash: "已批准,账号已建立。", req)
    }

    func reject(_ req: Request) async throws -> Response {
        let actor = try await req.administrator(
            [.securityAdmin], action: "reject-admin-account", refusal: AdminAccountProposals.approveRefusal)
        let row = try await AdminAccountProposals.pending(req, by: actor)
        _ = try await AdminAccountProposals.reject(row, by: actor, app: req.application, now: req.now, client: req.clientAddress)
        let fresh = try await Self.proposalRow(req)
        return try await render(fresh, actor: actor, issued: nil, flash: "已驳回该申请。", req)
    }

    static func proposalRow(_ req: Request) async throws -> AdminAccountProposalModel {
        guard let id = req.parameters.get("proposalId").flatMap(UUIDText.parse),
            let row = try await AdminAccountProposalModel.find(id, on: req.db)
        else { throw APIError.notFound("申请") }
        return row
    }

    func render(
        _ row: AdminAccountProposalModel, actor: Actor, issued: AccountActivation.Issued?, flash: String?, _ req: Request
    ) async throws -> Response {
        let page = try await AdminProposalPage.make(row, actor: actor, issued: issued, req)
        return try await WebPages.render(
            "admin-proposal", title: "新建账号申请", page: page, flash: flash, flashKind: "ok", req)
    }

    func account(_ req: Request) async throws -> Response {
        let actor = try await req.administrator(
            Self.proposalReaders, action: "view-account", refusal: "仅系统管理员和安全管理员可查看用户账号")
        return try await WebPages.render(
            "admin-user", title: "用户账号", page: try await AdminAccountPage.make(try await AdminTargets.user(req), actor: actor, req), req)
    }

    func unlock(_ req: Request) async throws -> Response {
        _ = try await SecurityAdminController().unlock(req)
        return try await accountAfter(req, flash: "已解除锁定。")
    }

    func disable(_ req: Request) async throws -> Response {
        _ = try await SystemAdminController().disable(req)
        return try await accountAfter(req, flash: "账号已停用,其所有登录会话已结束。")
    }

    func enable(_ req: Request) async throws -> Response {
        _ = try await SystemAdminController().enable(req)
        return try await accountAfter(req, flash: "账号已启用,可以重新登录。")
    }

    /// The old secret stops working and the holder re-enrols with the code shown here once and the current password.
    func resetTOTP(_ req: Request) async throws -> Response {
        let reset = try await SecurityAdminController().resetTOTP(req)
        return try await accountAfter(req, flash: "已重置动态口令,原密钥作废。", issued: reset.activation)
    }

    private func accountAfter(_ req: Request, flash: String, issued: AccountActivation.Issued? = nil) async throws -> Response {
        var page = try await AdminAccountPage.make(try await AdminTargets.user(req), actor: try req.caller(), req)
        (page.issuedCode, page.issuedNote) = (issued?.code, issued?.note)
        return try await WebPages.render("admin-user", title: "用户账号", page: page, flash: flash, flashKind: "ok", req)
    }

    static let eventsRefusal = "仅审计管理员可审阅管理员操作和安全事件"

    /// Reading the audit record is itself recorded, as on the API (AuditAdminController).
    func events(_ req: Request) async throws -> Response {
        let actor = try await req.administrator([.auditAdmin], action: "view-admin-events", refusal: Self.eventsRefusal)
        let page = try await AdminEventsPage.make(req)
        let (now, client) = (req.now, req.clientAddress)
        try await req.application.writeTransaction { db in
            try await AuditRecorder.append(
                AuditEvent(
                    actor: actor, action: "view-audit", result: .accepted,
                    summary: "查看待审阅的管理员操作和安全事件(\(page.shownCount)条)", clientAddress: client), at: now, on: db)
        }
        return try await WebPages.render("admin-events", title: "待审阅事件", page: page, req)
    }

    func review(_ req: Request) async throws -> Response {
        let actor = try await req.administrator([.auditAdmin], action: AdminQueues.reviewAction, refusal: Self.eventsRefusal)
        let text = (try? req.content.get(String.self, at: "through")) ?? ""
        guard text.count <= 20, let through = Int64(text) else {
            throw APIError.invalid([.input("through", "through 应为审计记录序号")])
        }
        let summary = try await AdminEventReview.record(through: through, by: actor, req)
        return try await WebPages.render(
            "admin-events", title: "待审阅事件", page: try await AdminEventsPage.make(req), flash: "已记录: \(summary)。", flashKind: "ok", req)
    }
}

struct AdminProposalPage: Encodable {
    var id: String
    var username: String
    var displayName: String
    var organisation: String
    var roles: String
    var statusTitle: String
    var proposer: String
    var proposedAt: String
    var decider: String?
    var decidedAt: String?
    /// The security administrator may decide it here (pending, not its own proposal).
    var canDecide: Bool
    var ownProposal: Bool
    /// The account made from it, once approved.
    var accountHref: String?
    var issuedCode: String?
    var issuedUntil: String?
    var issuedNote: String?

    static func make(_ row: AdminAccountProposalModel, actor: Actor, issued: AccountActivation.Issued?, _ req: Request) async throws
        -> AdminProposalPage
    {
        let organisation = try await OrganisationModel.find(row.organisationId, on: req.db)?.name ?? ""
        let proposer = try await UserModel.find(row.proposedBy, on: req.db)
        let decider = try await row.decidedBy.asyncMap { try await UserModel.find($0, on: req.db) } ?? nil
        let account = row.status == "approved" ? try await UserModel.query(on: req.db).filter(\.$username == row.username).first() : nil
        let status = ["pending": "待安全管理员批准", "approved": "已批准", "rejected": "已驳回"][row.status] ?? row.status
        return AdminProposalPage(
            id: try row.requireID().uuidString, username: row.username, displayName: row.displayName, organisation: organisation,
            roles: AdminHomeQueue.roleTitles(row.roles), statusTitle: status,
            proposer: proposer.map { "\($0.displayName)(\($0.username))" } ?? "", proposedAt: LoginFlow.beijing(row.proposedAt),
            decider: decider.map { "\($0.displayName)(\($0.username))" }, decidedAt: row.decidedAt.map(LoginFlow.beijing),
            canDecide: row.status == "pending" && actor.roles.contains(.securityAdmin) && row.proposedBy != actor.userId,
            ownProposal: row.proposedBy == actor.userId,
            accountHref: try account.map { "/admin/users/\(try $0.requireID().uuidString)" },
            issuedCode: issued?.code, issuedUntil: issued.map { LoginFlow.beijing($0.expiresAt) }, issuedNote: issued?.note)
    }
}

struct AdminAccountPage: Encodable {
    var id: String
    var username: String
    var displayName: String
    var organisation: String
    var roles: String
    var active: Bool
    var lockedUntil: String?
    var needsTOTP: Bool
    var totpBound: Bool
    /// An activation code of the account: in force until, or lapsed since.
    var activationUntil: String?
    var activationLapsed: Bool
    var activationPurpose: String?
    var canUnlock: Bool
    var canDisable: Bool
    var canEnable: Bool
    /// The security administrator may issue a new code to enrol the second factor.
    var canResetTOTP: Bool
    var issuedCode: String? = nil
    var issuedNote: String? = nil

    static func make(_ user: UserModel, actor: Actor, _ req: Request) async throws -> AdminAccountPage {
        let id = try user.requireID()
        let security = try await AccountSecurityModel.query(on: req.db).filter(\.$user.$id == id).first()
        let activation = try await AccountActivationModel.query(on: req.db).filter(\.$userId == id).sort(\.$expiresAt, .descending).first()
        let now = req.now.secondsSinceEpoch
        let locked = security?.lockedUntil.flatMap { $0 > now ? $0 : nil }
        let needsTOTP = RoleRules.requiresSecondFactor(organisation: user.organisation.organisationType, roles: user.roleSet)
        // 三权分立: administrators' accounts are stopped and restarted by the operator (SystemAdminController).
        let systemAdminMay = actor.roles.contains(.systemAdmin) && id != actor.userId && !user.roleSet.contains(where: \.isAdministrator)
        return AdminAccountPage(
            id: id.uuidString, username: user.username, displayName: user.displayName, organisation: user.organisation.name,
            roles: user.roleSet.map(\.chinese).sorted().joined(separator: "、"), active: user.active,
            lockedUntil: locked.map(LoginFlow.beijing),
            needsTOTP: needsTOTP,
            totpBound: security?.totpSecret != nil, activationUntil: activation.map { LoginFlow.beijing($0.expiresAt) },
            activationLapsed: activation.map { $0.expiresAt <= now } ?? false,
            activationPurpose: activation.map { $0.purpose == AccountActivation.Purpose.activate.rawValue ? "激活账号、设置密码" : "重新绑定动态口令" },
            canUnlock: locked != nil && actor.roles.contains(.securityAdmin),
            canDisable: user.active && systemAdminMay,
            canEnable: !user.active && systemAdminMay,
            canResetTOTP: user.active && needsTOTP && actor.roles.contains(.securityAdmin))
    }
}

struct AdminEventsPage: Encodable {
    struct Entry: Encodable {
        var seq: Int64; var when: String; var actor: String; var title: String; var result: String; var summary: String; var client: String
    }
    struct Kind: Encodable { var title: String; var count: String }
    static let shown = 100

    var kinds: [Kind]
    var entries: [Entry]
    var hasEntries: Bool
    var shownCount: Int
    var total: String
    var more: Bool
    var through: Int64
    var lastReview: String?

    static func make(_ req: Request) async throws -> AdminEventsPage {
        let pending = try await AdminEventReview.pending(limitPerAction: shown, req)
        let titles = Dictionary(AdminQueues.reviewed.map { ($0.action, $0.title) }, uniquingKeysWith: { a, _ in a })
        let results = ["accepted": "完成", "refused": "未通过", "forbidden": "无权办理"]
        let entries = pending.entries.map { e in
            Entry(
                seq: e.seq, when: LoginFlow.beijing(e.at), actor: e.actorName, title: titles[e.action] ?? e.action,
                result: results[e.result] ?? e.result, summary: e.summary, client: e.clientAddress)
        }
        return AdminEventsPage(
            kinds: pending.kinds.map { Kind(title: $0.title, count: AdminHomeQueue.shown($0.count)) }, entries: entries,
            hasEntries: !entries.isEmpty, shownCount: entries.count, total: AdminHomeQueue.shown(pending.total),
            more: pending.total > entries.count,
            through: pending.through,
            lastReview: pending.last.map { "上次审阅: \($0.when),\($0.reviewer),审阅至审计记录第\($0.through)条" })
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
