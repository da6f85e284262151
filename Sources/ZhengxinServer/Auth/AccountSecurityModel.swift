import Fluent
import Foundation

/// Per-account authentication state kept apart from the account itself, so the identity record
/// (users) stays what the system administrator edits and this stays what login and the security
/// administrator edit: consecutive failures and lockout (GB/T 22239-2019 8.1.4.1 b) 登录失败处理)
/// and the TOTP second factor (8.1.4.1 d)).
final class AccountSecurityModel: Model, @unchecked Sendable {
    static let schema = "account_security"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "failed_logins") var failedLogins: Int
    /// Seconds since the epoch until which login is refused; nil when not locked.
    @OptionalField(key: "locked_until") var lockedUntil: Int64?
    /// The TOTP secret as sealed by `TOTPSecretSealing` (base32 today).
    @OptionalField(key: "totp_secret") var totpSecret: String?
    /// Demo accounts' secrets are published in the README; only those may be shown by `totp-code`.
    @Field(key: "totp_is_demo") var totpIsDemo: Bool
    /// The last step whose code was accepted: a code is never accepted twice (RFC 6238 §5.2).
    @OptionalField(key: "totp_last_step") var totpLastStep: Int64?

    init() {}

    init(userId: UUID) {
        self.id = UUID()
        self.$user.id = userId
        self.failedLogins = 0
        self.totpIsDemo = false
    }

    /// The row for a user, created on first need.
    static func load(_ userId: UUID, on db: Database) async throws -> AccountSecurityModel {
        if let found = try await query(on: db).filter(\.$user.$id == userId).first() { return found }
        return AccountSecurityModel(userId: userId)
    }
}
