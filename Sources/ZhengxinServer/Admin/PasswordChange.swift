import Fluent
import Vapor
import ZhengxinCore

/// `POST /api/v1/me/password` and the `/account/password` page: the holder changes their own
/// password (GB/T 22239-2019 8.1.4.1 a) 口令定期更换). The current password is required, the password
/// rules apply, every other session of the account ends (one left signed in elsewhere, perhaps by
/// whoever learned the old password, must not outlive it), and the change is audited. Wrong current
/// passwords are counted (with failed logins, reset by a successful one); at the lockout threshold
/// every session of the account ends, so a stolen session cannot be used to guess the password
/// without limit.
enum PasswordChange {
    struct Body: Content {
        var currentPassword: String
        var newPassword: String
    }

    struct Changed: Content {
        var message: String
        var endedSessions: Int
    }

    static func register(_ protected: RoutesBuilder) {
        protected.post("me", "password") { req async throws -> Changed in
            try await run(try JSONBody.decode(Body.self, req), currentSession: req.headers.bearerAuthorization?.token, req)
        }
    }

    static let wrongCurrent = APIError(
        status: .badRequest, code: "CURRENT_PASSWORD_WRONG", message: "当前密码不正确,密码未修改",
        violations: [.input("currentPassword", "当前密码不正确")])

    /// `currentSession` is the token of the session that asked; it stays signed in.
    static func run(_ body: Body, currentSession: String?, _ req: Request) async throws -> Changed {
        let actor = try req.caller()
        let oversized = [("currentPassword", body.currentPassword), ("newPassword", body.newPassword)]
            .filter { $0.1.utf8.count > LoginFlow.maxPasswordBytes }
            .map { Violation.input($0.0, "密码不超过\(LoginFlow.maxPasswordBytes)字节") }
        if !oversized.isEmpty { throw APIError.invalid(oversized) }
        let settings = req.zhengxin.config.authentication
        guard let user = try await UserModel.find(actor.userId, on: req.db) else { throw APIError.unauthenticated }
        let (now, client) = (req.now, req.clientAddress)
        let matches = try await req.application.passwords(answeringOn: req.eventLoop).verify(
            body.currentPassword, created: user.passwordHash
        ).get()
        guard matches else {
            try await req.application.writeTransaction { db in
                let security = try await AccountSecurityModel.load(actor.userId, on: db)
                security.failedLogins += 1
                var summary = "修改密码被拒绝: 当前密码不正确(连续第\(security.failedLogins)次)"
                if security.failedLogins >= settings.lockoutThreshold {
                    security.failedLogins = 0
                    try await SessionTokenModel.query(on: db).filter(\.$user.$id == actor.userId).delete()
                    summary += ",账号的会话全部结束,须重新登录"
                }
                try await security.save(on: db)
                try await AuditRecorder.append(
                    AuditEvent(
                        actor: actor, action: "change-password", result: .refused, summary: summary,
                        clientAddress: client), at: now, on: db)
            }
            throw wrongCurrent
        }
        if let why = settings.passwordPolicy.problem(with: body.newPassword) { throw APIError.invalid([.input("newPassword", why)]) }
        guard body.newPassword != body.currentPassword else { throw APIError.invalid([.input("newPassword", "新密码不能与当前密码相同")]) }
        let hash = try await req.application.passwords(answeringOn: req.eventLoop).hash(body.newPassword).get()
        let keep = currentSession.map(TokenDigest.sha256Hex)
        let ended = try await req.application.writeTransaction { db in
            user.passwordHash = hash
            try await user.save(on: db)
            let security = try await AccountSecurityModel.load(actor.userId, on: db)
            security.failedLogins = 0
            try await security.save(on: db)
            var others = SessionTokenModel.query(on: db).filter(\.$user.$id == actor.userId)
            if let keep { others = others.filter(\.$tokenHash != keep) }
            let count = try await others.copy().count()
            try await others.delete()
            try await AuditRecorder.append(
                AuditEvent(
                    actor: actor, action: "change-password", result: .accepted,
                    summary: "本人修改密码,其他会话已结束(\(count)个)", clientAddress: client), at: now, on: db)
            return count
        }
        return Changed(message: "密码已修改,其他会话已结束", endedSessions: ended)
    }
}
