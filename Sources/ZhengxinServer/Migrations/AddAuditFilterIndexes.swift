import Fluent
import SQLKit
import Vapor
import ZhengxinCore

/// The audit record's filters in the order the administrator reads them (newest first), so a
/// filtered page and its count read an index, not the ~2,000,000 entries.
struct AddAuditFilterIndexes: AsyncMigration {
    static let indexes = [
        ("audit_entries_actor_seq", "audit_entries (actor_user_id, seq)"), ("audit_entries_action_seq", "audit_entries (action, seq)"),
    ]

    func prepare(on database: Database) async throws { try await SQLIndexes.create(Self.indexes, on: database) }

    func revert(on database: Database) async throws { try await SQLIndexes.drop(Self.indexes, on: database) }
}
