import Crypto
import Fluent
import NIOCore
import SQLKit
import Vapor
import ZhengxinCrypto

/// Failed logins remembered per client address and per (username, client address), in the
/// database so that every server on one database sees the same counts (GB/T 22239-2019 8.1.4.1 b)
/// 登录失败处理). One row per address and one per pair; a row is deleted once it means nothing
/// (`expires_at`), so the table holds at most the pairs that failed within the last lockout period.
///
/// - A pair locks after `lockoutThreshold` consecutive failures, for `lockoutSeconds` (423): the
///   same user from any other address is not affected, so nobody can lock someone else out.
/// - An address that failed `addressFreeFailures` times (any usernames) waits before each further
///   attempt: 1 s, 2 s, 4 s … up to `addressMaxDelaySeconds` (429 with Retry-After). That bounds how
///   fast one address can guess, and how fast it can add failures to the audit record.
///
/// Known and unknown usernames go through the same rows and the same answers: a lock or a wait says
/// nothing about whether the name exists. A lock on an account is mirrored in
/// `account_security.locked_until` (the latest), which the security administrator's unlock clears:
/// a pair lock of a known account stands only while that column is set.
final class LoginThrottleModel: Model, @unchecked Sendable {
    static let schema = "login_throttle"

    @ID(key: .id) var id: UUID?
    /// "<username digest>@<address>" for a pair, "*@<address>" for the address as a whole.
    @Field(key: "key") var key: String
    /// SHA-256 of the username in hex ("*" for an address row): never the name itself, which may be
    /// a password typed into the wrong field.
    @Field(key: "username_digest") var usernameDigest: String
    /// Failures since the last lock or success, within `lockoutSeconds` of each other.
    @Field(key: "failures") var failures: Int
    @Field(key: "last_failure_at") var lastFailureAt: Int64
    /// A pair: refused until then. An address: its next attempt waits until then.
    @OptionalField(key: "blocked_until") var blockedUntil: Int64?
    /// After this the row means nothing and is deleted.
    @Field(key: "expires_at") var expiresAt: Int64

    init() {}

    init(key: String, usernameDigest: String) {
        self.id = UUID()
        self.key = key
        self.usernameDigest = usernameDigest
        self.failures = 0
        self.lastFailureAt = 0
        self.expiresAt = 0
    }
}

enum LoginThrottle {
    /// What the rows say about an attempt before any password is checked.
    enum Verdict: Equatable {
        case open
        /// The pair is locked until then (423 ACCOUNT_LOCKED).
        case locked(until: Int64)
        /// The address must wait until then (429 TOO_MANY_ATTEMPTS).
        case wait(until: Int64)
    }

    /// The rows of one attempt.
    struct Rows {
        var address: LoginThrottleModel?
        var pair: LoginThrottleModel?
    }

    static func usernameDigest(_ username: String) -> String {
        SHA256.hash(data: Data(username.utf8)).withUnsafeBytes { Hex.lowercase($0) }
    }

    static func pairKey(_ digest: String, _ address: String) -> String { digest + "@" + scope(address) }
    static func addressKey(_ address: String) -> String { "*@" + scope(address) }

    /// What one client controls: an IPv4 address, or an IPv6 address's /64 (a host is usually given
    /// a whole /64, so counting per /128 would let it take a fresh address for every attempt).
    static func scope(_ address: String) -> String {
        if address.lowercased().hasPrefix("::ffff:"), address.contains(".") { return String(address.dropFirst(7)) }  // IPv4, mapped
        guard address.contains(":"), let parsed = try? SocketAddress(ipAddress: address, port: 0), case .v6(let v6) = parsed else {
            return address
        }
        let bytes = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0.prefix(8)) }
        return stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(
            separator: ":") + "::/64"
    }

    /// The client's address: the peer's, or behind a trusted proxy (`ZHENGXIN_TRUSTED_PROXIES`) the
    /// nearest `X-Forwarded-For` entry that is not itself a trusted proxy. Only a well-formed IP
    /// address is taken from the header, so the key and the audit field stay short.
    static func clientAddress(_ req: Request) -> String {
        let peer = req.remoteAddress?.ipAddress ?? "unknown"
        let trusted = req.zhengxin.config.authentication.trustedProxies
        guard trusted.contains(peer) else { return peer }
        let hops = req.headers[.xForwardedFor].flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            guard hop.utf8.count <= 45, (try? SocketAddress(ipAddress: hop, port: 0)) != nil else { return peer }
            if !trusted.contains(hop) { return hop }
        }
        return peer
    }

    static func load(digest: String, address: String, on db: Database) async throws -> Rows {
        let (pairKey, addressKey) = (pairKey(digest, address), addressKey(address))
        let rows = try await LoginThrottleModel.query(on: db).filter(\.$key ~~ [pairKey, addressKey]).all()
        return Rows(address: rows.first { $0.key == addressKey }, pair: rows.first { $0.key == pairKey })
    }

    /// `accountLockStands`: false for a known account whose locks the security administrator has
    /// lifted (its `locked_until` is cleared); true for an unknown username.
    static func verdict(_ rows: Rows, accountLockStands: Bool, now: Int64) -> Verdict {
        if accountLockStands, let until = rows.pair?.blockedUntil, until > now { return .locked(until: until) }
        if let until = rows.address?.blockedUntil, until > now { return .wait(until: until) }
        return .open
    }

    /// Counts a failure of the pair and of the address (inside the write transaction, after a
    /// verdict of `.open`); returns when the pair is now locked until, if this failure locked it.
    static func recordFailure(
        digest: String, address: String, settings: AuthenticationSettings, now: Int64,
        on db: Database
    ) async throws -> Int64? {
        // Rows that mean nothing any more go first: the table stays the size of the recent failures.
        try await LoginThrottleModel.query(on: db).filter(\.$expiresAt < now).delete()
        let rows = try await load(digest: digest, address: address, on: db)
        let memory = settings.lockoutSeconds

        let whole = rows.address ?? LoginThrottleModel(key: addressKey(address), usernameDigest: "*")
        if now - whole.lastFailureAt > memory { whole.failures = 0 }
        whole.failures += 1
        whole.lastFailureAt = now
        let excess = whole.failures - settings.addressFreeFailures
        whole.blockedUntil = excess > 0 ? now + min(Int64(1) << Int64(min(excess - 1, 30)), settings.addressMaxDelaySeconds) : nil
        whole.expiresAt = max(now + memory, whole.blockedUntil ?? 0)
        try await whole.save(on: db)

        let pair = rows.pair ?? LoginThrottleModel(key: pairKey(digest, address), usernameDigest: digest)
        // The verdict was open: a lock still on the row has ended or was lifted by an administrator.
        pair.blockedUntil = nil
        if now - pair.lastFailureAt > memory { pair.failures = 0 }
        pair.failures += 1
        pair.lastFailureAt = now
        var lockedUntil: Int64?
        if pair.failures >= settings.lockoutThreshold {
            lockedUntil = now + settings.lockoutSeconds
            pair.blockedUntil = lockedUntil
            pair.failures = 0
        }
        pair.expiresAt = max(now + memory, pair.blockedUntil ?? 0)
        try await pair.save(on: db)
        return lockedUntil
    }

    /// A success clears the pair's count (the address's stays: logging in to an account of one's own
    /// must not reset how fast one may guess at others).
    static func recordSuccess(digest: String, address: String, on db: Database) async throws {
        try await LoginThrottleModel.query(on: db).filter(\.$key == pairKey(digest, address)).delete()
    }

    /// Locks of the account from other addresses that an administrator lifted must not come back
    /// when a new lock sets `locked_until` again.
    static func dropLiftedLocks(digest: String, except address: String, now: Int64, on db: Database) async throws {
        try await LoginThrottleModel.query(on: db).filter(\.$usernameDigest == digest).filter(\.$key != pairKey(digest, address))
            .filter(\.$blockedUntil > now).set(\.$blockedUntil, to: nil).update()
    }
}
