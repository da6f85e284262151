import Foundation

/// An audit entry as the chain walk reads it: a plain value, not the Fluent model, whose property
/// wrappers cost a dictionary and a generic-metadata lookup per field read and written (most of
/// `zhengxin audit-verify`'s time over 440,000 entries). Exactly the fields AuditRecorder.digest
/// hashes, plus the entry's own stored hash; the row id, the format and the state are hashed from
/// format 2 on (AuditEntryFormat).
struct AuditChainEntry: Sendable, Equatable {
    var seq: Int64
    var at: Int64
    var actorUserId: UUID?
    var actorName: String
    var organisationId: UUID?
    var organisationType: String
    var roles: String
    var action: String
    var projectId: UUID?
    var result: String
    var summary: String
    var before: String
    var after: String
    var violations: String
    var clientAddress: String
    var prevHash: String
    var hash: String
    var id: UUID?
    var format: Int64 = AuditEntryFormat.original
    var state: String = ""

    /// The columns read, in this order (AuditEntryRows reads them by position).
    static let columns = [
        "seq", "at", "actor_user_id", "actor_name", "organisation_id", "organisation_type", "roles", "action",
        "project_id", "result", "summary", "before", "after", "violations", "client_address", "prev_hash", "hash",
        "id", "format", "state",
    ]
}

extension AuditChainEntry {
    /// The model's fields; its hash may not be set yet (AuditRecorder.chained is computing it).
    init(_ e: AuditEntryModel) {
        self.init(
            seq: e.seq, at: e.at, actorUserId: e.actorUserId, actorName: e.actorName, organisationId: e.organisationId,
            organisationType: e.organisationType, roles: e.roles, action: e.action, projectId: e.projectId, result: e.result,
            summary: e.summary, before: e.before, after: e.after, violations: e.violations, clientAddress: e.clientAddress,
            prevHash: e.prevHash, hash: e.$hash.value ?? "", id: e.id,
            format: e.$format.value ?? AuditEntryFormat.original, state: e.$state.value ?? "")
    }

    /// Whether the entry's content still hashes to its stored hash.
    func holds(using digest: AuditEntryDigest) -> Bool { digest.matches(self, hex: hash) }
}
