import COpenSSL
import Foundation

/// SM2 digital signatures (GB/T 32918.2-2016) with SM3, through OpenSSL's EVP_PKEY interface.
/// A signature covers Z_A (the signer's user id and public key) and the message, so the same
/// bytes verified under another user id fail: the user id is part of who signed.
public enum SM2 {
    /// GB/T 35276-2017 §10: the default distinguishing identifier when the parties agree no other.
    public static let defaultUserId = "1234567812345678"

    public static func generateKey() throws -> SM2PrivateKey {
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, "SM2", nil) else { throw CryptoError("EVP_PKEY_CTX_new_from_name(SM2)") }
        defer { EVP_PKEY_CTX_free(ctx) }
        try check(EVP_PKEY_keygen_init(ctx), "EVP_PKEY_keygen_init")
        var pkey: OpaquePointer?
        try check(EVP_PKEY_generate(ctx, &pkey), "EVP_PKEY_generate")
        guard let pkey else { throw CryptoError("EVP_PKEY_generate") }
        return SM2PrivateKey(owning: pkey)
    }

    /// Signs `message` (DER-encoded SM2 signature, as OpenSSL and most GM tools exchange it).
    public static func sign(_ message: Data, with key: SM2PrivateKey, userId: String = defaultUserId) throws -> Data {
        try withDigestContext(key.handle, userId: userId, signing: true) { md in
            var length = 0
            let bytes = [UInt8](message)
            try check(EVP_DigestSign(md, nil, &length, bytes, bytes.count), "EVP_DigestSign(length)")
            var signature = [UInt8](repeating: 0, count: length)
            try check(EVP_DigestSign(md, &signature, &length, bytes, bytes.count), "EVP_DigestSign")
            return Data(signature.prefix(length))
        }
    }

    /// True only for a valid signature by `key` over exactly `message` under exactly `userId`.
    public static func verify(_ signature: Data, for message: Data, with key: SM2PublicKey, userId: String = defaultUserId) -> Bool {
        let result = try? withDigestContext(key.handle, userId: userId, signing: false) { md -> Bool in
            let bytes = [UInt8](message)
            let sig = [UInt8](signature)
            return EVP_DigestVerify(md, sig, sig.count, bytes, bytes.count) == 1
        }
        _ = CryptoError.openSSLReason()  // a failed verification leaves errors queued; clear them
        return result ?? false
    }

    /// The user id goes to the key context before DigestInit, which computes Z_A from it.
    private static func withDigestContext<T>(
        _ pkey: OpaquePointer, userId: String, signing: Bool,
        _ body: (OpaquePointer) throws -> T
    ) throws -> T {
        guard let pctx = EVP_PKEY_CTX_new_from_pkey(nil, pkey, nil) else { throw CryptoError("EVP_PKEY_CTX_new_from_pkey") }
        defer { EVP_PKEY_CTX_free(pctx) }  // EVP_MD_CTX_set_pkey_ctx does not take ownership
        let id = [UInt8](userId.utf8)
        try check(EVP_PKEY_CTX_set1_id(pctx, id, Int32(id.count)), "EVP_PKEY_CTX_set1_id")
        guard let md = EVP_MD_CTX_new() else { throw CryptoError("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(md) }
        EVP_MD_CTX_set_pkey_ctx(md, pctx)
        if signing {
            try check(EVP_DigestSignInit(md, nil, EVP_sm3(), nil, pkey), "EVP_DigestSignInit")
        } else {
            try check(EVP_DigestVerifyInit(md, nil, EVP_sm3(), nil, pkey), "EVP_DigestVerifyInit")
        }
        return try body(md)
    }

    // MARK: raw signature form (r ‖ s), as the standard's examples and many GM libraries print it

    public static func derSignature(r: Data, s: Data) throws -> Data {
        guard let sig = ECDSA_SIG_new() else { throw CryptoError("ECDSA_SIG_new") }
        defer { ECDSA_SIG_free(sig) }
        let rb = [UInt8](r), sb = [UInt8](s)
        guard let rn = BN_bin2bn(rb, Int32(rb.count), nil), let sn = BN_bin2bn(sb, Int32(sb.count), nil) else {
            throw CryptoError("BN_bin2bn")
        }
        try check(ECDSA_SIG_set0(sig, rn, sn), "ECDSA_SIG_set0")
        var out: UnsafeMutablePointer<UInt8>?
        let length = i2d_ECDSA_SIG(sig, &out)
        guard length > 0, let out else { throw CryptoError("i2d_ECDSA_SIG") }
        defer { CRYPTO_free(out, #fileID, #line) }
        return Data(bytes: out, count: Int(length))
    }

    public static func rawSignature(der: Data) throws -> (r: Data, s: Data) {
        let bytes = [UInt8](der)
        let parsed: OpaquePointer? = bytes.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &cursor, buffer.count)
        }
        guard let sig = parsed else { throw CryptoError("d2i_ECDSA_SIG") }
        defer { ECDSA_SIG_free(sig) }
        return (try bignumBytes(ECDSA_SIG_get0_r(sig), width: 32), try bignumBytes(ECDSA_SIG_get0_s(sig), width: 32))
    }

    static func bignumBytes(_ bn: OpaquePointer?, width: Int32) throws -> Data {
        var out = [UInt8](repeating: 0, count: Int(width))
        guard let bn, BN_bn2binpad(bn, &out, width) == width else { throw CryptoError("BN_bn2binpad") }
        return Data(out)
    }
}
