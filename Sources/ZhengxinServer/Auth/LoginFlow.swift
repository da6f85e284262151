import Fluent
import Vapor
import ZhengxinCore

/// POST /api/v1/auth/login, step by step (GB/T 22239-2019 8.1.4.1 a) b) d), 8.1.4.3 a) 安全审计):
/// lockout first, then password, then the second factor; every attempt, accepted or refused,
/// lands on the audit record in the same transaction as the counters it changes.
enum LoginFlow {
    struct Request: Content { var username: String; var password: String; var totp: String? }

    /// What the transaction decided. Refusals are returned, not thrown, so that the failure count
    /// and the audit entry commit; the caller throws afterwards.
    enum Outcome: Sendable {
        case signedIn(token: String, expiresAt: Int64)
        case refused(APIError)
    }

    static let loginFailed = APIError(status: .unauthorized, code: "LOGIN_FAILED", message: "用户名或密码错误")

    static func run(_ req: Vapor.Request) async throws -> (UserModel, String, Int64) {
        try await run(req, credentials: try JSONBody.decode(Request.self, req))
    }

    /// The same steps for the web's login form (LoginPages), which reads the fields from a form.
    static func run(_ req: Vapor.Request, credentials body: Request) async throws -> (UserModel, String, Int64) {
        let settings = req.zhengxin.config.authentication
        let lifetime = req.zhengxin.config.sessionLifetimeSeconds
        let now = req.now
        let client = req.clientAddress
        let found = try await UserModel.query(on: req.db).with(\.$organisation).filter(\.$username == body.username).first()
        // bcrypt is slow on purpose; run it before taking the write gate, for unknown names too (LoginTiming).
        let passwordMatches = try LoginTiming.passwordMatches(body.password, hash: found?.passwordHash, app: req.application)
        let outcome: Outcome = try await req.application.writeTransaction { db in
            guard let user = found else {
                try await AuditRecorder.append(AuditEvent(actor: nil, action: "login", result: .refused,
                                                          summary: "登录失败: 用户名「\(body.username)」不存在", clientAddress: client), at: now, on: db)
                return .refused(loginFailed)
            }
            let actor = try ActorLoader.actor(for: user)
            func record(_ action: String, _ result: AuditEvent.Result, _ summary: String) async throws {
                try await AuditRecorder.append(AuditEvent(actor: actor, action: action, result: result, summary: summary, clientAddress: client), at: now, on: db)
            }
            let security = try await AccountSecurityModel.load(try user.requireID(), on: db)
            if let until = security.lockedUntil {
                if until > now.secondsSinceEpoch {
                    try await record("login", .refused, "登录被拒绝: 账号锁定中(至\(Self.beijing(until)))")
                    return .refused(locked(until))
                }
                security.lockedUntil = nil
                security.failedLogins = 0
            }
            /// A wrong password or code counts towards the lockout (8.1.4.1 b)).
            func failed(_ error: APIError, _ why: String) async throws -> Outcome {
                security.failedLogins += 1
                try await record("login", .refused, "登录失败: \(why)(连续第\(security.failedLogins)次)")
                guard security.failedLogins >= settings.lockoutThreshold else {
                    try await security.save(on: db)
                    return .refused(error)
                }
                let until = now.secondsSinceEpoch + settings.lockoutSeconds
                security.lockedUntil = until
                security.failedLogins = 0
                try await security.save(on: db)
                try await record("lock-account", .accepted, "连续\(settings.lockoutThreshold)次登录失败,账号「\(user.username)」锁定至\(Self.beijing(until))")
                return .refused(locked(until))
            }
            guard user.active, passwordMatches else { return try await failed(loginFailed, user.active ? "密码错误" : "账号已停用") }
            if RoleRules.requiresSecondFactor(organisation: user.organisation.organisationType, roles: user.roleSet) {
                guard let secret = try TOTPEnrolment.secret(of: security) else {
                    try await record("login", .refused, "登录被拒绝: 账号须使用动态口令但尚未绑定")
                    return .refused(APIError(status: .unauthorized, code: "TOTP_REQUIRED", message: "该账号须使用动态口令登录,但尚未绑定动态口令,请联系安全管理员"))
                }
                guard let code = body.totp, !code.isEmpty else {
                    try await record("login", .refused, "登录未完成: 密码正确,缺少动态口令")
                    return .refused(APIError(status: .unauthorized, code: "TOTP_REQUIRED", message: "请输入动态口令(6位数字)"))
                }
                guard let step = TOTP.matchingStep(code, secret: secret, at: now.secondsSinceEpoch),
                      step > (security.totpLastStep ?? Int64.min) else {
                    return try await failed(APIError(status: .unauthorized, code: "TOTP_INVALID", message: "动态口令错误或已使用"), "动态口令错误或已使用")
                }
                security.totpLastStep = step
            }
            security.failedLogins = 0
            try await security.save(on: db)
            let token = [UInt8].random(count: 32).base64.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
            let expires = now.secondsSinceEpoch + lifetime
            let session = SessionTokenModel(tokenHash: TokenDigest.sha256Hex(token), userId: try user.requireID(), createdAt: now.secondsSinceEpoch, expiresAt: expires)
            session.lastSeenAt = now.secondsSinceEpoch
            try await session.create(on: db)
            try await record("login", .accepted, "登录成功")
            return .signedIn(token: token, expiresAt: expires)
        }
        switch outcome {
        case .refused(let error): throw error
        case .signedIn(let token, let expiresAt): return (found!, token, expiresAt)
        }
    }

    static func locked(_ until: Int64) -> APIError {
        APIError(status: .locked, code: "ACCOUNT_LOCKED",
                 message: "连续登录失败次数过多,账号已锁定至\(beijing(until))(北京时间),请届时再试或联系安全管理员解锁")
    }

    /// "2026-03-02 10:30:00" in Beijing time.
    static func beijing(_ seconds: Int64) -> String {
        let instant = Instant(secondsSinceEpoch: seconds)
        let inDay = (seconds + Instant.beijingOffsetSeconds) - Int64(instant.beijingDate.daysSinceEpoch) * 86_400
        return instant.beijingDate.description + String(format: " %02d:%02d:%02d", inDay / 3600, inDay % 3600 / 60, inDay % 60)
    }
}
