import Fluent
import Vapor
import ZhengxinCore

/// POST /api/v1/auth/login, step by step (GB/T 22239-2019 8.1.4.1 a) b) d), 8.1.4.3 a) 安全审计):
/// field lengths first (nothing oversized is looked up, stored or logged), then the throttle of
/// the client address and of the (username, address) pair (LoginThrottle), then password, then the
/// second factor. Every attempt that gets as far as a password check, accepted or refused, lands on
/// the audit record in the same transaction as the counters it changes; an attempt refused by the
/// throttle writes nothing (the lock itself was recorded), so refusals cannot grow the database.
enum LoginFlow {
    struct Request: Content { var username: String; var password: String; var totp: String? }

    /// What the transaction decided. Refusals are returned, not thrown, so that the failure count
    /// and the audit entry commit; the caller throws afterwards.
    enum Outcome: Sendable {
        case signedIn(token: String, expiresAt: Int64)
        case refused(APIError)
        case throttled(LoginThrottle.Verdict)
    }

    /// A refusal that tells the client when to come back (`Retry-After`): 423 and 429. The API
    /// (AuthController) and the login page set the header; the error is the usual shape.
    struct Refusal: Error, Sendable {
        var error: APIError
        var retryAfterSeconds: Int64
    }

    static let loginFailed = APIError(status: .unauthorized, code: "LOGIN_FAILED", message: "用户名或密码错误")
    static let maxUsernameCharacters = 64
    static let maxPasswordBytes = 256
    static let totpDigits = 6

    /// What is wrong with a typed username, if anything: over 64 characters (or 256 bytes), or holding
    /// a control character (tab and line breaks included: no account name holds one, and the audit
    /// summary of a failed login quotes the name) or a bidi override. The page's form is not a JSON
    /// body, so the body's screen never saw its username: NUL reached PostgreSQL's lookup (500), and
    /// ESC or U+202E the audit record.
    static func usernameFault(_ username: String) -> Violation? {
        if username.count > maxUsernameCharacters || username.utf8.count > maxUsernameCharacters * 4 {
            return .input("username", "用户名不超过\(maxUsernameCharacters)个字符")
        }
        return PayloadScreening.isPrintableLine(username) ? nil : PayloadScreening.refusal(field: "username", name: "用户名")
    }

    /// Lengths and characters checked before anything else: a faulty field is answered 400 naming
    /// the field, with no lookup, no bcrypt, no audit entry and no log line holding it.
    static func checkLengths(_ body: Request) throws {
        var violations: [Violation] = []
        if let fault = usernameFault(body.username) { violations.append(fault) }
        if body.password.utf8.count > maxPasswordBytes {
            violations.append(.input("password", "密码不超过\(maxPasswordBytes)字节"))
        }
        if let code = body.totp, !code.isEmpty, code.utf8.count != totpDigits || !code.utf8.allSatisfy({ (48...57).contains($0) }) {
            violations.append(.input("totp", "动态口令为\(totpDigits)位数字"))
        }
        if !violations.isEmpty { throw APIError.invalid(violations) }
    }

    static func run(_ req: Vapor.Request) async throws -> (UserModel, String, Int64) {
        try await run(req, credentials: try JSONBody.decode(Request.self, req))
    }

    /// The same steps for the web's login form (LoginPages), which reads the fields from a form.
    /// Counted by result for /metrics (OperationsMetrics): a refusal by the throttle is `throttled`,
    /// an oversized field `invalid`, a wrong name, password or code `refused`.
    static func run(_ req: Vapor.Request, credentials body: Request) async throws -> (UserModel, String, Int64) {
        let metrics = req.application.operationsMetrics
        do {
            let signedIn = try await attempt(req, credentials: body)
            metrics.login(.accepted)
            return signedIn
        } catch let refusal as Refusal {
            metrics.login(.throttled)
            throw refusal
        } catch let api as APIError where api.status == .badRequest || api.status == .unauthorized {
            metrics.login(api.status == .badRequest ? .invalid : .refused)
            throw api
        }
    }

    private static func attempt(_ req: Vapor.Request, credentials body: Request) async throws -> (UserModel, String, Int64) {
        try checkLengths(body)
        let settings = req.zhengxin.config.authentication
        let lifetime = req.zhengxin.config.sessionLifetimeSeconds
        let now = req.now
        let client = LoginThrottle.clientAddress(req)
        let digest = LoginThrottle.usernameDigest(body.username)
        let found = try await UserModel.query(on: req.db).with(\.$organisation).filter(\.$username == body.username).first()
        // The throttle before bcrypt, for known and unknown names alike: a locked pair or a waiting
        // address costs one read, never a password check or a write.
        let known = found != nil
        let lockStands: @Sendable (AccountSecurityModel?) -> Bool = { security in !known || security?.lockedUntil != nil }
        let security0 = try await security(of: found, on: req.db)
        let verdict0 = LoginThrottle.verdict(
            try await LoginThrottle.load(digest: digest, address: client, on: req.db),
            accountLockStands: lockStands(security0), now: now.secondsSinceEpoch)
        if verdict0 != LoginThrottle.Verdict.open { throw refusal(verdict0, now: now.secondsSinceEpoch) }
        // bcrypt is slow on purpose; run it before taking the write gate, for unknown names too (LoginTiming).
        let passwordMatches = try await LoginTiming.passwordMatches(body.password, hash: found?.passwordHash, app: req.application)
        let outcome: Outcome = try await req.application.writeTransaction { db in
            let security = try await security(of: found, on: db)
            // Again inside the transaction: a concurrent attempt may have locked the pair meanwhile.
            let verdict = LoginThrottle.verdict(
                try await LoginThrottle.load(digest: digest, address: client, on: db),
                accountLockStands: lockStands(security), now: now.secondsSinceEpoch)
            if verdict != LoginThrottle.Verdict.open { return .throttled(verdict) }
            let actor = try found.map(ActorLoader.actor(for:))
            func record(_ action: String, _ result: AuditEvent.Result, _ summary: String) async throws {
                try await AuditRecorder.append(
                    AuditEvent(actor: actor, action: action, result: result, summary: summary, clientAddress: client), at: now, on: db)
            }
            /// A wrong password or code counts for the pair and the address (8.1.4.1 b)); the
            /// answer is the same whether the name exists or not.
            func failed(_ error: APIError, _ why: String) async throws -> Outcome {
                guard
                    let until = try await LoginThrottle.recordFailure(
                        digest: digest, address: client, settings: settings,
                        now: now.secondsSinceEpoch, on: db)
                else {
                    try await record("login", .refused, "登录失败: \(why)")
                    return .refused(error)
                }
                try await record("login", .refused, "登录失败: \(why)(自地址 \(client) 连续第\(settings.lockoutThreshold)次)")
                if let user = found, let security {
                    if security.lockedUntil == nil {
                        try await LoginThrottle.dropLiftedLocks(digest: digest, except: client, now: now.secondsSinceEpoch, on: db)
                    }
                    security.lockedUntil = max(security.lockedUntil ?? 0, until)
                    try await security.save(on: db)
                    try await record(
                        "lock-account", .accepted,
                        "连续\(settings.lockoutThreshold)次登录失败,账号「\(user.username)」自地址 \(client) 的登录锁定至\(Self.beijing(until))")
                } else {
                    try await record(
                        "lock-account", .accepted,
                        "连续\(settings.lockoutThreshold)次登录失败,用户名「\(body.username)」(不存在)自地址 \(client) 的登录锁定至\(Self.beijing(until))")
                }
                return .throttled(.locked(until: until))
            }
            guard let user = found, let security else { return try await failed(loginFailed, "用户名「\(body.username)」不存在") }
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
                guard let step = TOTPCode.matchingStep(code, secret: secret, at: now.secondsSinceEpoch),
                    step > (security.totpLastStep ?? Int64.min)
                else {
                    return try await failed(APIError(status: .unauthorized, code: "TOTP_INVALID", message: "动态口令错误或已使用"), "动态口令错误或已使用")
                }
                security.totpLastStep = step
            }
            security.failedLogins = 0
            try await security.save(on: db)
            try await LoginThrottle.recordSuccess(digest: digest, address: client, on: db)
            let token = [UInt8].random(count: 32).base64.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
            let expires = now.secondsSinceEpoch + lifetime
            let session = SessionTokenModel(
                tokenHash: TokenDigest.sha256Hex(token), userId: try user.requireID(), createdAt: now.secondsSinceEpoch, expiresAt: expires)
            session.lastSeenAt = now.secondsSinceEpoch
            try await session.create(on: db)
            try await record("login", .accepted, "登录成功")
            return .signedIn(token: token, expiresAt: expires)
        }
        switch outcome {
        case .refused(let error): throw error
        case .throttled(let verdict): throw refusal(verdict, now: now.secondsSinceEpoch)
        case .signedIn(let token, let expiresAt): return (found!, token, expiresAt)
        }
    }

    private static func security(of user: UserModel?, on db: Database) async throws -> AccountSecurityModel? {
        guard let user else { return nil }
        return try await AccountSecurityModel.load(try user.requireID(), on: db)
    }

    static func refusal(_ verdict: LoginThrottle.Verdict, now: Int64) -> Refusal {
        switch verdict {
        case .locked(let until): return Refusal(error: locked(until), retryAfterSeconds: max(until - now, 1))
        case .wait(let until): return Refusal(error: tooManyAttempts(max(until - now, 1)), retryAfterSeconds: max(until - now, 1))
        case .open: preconditionFailure("an open verdict is no refusal")
        }
    }

    static func locked(_ until: Int64) -> APIError {
        APIError(
            status: .locked, code: "ACCOUNT_LOCKED",
            message: "连续登录失败次数过多,该账号从本地址的登录已锁定至\(beijing(until))(北京时间),请届时再试或联系安全管理员解锁")
    }

    static func tooManyAttempts(_ seconds: Int64) -> APIError {
        APIError(status: .tooManyRequests, code: "TOO_MANY_ATTEMPTS", message: "本地址登录失败次数过多,请\(seconds)秒后再试")
    }

    /// "2026-03-02 10:30:00" in Beijing time.
    static func beijing(_ seconds: Int64) -> String {
        let instant = Instant(secondsSinceEpoch: seconds)
        let inDay = (seconds + Instant.beijingOffsetSeconds) - Int64(instant.beijingDate.daysSinceEpoch) * 86_400
        return instant.beijingDate.description + String(format: " %02d:%02d:%02d", inDay / 3600, inDay % 3600 / 60, inDay % 60)
    }
}
