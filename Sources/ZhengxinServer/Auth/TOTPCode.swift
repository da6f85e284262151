import Foundation
import Vapor

/// RFC 6238 time-based one-time passwords (HMAC-SHA1, 30-second steps, 6 digits): the second
/// factor GB/T 22239-2019 8.1.4.1 d) asks of level 3 (两种或两种以上组合的鉴别技术). The codes come
/// from Vapor's `HOTP`; this type adds what login needs on top: which step a code matched (so a
/// step, once accepted, is never accepted again) and the URI authenticator apps scan. SHA-1 is what
/// every authenticator app implements; as an HMAC key-derivation it is not the weak use of SHA-1.
enum TOTPCode {
    static let stepSeconds: Int64 = 30
    static let digits = 6

    /// The step a moment falls in.
    static func step(at secondsSinceEpoch: Int64) -> Int64 { secondsSinceEpoch / stepSeconds }

    /// The code for one step.
    static func code(secret: [UInt8], step: Int64) -> String {
        HOTP(key: SymmetricKey(data: secret), digest: .sha1, digits: .six).generate(counter: UInt64(bitPattern: step))
    }

    /// The step whose code matches, looking one step either side for clock drift; nil otherwise.
    static func matchingStep(_ code: String, secret: [UInt8], at secondsSinceEpoch: Int64, window: Int64 = 1) -> Int64? {
        let trimmed = code.trimmingCharacters(in: .whitespaces)
        guard trimmed.count == digits, trimmed.allSatisfy(\.isASCII), trimmed.allSatisfy(\.isNumber) else { return nil }
        let now = step(at: secondsSinceEpoch)
        return ((now - window)...(now + window)).first { Self.code(secret: secret, step: $0) == trimmed }
    }

    /// The otpauth:// URI authenticator apps scan (Key Uri Format).
    static func uri(secretBase32: String, account: String, issuer: String = "Zhengxin") -> String {
        let label = "\(issuer):\(account)".addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? account
        return "otpauth://totp/\(label)?secret=\(secretBase32)&issuer=\(issuer)&algorithm=SHA1&digits=\(digits)&period=\(stepSeconds)"
    }

    /// A secret as authenticator apps exchange it: RFC 4648 base32 without padding (Vapor's
    /// relaxed alphabet, which also reads back spaces and hyphens).
    static func base32(_ secret: [UInt8]) -> String { Data(secret).base32EncodedString() }

    /// nil when the text is not base32. Upper-cased first: the relaxed alphabet maps only capitals,
    /// and people copy secrets in either case.
    static func secret(base32 text: String) -> [UInt8]? { Data(base32Encoded: text.uppercased()).map(Array.init) }
}
