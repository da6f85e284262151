import Fluent
import Foundation

/// An agency signing key in the registry: the SM2 key pair, its fingerprint, the agency it belongs
/// to and when it was valid. A rotated key is kept, retired with `validUntil`, so the decisions it
/// signed still verify; at most one key per agency is current (`validUntil` nil), which a partial
/// unique index holds even against two first decisions racing to create one. The private key never
/// rests in plaintext: it is stored SM4-sealed under the master key (GB/T 39786-2021 8.5).
final class SigningKeyModel: Model, @unchecked Sendable {
    static let schema = "signing_keys"

    @ID(key: .id) var id: UUID?
    /// SM3 of the public key (SigningKeyFingerprint), hex: the key's name in exports and the registry.
    @Field(key: "fingerprint") var fingerprint: String
    @Field(key: "organisation_id") var organisationId: UUID
    @Field(key: "public_key_pem") var publicKeyPEM: String
    /// base64 of SM4.seal(private key PEM).
    @Field(key: "private_key_sealed") var privateKeySealed: String
    /// Seconds since the epoch; a decision verifies under this key only if signed within [validFrom, validUntil].
    @Field(key: "valid_from") var validFrom: Int64
    @OptionalField(key: "valid_until") var validUntil: Int64?

    init() {}
}

/// The first schema's one key per agency, without validity. `CreateSigningKeyRegistry` moves its
/// rows into `signing_keys` and drops the table; only that migration reads it.
final class AgencyKeyModel: Model, @unchecked Sendable {
    static let schema = "agency_keys"

    @ID(key: .id) var id: UUID?
    @Field(key: "organisation_id") var organisationId: UUID
    @Field(key: "public_key_pem") var publicKeyPEM: String
    /// base64 of SM4.seal(private key PEM).
    @Field(key: "private_key_sealed") var privateKeySealed: String
    @Field(key: "created_at") var createdAt: Int64

    init() {}
}

/// A decision as signed: the exact canonical bytes, the SM2 signature and the key that made it,
/// so anyone can verify it later without the server (non-repudiation, GB/T 39786-2021 8.4).
final class DecisionSignatureModel: Model, @unchecked Sendable {
    static let schema = "decision_signatures"

    @ID(key: .id) var id: UUID?
    @Field(key: "project_id") var projectId: UUID
    @Field(key: "organisation_id") var organisationId: UUID
    @Field(key: "action") var action: String
    @Field(key: "audit_seq") var auditSeq: Int64
    @Field(key: "signed_at") var signedAt: Int64
    /// Canonical JSON (sorted keys), exactly the bytes signed.
    @Field(key: "document") var document: String
    /// base64 of the DER SM2 signature.
    @Field(key: "signature") var signature: String
    @Field(key: "public_key_pem") var publicKeyPEM: String

    init() {}
}
