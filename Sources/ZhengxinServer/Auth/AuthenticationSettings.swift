import Foundation

/// GB/T 22239-2019 8.1.4.1 a) and b): password complexity, 登录失败处理 (lock after repeated
/// failures) and 连接超时自动退出 (idle sessions end), each configurable from the environment.
public struct AuthenticationSettings: Sendable {
    public var passwordPolicy: PasswordPolicy
    /// Consecutive failures that lock an account.
    public var lockoutThreshold: Int
    /// How long a locked account stays locked.
    public var lockoutSeconds: Int64
    /// A session unused for longer than this ends, whatever its absolute lifetime.
    public var idleTimeoutSeconds: Int64

    public init(passwordPolicy: PasswordPolicy = PasswordPolicy(), lockoutThreshold: Int = 5, lockoutSeconds: Int64 = 30 * 60,
                idleTimeoutSeconds: Int64 = 30 * 60) {
        self.passwordPolicy = passwordPolicy
        self.lockoutThreshold = max(lockoutThreshold, 1)
        self.lockoutSeconds = lockoutSeconds
        self.idleTimeoutSeconds = idleTimeoutSeconds
    }

    static func fromEnvironment(_ env: [String: String]) -> AuthenticationSettings {
        AuthenticationSettings(
            passwordPolicy: PasswordPolicy(minLength: env["ZHENGXIN_PASSWORD_MIN_LENGTH"].flatMap(Int.init) ?? 10,
                                           minClasses: env["ZHENGXIN_PASSWORD_MIN_CLASSES"].flatMap(Int.init) ?? 3),
            lockoutThreshold: env["ZHENGXIN_LOCKOUT_FAILURES"].flatMap(Int.init) ?? 5,
            lockoutSeconds: env["ZHENGXIN_LOCKOUT_SECONDS"].flatMap(Int64.init) ?? 30 * 60,
            idleTimeoutSeconds: env["ZHENGXIN_IDLE_SECONDS"].flatMap(Int64.init) ?? 30 * 60)
    }
}
