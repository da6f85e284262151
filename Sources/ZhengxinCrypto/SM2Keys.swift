import COpenSSL
import Foundation

/// An SM2 key pair held by OpenSSL. Immutable once made, so sharing across tasks is safe.
public final class SM2PrivateKey: @unchecked Sendable {
    let handle: OpaquePointer

    init(owning handle: OpaquePointer) { self.handle = handle }
    deinit { EVP_PKEY_free(handle) }

    /// PKCS#8 PEM, unencrypted: callers that store it encrypt it themselves (SM4 under the master key).
    public func pemRepresentation() throws -> String {
        try SM2PEM.write { bio in PEM_write_bio_PrivateKey(bio, handle, nil, nil, 0, nil, nil) }
    }

    public convenience init(pem: String) throws {
        let pkey = try SM2PEM.read(pem) { bio in PEM_read_bio_PrivateKey(bio, nil, nil, nil) }
        self.init(owning: pkey)
    }

    /// From the 32-byte private scalar, e.g. the GB/T 32918 example key; the public point is derived.
    public convenience init(rawScalar: Data) throws {
        guard rawScalar.count == 32 else { throw CryptoError("SM2 key", reason: "private scalar must be 32 bytes") }
        let scalar = [UInt8](rawScalar)
        guard let priv = BN_bin2bn(scalar, 32, nil) else { throw CryptoError("BN_bin2bn") }
        defer { BN_clear_free(priv) }
        let point = try SM2Curve.publicPoint(for: priv)
        self.init(owning: try SM2Curve.makeKey(selection: ZX_EVP_PKEY_KEYPAIR, priv: priv, pub: point))
    }

    public var publicKey: SM2PublicKey {
        // EVP_PKEY is reference counted; the public view shares the same object.
        EVP_PKEY_up_ref(handle)
        return SM2PublicKey(owning: handle)
    }
}

/// An SM2 public key: what a verifier needs, exported as SubjectPublicKeyInfo PEM.
public final class SM2PublicKey: @unchecked Sendable {
    let handle: OpaquePointer

    init(owning handle: OpaquePointer) { self.handle = handle }
    deinit { EVP_PKEY_free(handle) }

    public func pemRepresentation() throws -> String {
        try SM2PEM.write { bio in PEM_write_bio_PUBKEY(bio, handle) }
    }

    public convenience init(pem: String) throws {
        let pkey = try SM2PEM.read(pem) { bio in PEM_read_bio_PUBKEY(bio, nil, nil, nil) }
        self.init(owning: pkey)
    }

    /// From the uncompressed point 04 ‖ x ‖ y (65 bytes).
    public convenience init(rawPoint: Data) throws {
        guard rawPoint.count == 65, rawPoint.first == 0x04 else { throw CryptoError("SM2 key", reason: "public point must be 04||x||y") }
        self.init(owning: try SM2Curve.makeKey(selection: ZX_EVP_PKEY_PUBLIC_KEY, priv: nil, pub: rawPoint))
    }

    /// The uncompressed point 04 ‖ x ‖ y.
    public func rawPoint() throws -> Data {
        var out = [UInt8](repeating: 0, count: 65)
        var length = 0
        try check(
            EVP_PKEY_get_octet_string_param(handle, OSSL_PKEY_PARAM_PUB_KEY, &out, out.count, &length),
            "EVP_PKEY_get_octet_string_param(pub)")
        return Data(out.prefix(length))
    }
}

enum SM2Curve {
    static func publicPoint(for priv: OpaquePointer) throws -> Data {
        guard let group = EC_GROUP_new_by_curve_name(NID_sm2) else { throw CryptoError("EC_GROUP_new_by_curve_name(sm2)") }
        defer { EC_GROUP_free(group) }
        guard let point = EC_POINT_new(group) else { throw CryptoError("EC_POINT_new") }
        defer { EC_POINT_free(point) }
        try check(EC_POINT_mul(group, point, priv, nil, nil, nil), "EC_POINT_mul")
        var out = [UInt8](repeating: 0, count: 65)
        let length = EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, &out, out.count, nil)
        guard length == 65 else { throw CryptoError("EC_POINT_point2oct") }
        return Data(out)
    }

    static func makeKey(selection: Int32, priv: OpaquePointer?, pub: Data) throws -> OpaquePointer {
        guard let builder = OSSL_PARAM_BLD_new() else { throw CryptoError("OSSL_PARAM_BLD_new") }
        defer { OSSL_PARAM_BLD_free(builder) }
        try check(OSSL_PARAM_BLD_push_utf8_string(builder, zx_param_group_name(), zx_sm2_group(), 0), "push group")
        let pubBytes = [UInt8](pub)
        // The builder keeps the octet-string pointer until to_param copies it, so it must stay valid until then.
        let built: UnsafeMutablePointer<OSSL_PARAM>? = try pubBytes.withUnsafeBufferPointer { buffer in
            try check(OSSL_PARAM_BLD_push_octet_string(builder, zx_param_pub_key(), buffer.baseAddress, buffer.count), "push pub")
            if let priv { try check(OSSL_PARAM_BLD_push_BN(builder, zx_param_priv_key(), priv), "push priv") }
            return OSSL_PARAM_BLD_to_param(builder)
        }
        guard let params = built else { throw CryptoError("OSSL_PARAM_BLD_to_param") }
        defer { OSSL_PARAM_free(params) }
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, "SM2", nil) else { throw CryptoError("EVP_PKEY_CTX_new_from_name(SM2)") }
        defer { EVP_PKEY_CTX_free(ctx) }
        try check(EVP_PKEY_fromdata_init(ctx), "EVP_PKEY_fromdata_init")
        var pkey: OpaquePointer?
        try check(EVP_PKEY_fromdata(ctx, &pkey, selection, params), "EVP_PKEY_fromdata")
        guard let pkey else { throw CryptoError("EVP_PKEY_fromdata") }
        return pkey
    }
}

enum SM2PEM {
    static func write(_ body: (OpaquePointer) -> Int32) throws -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw CryptoError("BIO_new") }
        defer { BIO_free(bio) }
        try check(body(bio), "PEM write")
        var pointer: UnsafeMutablePointer<CChar>?
        let length = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &pointer)  // BIO_get_mem_data is a macro over this
        guard length > 0, let pointer else { throw CryptoError("BIO_get_mem_data") }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    static func read(_ pem: String, _ body: (OpaquePointer) -> OpaquePointer?) throws -> OpaquePointer {
        let bytes = [UInt8](pem.utf8)
        return try bytes.withUnsafeBufferPointer { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { throw CryptoError("BIO_new_mem_buf") }
            defer { BIO_free(bio) }
            guard let pkey = body(bio) else { throw CryptoError("PEM read") }
            guard EVP_PKEY_is_a(pkey, "SM2") == 1 else {
                EVP_PKEY_free(pkey)
                throw CryptoError("PEM read", reason: "not an SM2 key")
            }
            return pkey
        }
    }
}
