import Foundation

/// GB/T 22239-2019 8.1.4.1 a) and b): password complexity, 登录失败处理 (lock after repeated
/// failures) and 连接超时自动退出 (idle sessions end), each configurable from the environment;
/// and how the server tells who is calling and where it is served, which the login throttle, the
/// same-origin check on page forms and the session cookie depend on.
public struct AuthenticationSettings: Sendable {
    public var passwordPolicy: PasswordPolicy
    /// Consecutive failures of one username from one client address that lock that pair (never the
    /// account for everyone: a stranger elsewhere cannot lock a user out).
    public var lockoutThreshold: Int
    /// How long a locked pair stays locked, and how long failures are remembered.
    public var lockoutSeconds: Int64
    /// A session unused for longer than this ends, whatever its absolute lifetime.
    public var idleTimeoutSeconds: Int64
    /// Failed logins from one client address, whatever the usernames, before each further attempt
    /// from it must wait: 1 s after the next failure, then 2 s, 4 s … up to `addressMaxDelaySeconds`.
    public var addressFreeFailures: Int
    public var addressMaxDelaySeconds: Int64
    /// Peers (IP addresses) whose `X-Forwarded-For` names the real client: the TLS proxy in front.
    /// From anyone else the header is ignored, or a client could pick its own address.
    public var trustedProxies: Set<String>
    /// `scheme://host[:port]` the site is served at (ZHENGXIN_PUBLIC_URL), lower case; nil: the
    /// request's own Host is the origin page forms must come from.
    public var publicOrigin: String?
    /// Whether the session cookie is always `Secure`: ZHENGXIN_COOKIE_SECURE=1, or a public URL
    /// with https.
    public var cookieSecure: Bool

    public init(
        passwordPolicy: PasswordPolicy = PasswordPolicy(), lockoutThreshold: Int = 5, lockoutSeconds: Int64 = 30 * 60,
        idleTimeoutSeconds: Int64 = 30 * 60, addressFreeFailures: Int = 10, addressMaxDelaySeconds: Int64 = 60,
        trustedProxies: Set<String> = [], publicURL: String? = nil, cookieSecure: Bool = false
    ) {
        self.passwordPolicy = passwordPolicy
        self.lockoutThreshold = max(lockoutThreshold, 1)
        self.lockoutSeconds = max(lockoutSeconds, 1)
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.addressFreeFailures = max(addressFreeFailures, 1)
        self.addressMaxDelaySeconds = max(addressMaxDelaySeconds, 1)
        self.trustedProxies = trustedProxies
        self.publicOrigin = publicURL.flatMap(Self.origin(of:))
        self.cookieSecure = cookieSecure || self.publicOrigin?.hasPrefix("https://") == true
    }

    /// "https://zx.example.gov.cn" from "https://ZX.example.gov.cn/path"; nil when not an http(s) URL.
    static func origin(of url: String) -> String? {
        guard let parts = URLComponents(string: url.trimmingCharacters(in: .whitespaces)), let scheme = parts.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = parts.host?.lowercased(), !host.isEmpty
        else { return nil }
        return scheme + "://" + host + (parts.port.map { ":\($0)" } ?? "")
    }

    static func fromEnvironment(_ env: [String: String]) -> AuthenticationSettings {
        AuthenticationSettings(
            passwordPolicy: PasswordPolicy(
                minLength: env["ZHENGXIN_PASSWORD_MIN_LENGTH"].flatMap(Int.init) ?? 10,
                minClasses: env["ZHENGXIN_PASSWORD_MIN_CLASSES"].flatMap(Int.init) ?? 3),
            lockoutThreshold: env["ZHENGXIN_LOCKOUT_FAILURES"].flatMap(Int.init) ?? 5,
            lockoutSeconds: env["ZHENGXIN_LOCKOUT_SECONDS"].flatMap(Int64.init) ?? 30 * 60,
            idleTimeoutSeconds: env["ZHENGXIN_IDLE_SECONDS"].flatMap(Int64.init) ?? 30 * 60,
            addressFreeFailures: env["ZHENGXIN_LOGIN_ADDRESS_FAILURES"].flatMap(Int.init) ?? 10,
            addressMaxDelaySeconds: env["ZHENGXIN_LOGIN_MAX_DELAY_SECONDS"].flatMap(Int64.init) ?? 60,
            trustedProxies: Set(
                (env["ZHENGXIN_TRUSTED_PROXIES"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }),
            publicURL: env["ZHENGXIN_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 },
            cookieSecure: env["ZHENGXIN_COOKIE_SECURE"] == "1")
    }
}
