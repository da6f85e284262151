import Fluent
import Foundation
import Vapor
import ZhengxinCore

/// One registered agency signing key as exported: public key and fingerprint, never the private key.
struct SigningKeyEntry: Codable, Sendable, Equatable {
    var fingerprint: String
    var organisationId: UUID
    var organisationName: String
    var organisationType: String
    var algorithm: String
    /// SubjectPublicKeyInfo PEM.
    var publicKey: String
    /// Seconds since the epoch; the key verifies decisions signed within [validFrom, validUntil].
    var validFrom: Int64
    /// Nil while the key is current.
    var validUntil: Int64?

    init(_ key: SigningKeyModel, organisation: OrganisationModel?) {
        fingerprint = key.fingerprint
        organisationId = key.organisationId
        organisationName = organisation?.name ?? ""
        organisationType = organisation?.type ?? ""
        algorithm = "SM2"
        publicKey = key.publicKeyPEM
        validFrom = key.validFrom
        validUntil = key.validUntil
    }

    enum CodingKeys: String, CodingKey {
        case fingerprint, organisationId, organisationName, organisationType, algorithm, publicKey, validFrom, validUntil
    }

    /// `validUntil` is written as null while current, so a pinned file says so rather than leaving it out.
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(fingerprint, forKey: .fingerprint)
        try c.encode(organisationId, forKey: .organisationId)
        try c.encode(organisationName, forKey: .organisationName)
        try c.encode(organisationType, forKey: .organisationType)
        try c.encode(algorithm, forKey: .algorithm)
        try c.encode(publicKey, forKey: .publicKey)
        try c.encode(validFrom, forKey: .validFrom)
        try c.encode(validUntil, forKey: .validUntil)
    }

    func covers(_ signedAt: Int64) -> Bool { signedAt >= validFrom && validUntil.map { signedAt <= $0 } ?? true }

    var validityText: String { "\(SigningTime.text(validFrom)) 至 \(validUntil.map(SigningTime.text) ?? "今(现行密钥)")" }
}

/// The registry as a whole: what `GET /api/v1/signing-keys` answers and `zhengxin export-signing-keys`
/// writes, and what `zhengxin verify-decision --keys` reads back as the pinned copy.
struct SigningKeyRegistry: Codable, Sendable {
    static let formatName = "zhengxin-signing-keys/1"

    var format: String
    var exportedAt: Int64
    var keys: [SigningKeyEntry]

    func entry(_ fingerprint: String) -> SigningKeyEntry? {
        let wanted = fingerprint.lowercased()
        return keys.first { $0.fingerprint == wanted }
    }

    /// Every key ever registered, oldest first, with its agency's name.
    static func load(on db: Database, at now: Instant) async throws -> SigningKeyRegistry {
        // Oldest first; of keys from one second (a rotation straight after the first key), the retired one first.
        let keys = try await SigningKeyModel.query(on: db).all()
            .sorted { ($0.validFrom, $0.validUntil ?? .max, $0.fingerprint) < ($1.validFrom, $1.validUntil ?? .max, $1.fingerprint) }
        let ids = Array(Set(keys.map(\.organisationId)))
        var organisations: [UUID: OrganisationModel] = [:]
        if !ids.isEmpty {
            for org in try await OrganisationModel.query(on: db).filter(\.$id ~~ ids).all() { organisations[try org.requireID()] = org }
        }
        return SigningKeyRegistry(
            format: formatName, exportedAt: now.secondsSinceEpoch,
            keys: keys.map { SigningKeyEntry($0, organisation: organisations[$0.organisationId]) })
    }

    /// The file an auditor pins: sorted keys, indented, so two exports compare line by line.
    func fileData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    struct Unreadable: Error, CustomStringConvertible { var description: String }

    /// A pinned copy. Each entry's fingerprint must be its own key's: an entry edited to pair a known
    /// fingerprint with another key would otherwise lend that key the agency's name.
    static func read(_ data: Data) throws -> SigningKeyRegistry {
        guard let registry = try? JSONDecoder().decode(SigningKeyRegistry.self, from: data) else {
            throw Unreadable(description: "签名密钥登记册文件格式有误(应为 export-signing-keys 或 GET /api/v1/signing-keys 的输出)")
        }
        guard registry.format == formatName else { throw Unreadable(description: "签名密钥登记册文件格式版本不符: \(registry.format)") }
        for key in registry.keys {
            guard let actual = try? SigningKeyFingerprint.of(pem: key.publicKey), actual == key.fingerprint.lowercased() else {
                throw Unreadable(description: "签名密钥登记册文件已损坏或被改动: 指纹 \(key.fingerprint) 与其公钥不符")
            }
        }
        return registry
    }
}

extension SigningKeyRegistry: Content {}
extension SigningKeyEntry: Content {}
