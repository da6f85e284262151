import Fluent
import Foundation

/// One agency's SM2 key pair. The private key never rests in plaintext: it is stored SM4-sealed
/// under the master key (GB/T 39786-2021 8.5: confidentiality of key material at rest).
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

struct CreateAgencyKeysAndDecisionSignatures: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(AgencyKeyModel.schema)
            .id()
            .field("organisation_id", .uuid, .required)
            .field("public_key_pem", .sql(unsafeRaw: "TEXT"), .required)
            .field("private_key_sealed", .sql(unsafeRaw: "TEXT"), .required)
            .field("created_at", .int64, .required)
            .unique(on: "organisation_id")
            .create()
        try await database.schema(DecisionSignatureModel.schema)
            .id()
            .field("project_id", .uuid, .required)
            .field("organisation_id", .uuid, .required)
            .field("action", .string, .required)
            .field("audit_seq", .int64, .required)
            .field("signed_at", .int64, .required)
            .field("document", .sql(unsafeRaw: "TEXT"), .required)
            .field("signature", .sql(unsafeRaw: "TEXT"), .required)
            .field("public_key_pem", .sql(unsafeRaw: "TEXT"), .required)
            .unique(on: "audit_seq")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(DecisionSignatureModel.schema).delete()
        try await database.schema(AgencyKeyModel.schema).delete()
    }
}
