import COpenSSL
import Foundation

/// A failure inside OpenSSL or a malformed input. The message carries OpenSSL's own reason so an
/// operator can tell a wrong key from a missing algorithm.
public struct CryptoError: Error, CustomStringConvertible, Sendable {
    public var operation: String
    public var reason: String

    public init(_ operation: String, reason: String? = nil) {
        self.operation = operation
        self.reason = reason ?? CryptoError.openSSLReason()
    }

    public var description: String { "\(operation): \(reason)" }

    /// Drains OpenSSL's thread-local error queue so a later call does not report a stale error.
    static func openSSLReason() -> String {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return reasons.isEmpty ? "unknown OpenSSL error" : reasons.joined(separator: "; ")
    }
}

/// Throws unless OpenSSL reported success (1).
@inline(__always)
func check(_ result: Int32, _ operation: String) throws {
    guard result == 1 else { throw CryptoError(operation) }
}

extension Data {
    /// Lower-case hex, the form the standards print their vectors in.
    public var hexString: String { withUnsafeBytes { Hex.lowercase($0) } }

    /// Parses hex (either case, no separators); nil on anything else.
    public init?(hex: String) {
        let chars = Array(hex.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let hi = Self.nibble(chars[i]), let lo = Self.nibble(chars[i + 1]) else { return nil }
            bytes.append(hi << 4 | lo)
            i += 2
        }
        self.init(bytes)
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        case 0x41...0x46: return c - 0x41 + 10
        default: return nil
        }
    }
}

/// Cryptographically secure random bytes from OpenSSL's DRBG (keys, IVs).
public func secureRandomBytes(_ count: Int) throws -> Data {
    var bytes = [UInt8](repeating: 0, count: count)
    try check(RAND_bytes(&bytes, Int32(count)), "RAND_bytes")
    return Data(bytes)
}
