import Fluent
import Foundation

/// One line of the system's own audit record (审计记录): append-only, each line hashing the one
/// before it so that an edit or deletion anywhere breaks the chain.
package final class AuditEntryModel: Model, @unchecked Sendable {
    package static let schema = "audit_entries"

    @ID(key: .id) package var id: UUID?
    @Field(key: "seq") package var seq: Int64
    @Field(key: "at") var at: Int64
    @OptionalField(key: "actor_user_id") var actorUserId: UUID?
    @Field(key: "actor_name") var actorName: String
    @OptionalField(key: "organisation_id") var organisationId: UUID?
    @Field(key: "organisation_type") var organisationType: String
    @Field(key: "roles") var roles: String
    @Field(key: "action") var action: String
    @OptionalField(key: "project_id") var projectId: UUID?
    @Field(key: "result") var result: String
    @Field(key: "summary") var summary: String
    @Field(key: "before") var before: String
    @Field(key: "after") var after: String
    @Field(key: "violations") var violations: String
    @Field(key: "client_address") var clientAddress: String
    @Field(key: "prev_hash") var prevHash: String
    @Field(key: "hash") package var hash: String
    /// Which canonical form the hash covers (AuditEntryFormat): 1 for entries written before the
    /// entry id and the project state were hashed, `AuditEntryFormat.current` since.
    @Field(key: "format") var format: Int64
    /// For an accepted entry that wrote a project row: the SM3 of the row it left (ProjectStateDigest),
    /// "" otherwise and in format 1.
    @Field(key: "state") var state: String

    package init() {}
}

extension AuditEntryModel: BulkRow {
    package static let bulkColumns = [
        "id", "seq", "at", "actor_user_id", "actor_name", "organisation_id", "organisation_type", "roles", "action",
        "project_id", "result", "summary", "before", "after", "violations", "client_address", "prev_hash", "hash",
        "format", "state",
    ]
    package var bulkValues: [any Encodable & Sendable] {
        [
            id, seq, at, actorUserId, actorName, organisationId, organisationType, roles, action,
            projectId, result, summary, before, after, violations, clientAddress, prevHash, hash,
            $format.value ?? AuditEntryFormat.original,
            $state.value ?? "",
        ]
    }
}
