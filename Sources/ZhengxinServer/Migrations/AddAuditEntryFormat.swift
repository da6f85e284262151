import Fluent
import SQLKit

/// The columns of format 2: rows already stored are format 1 with no state, as they were hashed.
struct AddAuditEntryFormat: AsyncMigration {
    func prepare(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        // One column per ALTER TABLE: SQLite takes no batch.
        try await sql.raw("ALTER TABLE audit_entries ADD COLUMN format BIGINT NOT NULL DEFAULT 1").run()
        try await sql.raw("ALTER TABLE audit_entries ADD COLUMN state TEXT NOT NULL DEFAULT ''").run()
    }

    /// Dropping the columns would break every format 2 entry's hash, so only a database that has
    /// none yet goes back.
    func revert(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        let bound = try await PlainRows.all(SQLQueryString("SELECT COUNT(*) FROM audit_entries WHERE format <> 1"), on: database)
        guard try bound.first?.int64(0) == 0 else {
            throw AuditFormatRevertRefused()
        }
        try await sql.raw("ALTER TABLE audit_entries DROP COLUMN state").run()
        try await sql.raw("ALTER TABLE audit_entries DROP COLUMN format").run()
    }
}
