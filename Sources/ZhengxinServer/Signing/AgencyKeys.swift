import Fluent
import Foundation
import Vapor
import ZhengxinCore
import ZhengxinCrypto

/// The agencies' signing keys (the registry in `signing_keys`): the current key signs, a rotation
/// retires it with a valid-until and keeps it for the decisions it signed. Called inside the write
/// transaction, so a decision and the key it is signed with commit together.
enum AgencyKeys {
    struct Signer {
        var key: SM2PrivateKey
        var publicPEM: String
        var fingerprint: String
    }

    /// The agency's current key, made on its first signed decision.
    static func signingKey(for organisationId: UUID, masterKey: Data, at now: Int64, on db: Database) async throws -> Signer {
        guard let current = try await current(for: organisationId, on: db) else {
            let made = try await create(for: organisationId, masterKey: masterKey, validFrom: now, on: db)
            return Signer(key: made.key, publicPEM: made.model.publicKeyPEM, fingerprint: made.model.fingerprint)
        }
        // A clock set back before the key's start would sign a decision no verifier accepts.
        guard now >= current.validFrom else { throw clockBehind(current) }
        return Signer(
            key: try privateKey(of: current, masterKey: masterKey), publicPEM: current.publicKeyPEM, fingerprint: current.fingerprint)
    }

    static func current(for organisationId: UUID, on db: Database) async throws -> SigningKeyModel? {
        try await SigningKeyModel.query(on: db).filter(\.$organisationId == organisationId).filter(\.$validUntil == nil).first()
    }

    static func privateKey(of stored: SigningKeyModel, masterKey: Data) throws -> SM2PrivateKey {
        guard let sealed = Data(base64Encoded: stored.privateKeySealed) else { throw MasterKeyError("机构签名私钥记录已损坏") }
        let pem = try SM4.open(sealed, key: masterKey)
        return try SM2PrivateKey(pem: String(decoding: pem, as: UTF8.self))
    }

    /// Retires the current key (valid until `now`) and makes the next, valid from `now`; decisions
    /// signed from here on use the new one. Without a current key, only the new one is made.
    static func rotate(_ organisationId: UUID, masterKey: Data, at now: Int64, on db: Database) async throws -> (
        retired: SigningKeyModel?, current: SigningKeyModel
    ) {
        let retired = try await current(for: organisationId, on: db)
        if let retired {
            guard now >= retired.validFrom else { throw clockBehind(retired) }
            retired.validUntil = now
            try await retired.save(on: db)
        }
        return (retired, try await create(for: organisationId, masterKey: masterKey, validFrom: now, on: db).model)
    }

    private static func create(for organisationId: UUID, masterKey: Data, validFrom: Int64, on db: Database) async throws -> (
        key: SM2PrivateKey, model: SigningKeyModel
    ) {
        let key = try SM2.generateKey()
        let model = SigningKeyModel()
        model.id = UUID()
        model.organisationId = organisationId
        model.publicKeyPEM = try key.publicKey.pemRepresentation()
        model.fingerprint = try SigningKeyFingerprint.of(key.publicKey)
        model.privateKeySealed = try SM4.seal(Data(try key.pemRepresentation().utf8), key: masterKey).base64EncodedString()
        model.validFrom = validFrom
        model.validUntil = nil
        try await model.create(on: db)
        return (key, model)
    }

    private static func clockBehind(_ key: SigningKeyModel) -> APIError {
        APIError(
            status: .internalServerError, code: "SIGNING_CLOCK_BEHIND",
            message: "服务器时间早于本机构当前签名密钥的生效时间(\(SigningTime.text(key.validFrom))),拒绝签署:所签决定将无法验证,请校准时钟")
    }
}

/// A key's fingerprint: SM3 over its DER SubjectPublicKeyInfo, hex. The same for every PEM spelling of
/// one key, and what `openssl pkey -pubin -in key.pem -outform DER | openssl dgst -sm3` prints.
enum SigningKeyFingerprint {
    static func of(pem: String) throws -> String { try of(try SM2PublicKey(pem: pem)) }

    static func of(_ key: SM2PublicKey) throws -> String {
        // OpenSSL writes the PEM; its base64 body is the DER, whatever the input's line breaks were.
        let body = try key.pemRepresentation().split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined()
        guard let der = Data(base64Encoded: body) else { throw MasterKeyError("公钥PEM无法解码") }
        return SM3.hex(der)
    }
}

/// Signing times as people read them: Beijing time, to the second.
enum SigningTime {
    static func text(_ seconds: Int64) -> String {
        let instant = Instant(secondsSinceEpoch: seconds)
        let local = seconds + Instant.beijingOffsetSeconds
        let day = ((local % 86_400) + 86_400) % 86_400
        return "\(instant.beijingDate) "
            + [day / 3600, day / 60 % 60, day % 60].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
    }
}
