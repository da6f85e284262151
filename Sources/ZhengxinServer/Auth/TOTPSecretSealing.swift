/// Where a TOTP secret is turned into what the database stores and back: SM4-sealed under the
/// at-rest key (AtRest), so a copy of the database does not yield anyone's second factor
/// (GB/T 39786-2021 8.3). Secrets stored in the clear before sealing existed are sealed by the
/// `SealSensitiveData` migration; after it, a clear value is refused rather than trusted.
enum TOTPSecretSealing {
    static func seal(_ base32: String) throws -> String { try AtRest.seal(base32) }
    static func open(_ stored: String) throws -> String { try AtRest.open(stored) }
}

/// Enrolment: a secret for an account, fresh or (demo accounts only) fixed.
enum TOTPEnrolment {
    /// 160 random bits, the size RFC 4226 recommends for HMAC-SHA1.
    static func newSecret() -> String { TOTPCode.base32([UInt8].random(count: 20)) }

    /// Stores `secretBase32` for the account and forgets the last accepted step.
    static func enrol(_ security: AccountSecurityModel, secretBase32: String, demo: Bool) throws {
        security.totpSecret = try TOTPSecretSealing.seal(secretBase32)
        security.totpIsDemo = demo
        security.totpLastStep = nil
    }

    /// The secret bytes, when the account has enrolled.
    static func secret(of security: AccountSecurityModel) throws -> [UInt8]? {
        guard let stored = security.totpSecret else { return nil }
        return TOTPCode.secret(base32: try TOTPSecretSealing.open(stored))
    }
}
