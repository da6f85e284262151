import Fluent
import Foundation

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
