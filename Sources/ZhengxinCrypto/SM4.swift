import COpenSSL
import Foundation

/// SM4 block cipher (GB/T 32907-2016) through OpenSSL's EVP interface.
///
/// OpenSSL 3.0 on Debian offers SM4 in ECB/CBC/CFB/OFB/CTR but not GCM, so authenticated
/// encryption is SM4-CBC with HMAC-SM3 over IV and ciphertext (encrypt-then-MAC), see `seal`.
public enum SM4 {
    public static let keyLength = 16
    public static let blockLength = 16

    /// One raw block in ECB mode, no padding: the form of the standard's test vector. Not for data.
    public static func encryptBlock(_ block: Data, key: Data) throws -> Data {
        guard block.count == blockLength else { throw CryptoError("SM4 block", reason: "block must be 16 bytes") }
        return try run(EVP_sm4_ecb(), encrypt: true, key: key, iv: nil, input: block, padding: false)
    }

    public static func decryptBlock(_ block: Data, key: Data) throws -> Data {
        guard block.count == blockLength else { throw CryptoError("SM4 block", reason: "block must be 16 bytes") }
        return try run(EVP_sm4_ecb(), encrypt: false, key: key, iv: nil, input: block, padding: false)
    }

    /// CBC with PKCS#7 padding.
    public static func encryptCBC(_ plaintext: Data, key: Data, iv: Data) throws -> Data {
        try run(EVP_sm4_cbc(), encrypt: true, key: key, iv: iv, input: plaintext, padding: true)
    }

    public static func decryptCBC(_ ciphertext: Data, key: Data, iv: Data) throws -> Data {
        try run(EVP_sm4_cbc(), encrypt: false, key: key, iv: iv, input: ciphertext, padding: true)
    }

    // MARK: authenticated encryption (GB/T 39786-2021: confidentiality and integrity of stored data)

    static let sealVersion: UInt8 = 1
    static let tagLength = 32

    /// version(1) ‖ IV(16) ‖ SM4-CBC ciphertext ‖ HMAC-SM3 tag(32) over everything before it.
    /// Encryption and MAC keys are derived from `key` so one configured key serves both without reuse.
    public static func seal(_ plaintext: Data, key: Data) throws -> Data {
        try seal(plaintext, with: SealingKey(key))
    }

    /// Checks the tag before decrypting anything, so a forged ciphertext never reaches the padding check.
    public static func open(_ sealed: Data, key: Data) throws -> Data {
        try open(sealed, with: SealingKey(key))
    }

    /// The same seal with the sub-keys derived once, for callers that seal many small values.
    public static func seal(_ plaintext: Data, with keys: SealingKey) throws -> Data {
        let iv = try secureRandomBytes(blockLength)
        var out = Data([sealVersion])
        out.append(iv)
        out.append(try encryptCBC(plaintext, key: keys.encryption, iv: iv))
        out.append(HMACSM3.authenticationCode(for: out, key: keys.mac))
        return out
    }

    public static func open(_ sealed: Data, with keys: SealingKey) throws -> Data {
        let bytes = Data(sealed)
        guard bytes.count >= 1 + blockLength + blockLength + tagLength, bytes.first == sealVersion else {
            throw CryptoError("SM4 open", reason: "not a sealed value")
        }
        let body = bytes.prefix(bytes.count - tagLength)
        let tag = bytes.suffix(tagLength)
        guard HMACSM3.isValid(Data(tag), for: Data(body), key: keys.mac) else {
            throw CryptoError("SM4 open", reason: "authentication failed")
        }
        let iv = bytes.subdata(in: 1..<(1 + blockLength))
        let ciphertext = bytes.subdata(in: (1 + blockLength)..<(bytes.count - tagLength))
        return try decryptCBC(ciphertext, key: keys.encryption, iv: iv)
    }

    /// The encryption and MAC sub-keys of one configured SM4 key.
    public struct SealingKey: Sendable {
        let encryption: Data
        let mac: Data

        public init(_ key: Data) throws {
            guard key.count == keyLength else { throw CryptoError("SM4 key", reason: "key must be 16 bytes") }
            encryption = Data(HMACSM3.authenticationCode(for: Data("zhengxin/sm4-cbc/enc".utf8), key: key).prefix(keyLength))
            mac = HMACSM3.authenticationCode(for: Data("zhengxin/sm4-cbc/mac".utf8), key: key)
        }
    }

    private static func run(_ cipher: OpaquePointer?, encrypt: Bool, key: Data, iv: Data?, input: Data, padding: Bool) throws -> Data {
        guard key.count == keyLength else { throw CryptoError("SM4 key", reason: "key must be 16 bytes") }
        if let iv, iv.count != blockLength { throw CryptoError("SM4 IV", reason: "IV must be 16 bytes") }
        guard let cipher else { throw CryptoError("SM4", reason: "SM4 unavailable in libcrypto") }
        guard let ctx = EVP_CIPHER_CTX_new() else { throw CryptoError("EVP_CIPHER_CTX_new") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        let keyBytes = [UInt8](key)
        let ivBytes = iv.map { [UInt8]($0) }
        let initResult =
            ivBytes.map { EVP_CipherInit_ex(ctx, cipher, nil, keyBytes, $0, encrypt ? 1 : 0) }
            ?? EVP_CipherInit_ex(ctx, cipher, nil, keyBytes, nil, encrypt ? 1 : 0)
        try check(initResult, "EVP_CipherInit_ex")
        try check(EVP_CIPHER_CTX_set_padding(ctx, padding ? 1 : 0), "EVP_CIPHER_CTX_set_padding")
        var out = [UInt8](repeating: 0, count: input.count + blockLength)
        var written: Int32 = 0
        let inputBytes = [UInt8](input)
        try check(EVP_CipherUpdate(ctx, &out, &written, inputBytes, Int32(inputBytes.count)), "EVP_CipherUpdate")
        var total = Int(written)
        var final: Int32 = 0
        try out.withUnsafeMutableBufferPointer { buffer in
            try check(EVP_CipherFinal_ex(ctx, buffer.baseAddress! + total, &final), encrypt ? "SM4 encrypt" : "SM4 decrypt")
        }
        total += Int(final)
        return Data(out.prefix(total))
    }
}
