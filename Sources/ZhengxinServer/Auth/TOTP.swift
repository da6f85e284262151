import Crypto
import Foundation

/// RFC 6238 time-based one-time passwords (HMAC-SHA1, 30-second steps, 6 digits): the second
/// factor GB/T 22239-2019 8.1.4.1 d) asks of level 3 (两种或两种以上组合的鉴别技术). SHA-1 is what
/// every authenticator app implements; as an HMAC key-derivation it is not the weak use of SHA-1.
public enum TOTP {
    public static let stepSeconds: Int64 = 30
    public static let digits = 6

    /// The step a moment falls in.
    public static func step(at secondsSinceEpoch: Int64) -> Int64 { secondsSinceEpoch / stepSeconds }

    /// The code for one step (RFC 4226 dynamic truncation).
    public static func code(secret: [UInt8], step: Int64) -> String {
        var counter = UInt64(bitPattern: step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let binary = (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        let value = binary % 1_000_000
        return String(format: "%06u", value)
    }

    /// The step whose code matches, looking one step either side for clock drift; nil otherwise.
    public static func matchingStep(_ code: String, secret: [UInt8], at secondsSinceEpoch: Int64, window: Int64 = 1) -> Int64? {
        let trimmed = code.trimmingCharacters(in: .whitespaces)
        guard trimmed.count == digits, trimmed.allSatisfy(\.isASCII), trimmed.allSatisfy(\.isNumber) else { return nil }
        let now = step(at: secondsSinceEpoch)
        for candidate in (now - window)...(now + window) where Self.code(secret: secret, step: candidate) == trimmed {
            return candidate
        }
        return nil
    }

    /// The otpauth:// URI authenticator apps scan (Key Uri Format).
    public static func uri(secretBase32: String, account: String, issuer: String = "Zhengxin") -> String {
        let label = "\(issuer):\(account)".addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? account
        return "otpauth://totp/\(label)?secret=\(secretBase32)&issuer=\(issuer)&algorithm=SHA1&digits=\(digits)&period=\(stepSeconds)"
    }
}

/// RFC 4648 base32 without padding, the form TOTP secrets are exchanged in.
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// nil when a character is outside the alphabet (spaces, dashes and padding are ignored).
    public static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for char in text.uppercased().utf8 where char != UInt8(ascii: "=") && char != UInt8(ascii: " ") && char != UInt8(ascii: "-") {
            guard let value = alphabet.firstIndex(of: char) else { return nil }
            buffer = (buffer << 5) | UInt32(value)
            bits += 5
            if bits >= 8 {
                out.append(UInt8((buffer >> UInt32(bits - 8)) & 0xff))
                bits -= 8
            }
        }
        return out
    }
}
