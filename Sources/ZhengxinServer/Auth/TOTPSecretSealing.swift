import Foundation

/// Where a TOTP secret is turned into what the database stores and back. Issue 5 item 4 wants
/// TOTP secrets SM4-encrypted at rest; until the ZhengxinCrypto SM4 API lands this stores the
/// base32 text, and this is the one place to change (the crypto engineer has been told).
enum TOTPSecretSealing {
    static func seal(_ base32: String) throws -> String { base32 }
    static func open(_ stored: String) throws -> String { stored }
}

/// Enrolment: a secret for an account, fresh or (demo accounts only) fixed.
enum TOTPEnrolment {
    /// 160 random bits, the size RFC 4226 recommends for HMAC-SHA1.
    static func newSecret() -> String { Base32.encode([UInt8].random(count: 20)) }

    /// Stores `secretBase32` for the account and forgets the last accepted step.
    static func enrol(_ security: AccountSecurityModel, secretBase32: String, demo: Bool) throws {
        security.totpSecret = try TOTPSecretSealing.seal(secretBase32)
        security.totpIsDemo = demo
        security.totpLastStep = nil
    }

    /// The secret bytes, when the account has enrolled.
    static func secret(of security: AccountSecurityModel) throws -> [UInt8]? {
        guard let stored = security.totpSecret else { return nil }
        return Base32.decode(try TOTPSecretSealing.open(stored))
    }
}
