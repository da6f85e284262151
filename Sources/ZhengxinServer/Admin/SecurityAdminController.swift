import Fluent
import Vapor
import ZhengxinCore

/// 安全管理员 (SPEC §1: roles, policy settings; GB/T 22239-2019 8.1.4.4 c)): unlocks accounts
/// locked by failed logins and re-issues a TOTP secret when a device is lost. Policy versions
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
            try await AuditRecorder.append(AuditEvent(actor: actor, action: "unlock-account", result: .accepted, summary: "解锁账号 \(user.username)",
                                                      clientAddress: client), at: now, on: db)
            return security
        }
        return try AdminUserView(user, security)
    }

    /// A new secret replaces the old one at once; the old device stops working.
    func resetTOTP(_ req: Request) async throws -> TOTPEnrolmentView {
        let actor = try await req.administrator([.securityAdmin], action: "reset-totp", refusal: Self.refusal)
        let user = try await AdminTargets.user(req)
        let secret = TOTPEnrolment.newSecret()
        let (now, client) = (req.now, req.clientAddress)
        try await req.application.writeTransaction { db in
            let security = try await AccountSecurityModel.load(try user.requireID(), on: db)
            try TOTPEnrolment.enrol(security, secretBase32: secret, demo: false)
            try await security.save(on: db)
            try await AuditRecorder.append(AuditEvent(actor: actor, action: "reset-totp", result: .accepted, summary: "重置账号 \(user.username) 的动态口令",
                                                      clientAddress: client), at: now, on: db)
        }
        return TOTPEnrolmentView(secret: secret, username: user.username)
    }
}
