import Fluent
import SQLKit

/// The agency key registry (`signing_keys`): every key an agency has signed with, with its
/// fingerprint and validity, replacing `agency_keys` (one key per agency, unique, so a key could
/// never be rotated and an export's embedded key was all a verifier had). Each existing key moves
/// over as its agency's current key, valid from its creation; the old table goes, so no second
/// copy of sealed private keys lingers.
struct CreateSigningKeyRegistry: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(SigningKeyModel.schema)
            .id()
            .field("fingerprint", .string, .required)
            .field("organisation_id", .uuid, .required)
            .field("public_key_pem", .sql(unsafeRaw: "TEXT"), .required)
            .field("private_key_sealed", .sql(unsafeRaw: "TEXT"), .required)
            .field("valid_from", .int64, .required)
            .field("valid_until", .int64)
            .unique(on: "fingerprint")
            .create()
        // One current key per agency (both SQLite and PostgreSQL have partial indexes).
        try await (database as! any SQLDatabase)
            .raw("CREATE UNIQUE INDEX signing_keys_current ON signing_keys (organisation_id) WHERE valid_until IS NULL").run()
        let oldKeys = try await AgencyKeyModel.query(on: database).all()
        for old in oldKeys {
            let key = SigningKeyModel()
            key.id = old.id
            key.fingerprint = try SigningKeyFingerprint.of(pem: old.publicKeyPEM)
            key.organisationId = old.organisationId
            key.publicKeyPEM = old.publicKeyPEM
            key.privateKeySealed = old.privateKeySealed
            key.validFrom = old.createdAt
            key.validUntil = nil
            try await key.create(on: database)
        }
        MigrationLog.moved(self, "signing_keys(自 agency_keys)", Int64(oldKeys.count), on: database)
        try await database.schema(AgencyKeyModel.schema).delete()
    }

    /// Back to one key per agency: each agency's current key. Retired keys cannot be kept there,
    /// so decisions they signed no longer verify against the database after a revert.
    func revert(on database: Database) async throws {
        try await database.schema(AgencyKeyModel.schema)
            .id()
            .field("organisation_id", .uuid, .required)
            .field("public_key_pem", .sql(unsafeRaw: "TEXT"), .required)
            .field("private_key_sealed", .sql(unsafeRaw: "TEXT"), .required)
            .field("created_at", .int64, .required)
            .unique(on: "organisation_id")
            .create()
        for key in try await SigningKeyModel.query(on: database).filter(\.$validUntil == nil).all() {
            let old = AgencyKeyModel()
            old.id = key.id
            old.organisationId = key.organisationId
            old.publicKeyPEM = key.publicKeyPEM
            old.privateKeySealed = key.privateKeySealed
            old.createdAt = key.validFrom
            try await old.create(on: database)
        }
        try await database.schema(SigningKeyModel.schema).delete()
    }
}
