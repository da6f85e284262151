import COpenSSL

/// SM3 (GB/T 32905-2016) fed piece by piece through one reused OpenSSL EVP context: a hash over
/// many fields needs neither the joined string nor a fresh context per message (the audit-chain
/// walk hashes millions of entries). Not thread-safe: one hasher per thread.
public final class SM3Hasher {
    private let context: OpaquePointer

    public init() {
        // EVP_MD_CTX_new fails only when memory runs out.
        guard let context = EVP_MD_CTX_new() else { preconditionFailure("EVP_MD_CTX_new: \(CryptoError.openSSLReason())") }
        self.context = context
        reset()
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Starts a new message.
    public func reset() {
        precondition(EVP_DigestInit_ex(context, EVP_sm3(), nil) == 1, "SM3 unavailable in libcrypto: \(CryptoError.openSSLReason())")
    }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        precondition(EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) == 1, "SM3 update failed")
    }

    public func update(_ bytes: [UInt8]) { bytes.withUnsafeBytes { update($0) } }

    /// The digest of everything fed since `reset`, as lower-case hex; the hasher is reset after.
    public func finalizeHex() -> String {
        var out = finalize()
        return withUnsafeBytes(of: &out) { Hex.lowercase($0) }
    }

    /// Whether the digest of everything fed since `reset` is `hex` (lower-case, as `finalizeHex`
    /// writes it), compared byte by byte without building a string; the hasher is reset after.
    public func finalizeMatches(hex: String) -> Bool {
        var out = finalize()
        return withUnsafeBytes(of: &out) { Hex.isLowercase(of: $0, hex) }
    }

    /// The 32 digest bytes; the hasher is reset after.
    public func finalize() -> (UInt64, UInt64, UInt64, UInt64) {
        var out = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        var length: UInt32 = 0
        withUnsafeMutableBytes(of: &out) { buffer in
            precondition(
                EVP_DigestFinal_ex(context, buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), &length) == 1
                    && length == UInt32(SM3.digestLength), "SM3 final failed")
        }
        reset()
        return out
    }
}

/// Lower-case hex without a format string per byte.
public enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    public static func lowercase(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            for (i, byte) in bytes.enumerated() {
                out[2 * i] = digits[Int(byte >> 4)]
                out[2 * i + 1] = digits[Int(byte & 0x0f)]
            }
            return bytes.count * 2
        }
    }

    /// Whether `hex` is exactly `lowercase(bytes)`.
    public static func isLowercase(of bytes: UnsafeRawBufferPointer, _ hex: String) -> Bool {
        var hex = hex
        return hex.withUTF8 { isLowercase(of: bytes, UnsafeRawBufferPointer($0)) }
    }

    /// Whether the UTF-8 `text` is exactly `lowercase(bytes)`.
    public static func isLowercase(of bytes: UnsafeRawBufferPointer, _ text: UnsafeRawBufferPointer) -> Bool {
        guard text.count == bytes.count * 2 else { return false }
        for (i, byte) in bytes.enumerated() where text[2 * i] != digits[Int(byte >> 4)] || text[2 * i + 1] != digits[Int(byte & 0x0f)] {
            return false
        }
        return true
    }
}
