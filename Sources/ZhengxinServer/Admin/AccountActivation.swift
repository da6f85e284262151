import Fluent
import SQLKit
import Vapor
import ZhengxinCore

/// A one-time activation code (激活码): how a new account gets its password and second factor
/// without any administrator holding them (GB/T 22239-2019 8.1.4.1, 8.1.4.4 三权分立). The
/// administrator who creates an account sees the code once and hands it over out of band; the
/// holder sets their own password with it and, where the account needs one, receives its TOTP
/// secret. A security administrator's `reset-totp` issues a code of the second purpose, which
/// enrols a new secret against the account's current password. Only the SHA-256 of a code is
/// stored; a code is used once and lapses after `lifetimeSeconds`.
final class AccountActivationModel: Model, @unchecked Sendable {
    static let schema = "account_activations"

    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userId: UUID
    /// SHA-256 (hex) of the code, or of its second half when `firstHalfDigest` is set.
    @Field(key: "token_digest") var tokenDigest: String
    /// For administrator accounts (two-person rule): the SHA-256 of the half the proposing system
    /// administrator received; the code the holder types is both halves, so neither administrator
    /// alone can activate the account.
    @OptionalField(key: "first_half_digest") var firstHalfDigest: String?
    @Field(key: "purpose") var purpose: String
    @Field(key: "created_at") var createdAt: Int64
    @Field(key: "expires_at") var expiresAt: Int64

    init() {}
}

enum AccountActivation {
    /// 72 hours: long enough to hand a code over by another channel, short enough that a code lost
    /// on the way is soon worthless.
    static let lifetimeSeconds: Int64 = 72 * 3600

    enum Purpose: String, Sendable {
        /// A new account: the holder sets the password (and receives the TOTP secret where needed).
        case activate
        /// After `reset-totp`: the holder proves the current password and receives a new TOTP secret.
        case enrolTOTP = "enrol-totp"
    }

    /// What the issuing administrator is shown, once. For an administrator account `code` is the
    /// second half: the holder types the proposer's half followed by it.
    struct Issued: Content, Sendable {
        var code: String
        var purpose: String
        var expiresAt: Int64
        var activateAt = "/activate"
        var note: String
    }

    /// 160 random bits in base32 (32 characters), the size of a TOTP secret; easy to read out.
    static func newCode() -> String { TOTPCode.base32([UInt8].random(count: 20)) }

    /// Codes are compared case-insensitively, ignoring spaces and dashes a person may add.
    static func normalised(_ code: String) -> String {
        String(code.uppercased().filter { !$0.isWhitespace && $0 != "-" })
    }

    static func digest(_ code: String) -> String { TokenDigest.sha256Hex(normalised(code)) }

    /// Issues a code for `userId`, replacing any earlier code of the account; call inside the write
    /// transaction that records why. `firstHalfDigest` is the digest of the proposer's half for
    /// administrator accounts; the code returned is then the second half.
    static func issue(for userId: UUID, purpose: Purpose, firstHalfDigest: String? = nil, at now: Instant, on db: Database) async throws
        -> Issued
    {
        try await AccountActivationModel.query(on: db).filter(\.$userId == userId).delete()
        let code = newCode()
        let row = AccountActivationModel()
        row.id = UUID()
        row.userId = userId
        row.tokenDigest = digest(code)
        row.firstHalfDigest = firstHalfDigest
        row.purpose = purpose.rawValue
        row.createdAt = now.secondsSinceEpoch
        row.expiresAt = now.secondsSinceEpoch + lifetimeSeconds
        try await row.create(on: db)
        let note =
            firstHalfDigest != nil
            ? "激活码的后半部分: 本人须在前面接上系统管理员提出申请时获得的前半部分,两部分分别当面交付;72小时内有效,只能使用一次"
            : "激活码只显示这一次,请当面或经其他可靠途径交给本人;72小时内有效,只能使用一次"
        return Issued(code: code, purpose: purpose.rawValue, expiresAt: row.expiresAt, note: note)
    }

    /// The user ids with a code still in force (the administrators' user list).
    static func pending(at now: Instant, on db: Database) async throws -> Set<UUID> {
        Set(try await AccountActivationModel.query(on: db).filter(\.$expiresAt > now.secondsSinceEpoch).all().map(\.userId))
    }

    static let invalid = APIError(status: .badRequest, code: "ACTIVATION_INVALID", message: "激活码无效、已使用或已过期,请联系管理员重新签发")

    /// The row a typed code names, if it is in force: a plain code, or the two halves of an
    /// administrator account's code.
    static func find(_ typed: String, at now: Instant, on db: Database) async throws -> AccountActivationModel? {
        let code = normalised(typed)
        guard !code.isEmpty, code.count <= 128 else { return nil }
        var candidates = [(digest: TokenDigest.sha256Hex(code), first: String?.none)]
        if code.count % 2 == 0 {
            let half = code.count / 2
            candidates.append((TokenDigest.sha256Hex(String(code.suffix(half))), TokenDigest.sha256Hex(String(code.prefix(half)))))
        }
        for candidate in candidates {
            guard let row = try await AccountActivationModel.query(on: db).filter(\.$tokenDigest == candidate.digest).first(),
                row.expiresAt > now.secondsSinceEpoch, row.firstHalfDigest == candidate.first
            else { continue }
            return row
        }
        return nil
    }

    /// Deletes the row; false when another request used it first (the code is single-use on every server).
    static func consume(_ id: UUID, on db: Database) async throws -> Bool {
        let sql = db as! any SQLDatabase
        return try await !sql.delete(from: AccountActivationModel.schema).where("id", .equal, id).returning("id").all().isEmpty
    }
}

/// `POST /api/v1/auth/activate` and the `/activate` page: the holder of a code sets a password
/// and receives a TOTP secret (shown to the holder only, here, once).
struct ActivationController {
    struct Body: Content {
        var code: String
        /// For a new account: the password the holder chooses (password rules apply).
        var newPassword: String?
        /// After `reset-totp`: the account's current password.
        var currentPassword: String?
    }

    struct Activated: Content {
        var username: String
        /// Set when the account signs in with a second factor: add it to an authenticator app now;
        /// it is not shown again.
        var totp: TOTPEnrolmentView?
        var message: String
    }

    func register(_ api: RoutesBuilder) {
        api.post("auth", "activate", use: activate)
    }

    func activate(_ req: Request) async throws -> Response {
        do {
            return try await Self.run(try JSONBody.decode(Body.self, req), req).encodeResponse(for: req)
        } catch let refusal as LoginFlow.Refusal {
            return try AuthController.response(refusal)
        }
    }

    static let maxCodeCharacters = 128

    /// Every wrong code typed at one address counts against one throttle pair, as a username does at
    /// login (LoginThrottle): an unauthenticated caller can neither guess codes nor fill the audit
    /// record faster than the address's delay allows.
    static let throttleDigest = LoginThrottle.usernameDigest("〈激活码〉")

    /// Lengths first, as at login: nothing oversized is looked up, hashed, stored or echoed.
    static func checkLengths(_ body: Body) throws {
        var violations: [Violation] = []
        if body.code.count > maxCodeCharacters || body.code.utf8.count > maxCodeCharacters * 4 {
            violations.append(.input("code", "激活码不超过\(maxCodeCharacters)个字符"))
        }
        for (name, value) in [("newPassword", body.newPassword), ("currentPassword", body.currentPassword)] {
            if let value, value.utf8.count > LoginFlow.maxPasswordBytes {
                violations.append(.input(name, "密码不超过\(LoginFlow.maxPasswordBytes)字节"))
            }
        }
        if !violations.isEmpty { throw APIError.invalid(violations) }
    }

    /// 429 with `Retry-After` for both kinds of verdict: there is no account to speak of yet.
    static func throttled(_ verdict: LoginThrottle.Verdict, now: Int64) -> LoginFlow.Refusal {
        let until: Int64
        switch verdict {
        case .locked(let at), .wait(let at): until = at
        case .open: preconditionFailure("an open verdict is no refusal")
        }
        let seconds = max(until - now, 1)
        return LoginFlow.Refusal(
            error: APIError(status: .tooManyRequests, code: "TOO_MANY_ATTEMPTS", message: "本地址激活失败次数过多,请\(seconds)秒后再试"),
            retryAfterSeconds: seconds)
    }

    /// The steps shared by the API and the page: the throttle, find the code, check what the
    /// purpose asks (password rules, or the current password), then in one transaction use the
    /// code, set the password or secret, end the account's sessions and record it.
    static func run(_ body: Body, _ req: Request) async throws -> Activated {
        try checkLengths(body)
        let (now, client, app) = (req.now, req.clientAddress, req.application)
        let settings = app.zhengxin.config.authentication
        let opening = LoginThrottle.verdict(
            try await LoginThrottle.load(digest: throttleDigest, address: client, on: req.db),
            accountLockStands: true, now: now.secondsSinceEpoch)
        /// A wrong code or current password counts for the address like a failed login, and is
        /// recorded with the count; an attempt the throttle turns away writes nothing.
        func refuse(_ error: APIError, _ why: String, actor: Actor? = nil) async throws -> any Error {
            try await app.writeTransaction { db -> any Error in
                let verdict = LoginThrottle.verdict(
                    try await LoginThrottle.load(digest: throttleDigest, address: client, on: db),
                    accountLockStands: true, now: now.secondsSinceEpoch)
                if verdict != .open { return throttled(verdict, now: now.secondsSinceEpoch) }
                let lockedUntil = try await LoginThrottle.recordFailure(
                    digest: throttleDigest, address: client, settings: settings,
                    now: now.secondsSinceEpoch, on: db)
                let lock = lockedUntil.map { "(自地址 \(client) 连续第\(settings.lockoutThreshold)次,该地址的激活暂停至\(LoginFlow.beijing($0)))" } ?? ""
                try await AuditRecorder.append(
                    AuditEvent(
                        actor: actor, action: "activate-account", result: .refused, summary: "激活被拒绝: \(why)" + lock,
                        clientAddress: client), at: now, on: db)
                // The failure that locks is answered as the lock, as at login.
                return lockedUntil.map { throttled(.locked(until: $0), now: now.secondsSinceEpoch) } ?? error
            }
        }
        guard let row = try await AccountActivation.find(body.code, at: now, on: req.db),
            let user = try await UserModel.query(on: req.db).with(\.$organisation).filter(\.$id == row.userId).first(), user.active,
            let purpose = AccountActivation.Purpose(rawValue: row.purpose)
        else {
            if opening != .open { throw throttled(opening, now: now.secondsSinceEpoch) }
            throw try await refuse(AccountActivation.invalid, "激活码无效、已使用或已过期")
        }
        // A valid code that activates a new account passes a throttled address: a code is 160 bits,
        // so no guess finds one, and a throttle on the address would let anyone's wrong guesses keep
        // everyone behind the same gateway from activating. Wrong codes still count and are still
        // turned away; re-binding TOTP checks the current password, which can be guessed: throttled.
        if opening != .open && purpose != .activate { throw throttled(opening, now: now.secondsSinceEpoch) }
        let actor = try ActorLoader.actor(for: user)
        var newHash: String?
        switch purpose {
        case .activate:
            guard let password = body.newPassword, !password.isEmpty else {
                throw APIError.invalid([.input("newPassword", "请设置登录密码")])
            }
            if let why = app.zhengxin.config.authentication.passwordPolicy.problem(with: password) {
                throw APIError.invalid([.input("newPassword", why)])
            }
            newHash = try await req.application.passwords(answeringOn: req.eventLoop).hash(password).get()
        case .enrolTOTP:
            guard let password = body.currentPassword, !password.isEmpty,
                try await req.application.passwords(answeringOn: req.eventLoop).verify(
                    password, created: user.passwordHash
                ).get()
            else {
                throw try await refuse(
                    APIError(
                        status: .badRequest, code: "CURRENT_PASSWORD_WRONG", message: "当前密码不正确",
                        violations: [.input("currentPassword", "当前密码不正确")]),
                    "账号 \(user.username) 重新绑定动态口令时当前密码不正确", actor: actor)
            }
        }
        let needsTOTP = RoleRules.requiresSecondFactor(organisation: user.organisation.organisationType, roles: user.roleSet)
        let secret = needsTOTP ? TOTPEnrolment.newSecret() : nil
        let chosenHash = newHash
        let userId = try user.requireID()
        let rowId = try row.requireID()
        let username = user.username
        try await app.writeTransaction { db in
            guard try await AccountActivation.consume(rowId, on: db) else { throw AccountActivation.invalid }
            if let chosenHash {
                user.passwordHash = chosenHash
                try await user.save(on: db)
            }
            let security = try await AccountSecurityModel.load(userId, on: db)
            if let secret { try TOTPEnrolment.enrol(security, secretBase32: secret, demo: false) }
            try await security.save(on: db)
            try await SessionTokenModel.query(on: db).filter(\.$user.$id == userId).delete()
            try await LoginThrottle.recordSuccess(digest: throttleDigest, address: client, on: db)
            let what = purpose == .activate ? "激活账号 \(username),本人设置密码" : "账号 \(username) 本人重新绑定动态口令"
            try await AuditRecorder.append(
                AuditEvent(
                    actor: actor, action: "activate-account", result: .accepted,
                    summary: what + (secret == nil || purpose == .enrolTOTP ? "" : "并绑定动态口令"),
                    clientAddress: client), at: now, on: db)
        }
        return Activated(
            username: username, totp: secret.map { TOTPEnrolmentView(secret: $0, username: username) },
            message: secret == nil ? "账号已激活,请用新密码登录" : "请立即将动态口令密钥添加到身份验证器(只显示这一次),然后用密码和动态口令登录")
    }
}
