import COpenSSL
import Foundation

/// SM3 hash (GB/T 32905-2016), the digest GB/T 39786-2021 expects for integrity protection.
public enum SM3 {
    public static let digestLength = 32

    public static func hash(_ data: Data) -> Data {
        // EVP_Digest with a built-in algorithm fails only when memory runs out.
        var out = [UInt8](repeating: 0, count: digestLength)
        var length: UInt32 = 0
        let ok = data.withUnsafeBytes { buffer in
            EVP_Digest(buffer.baseAddress, buffer.count, &out, &length, EVP_sm3(), nil)
        }
        precondition(ok == 1 && length == UInt32(digestLength), "SM3 unavailable in libcrypto: \(CryptoError.openSSLReason())")
        return Data(out)
    }

    public static func hash(_ text: String) -> Data { hash(Data(text.utf8)) }

    public static func hex(_ data: Data) -> String { hash(data).hexString }

    public static func hex(_ text: String) -> String { hash(Data(text.utf8)).hexString }
}

/// HMAC-SM3 (GB/T 15852.2 construction with SM3), used to authenticate SM4-CBC ciphertext.
public enum HMACSM3 {
    public static func authenticationCode(for data: Data, key: Data) -> Data {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { k in
            data.withUnsafeBytes { d in
                HMAC(EVP_sm3(), k.baseAddress, Int32(k.count), d.baseAddress?.assumingMemoryBound(to: UInt8.self), d.count, &out, &length)
            }
        }
        precondition(result != nil, "HMAC-SM3 unavailable in libcrypto: \(CryptoError.openSSLReason())")
        return Data(out.prefix(Int(length)))
    }

    /// Compares in time independent of where the first difference lies.
    public static func isValid(_ code: Data, for data: Data, key: Data) -> Bool {
        let expected = authenticationCode(for: data, key: key)
        guard expected.count == code.count else { return false }
        return expected.withUnsafeBytes { a in
            code.withUnsafeBytes { b in CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) == 0 }
        }
    }
}
