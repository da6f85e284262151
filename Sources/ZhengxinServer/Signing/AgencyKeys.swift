import Fluent
import Foundation
import ZhengxinCrypto

/// Each agency's signing key, made on its first signed decision. Called inside the write
/// transaction, so two first decisions cannot race to create two keys for one agency.
enum AgencyKeys {
    static func signingKey(for organisationId: UUID, masterKey: Data, at now: Int64, on db: Database) async throws -> (key: SM2PrivateKey, publicPEM: String) {
        if let stored = try await AgencyKeyModel.query(on: db).filter(\.$organisationId == organisationId).first() {
            guard let sealed = Data(base64Encoded: stored.privateKeySealed) else { throw MasterKeyError("机构签名私钥记录已损坏") }
            let pem = try SM4.open(sealed, key: masterKey)
            return (try SM2PrivateKey(pem: String(decoding: pem, as: UTF8.self)), stored.publicKeyPEM)
        }
        let key = try SM2.generateKey()
        let model = AgencyKeyModel()
        model.id = UUID()
        model.organisationId = organisationId
        model.publicKeyPEM = try key.publicKey.pemRepresentation()
        model.privateKeySealed = try SM4.seal(Data(try key.pemRepresentation().utf8), key: masterKey).base64EncodedString()
        model.createdAt = now
        try await model.create(on: db)
        return (key, model.publicKeyPEM)
    }
}
