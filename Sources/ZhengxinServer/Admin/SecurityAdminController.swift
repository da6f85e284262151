import Fluent
import Vapor
import ZhengxinCore

/// 安全管理员 (roles, policy settings; GB/T 22239-2019 8.1.4.4 c)): unlocks accounts
/// locked by failed logins, resets a lost TOTP device (the holder re-enrols), and approves
/// administrator accounts the system administrator proposes (AdminAccountProposals). Policy versions
/// are its too (PolicyController).
struct SecurityAdminController {
    static let refusal = "仅安全管理员可解锁账号或重置动态口令"

    func register(_ routes: RoutesBuilder) {
        let admin = routes.grouped("admin", "users", ":userId")
        admin.post("unlock", use: unlock)
        admin.post("reset-totp", use: resetTOTP)
    }

    func unlock(_ req: Request) async throws -> AdminUserView {
        let actor = try await req.administrator([.securityAdmin], action: "unlock-account", refusal: Self.refusal)
        let user = try await AdminTargets.user(req)
        let (now, client) = (req.now, req.clientAddress)
        let security = try await req.application.writeTransaction { db in
            let security = try await AccountSecurityModel.load(try user.requireID(), on: db)
            security.lockedUntil = nil
            security.failedLogins = 0
            try await security.save(on: db)
            try await AuditRecorder.append(
                AuditEvent(
                    actor: actor, action: "unlock-account", result: .accepted, summary: "解锁账号 \(user.username)",
                    clientAddress: client), at: now, on: db)
            return security
        }
        return try AdminUserView(user, security)
    }

    struct TOTPReset: Content { var user: AdminUserView; var activation: AccountActivation.Issued }

    /// The old secret stops working at once and the account's sessions end; the administrator gets
    /// an activation code, never a secret. The holder enrols a new secret with the code and the
    /// account's current password (POST /api/v1/auth/activate), so the administrator, who knows
    /// no password, cannot enrol a device of its own. Until then the login answers TOTP_REQUIRED.
    func resetTOTP(_ req: Request) async throws -> TOTPReset {
        let actor = try await req.administrator([.securityAdmin], action: "reset-totp", refusal: Self.refusal)
        let user = try await AdminTargets.user(req)
        guard RoleRules.requiresSecondFactor(organisation: user.organisation.organisationType, roles: user.roleSet) else {
            throw APIError(status: .conflict, code: "TOTP_NOT_USED", message: "该账号不使用动态口令,无需重置")
        }
        let userId = try user.requireID()
        let (now, client) = (req.now, req.clientAddress)
        let (security, issued) = try await req.application.writeTransaction { db in
            let security = try await AccountSecurityModel.load(userId, on: db)
            security.totpSecret = nil
            security.totpIsDemo = false
            security.totpLastStep = nil
            try await security.save(on: db)
            try await SessionTokenModel.query(on: db).filter(\.$user.$id == userId).delete()
            let issued = try await AccountActivation.issue(for: userId, purpose: .enrolTOTP, at: now, on: db)
            try await AuditRecorder.append(
                AuditEvent(
                    actor: actor, action: "reset-totp", result: .accepted,
                    summary: "重置账号 \(user.username) 的动态口令: 原密钥作废,会话结束,签发绑定激活码(本人凭激活码和当前密码重新绑定)",
                    clientAddress: client), at: now, on: db)
            return (security, issued)
        }
        return TOTPReset(user: try AdminUserView(user, security, activationPending: true), activation: issued)
    }
}
