import Fluent

/// The administrators' home queues read through these: the proposals waiting on a security
/// administrator, oldest first; a system administrator's own proposals by status and decision
/// time, and by the username an activation code belongs to; the accounts locked now; the
/// new accounts' activation codes by when they lapse.
struct AddAdminQueueIndexes: AsyncMigration {
    static let indexes = [
        ("admin_account_proposals_status", "admin_account_proposals (status, proposed_at, id)"),
        ("admin_account_proposals_proposer", "admin_account_proposals (proposed_by, status, decided_at)"),
        ("admin_account_proposals_username", "admin_account_proposals (username, status)"),
        ("account_security_locked", "account_security (locked_until)"),
        ("account_activations_purpose", "account_activations (purpose, expires_at)"),
    ]

    func prepare(on database: Database) async throws { try await SQLIndexes.create(Self.indexes, on: database) }

    func revert(on database: Database) async throws { try await SQLIndexes.drop(Self.indexes, on: database) }
}
