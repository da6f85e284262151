import Fluent
import SQLKit

/// SQLite only: the project row's `record` (the whole record as JSON, ~5 KB, most of it in overflow
/// pages) becomes the LAST column. The list columns added later (tier, the money sums, version,
/// updated_at, the review day) sat after it, and SQLite reaches a column only by walking the payload
/// before it: every list row and every 涉密 candidate key read the record's overflow chain from disk
/// (100,000 projects: a page of 50 and ~300 candidate keys, over 600 page reads per list request).
/// PostgreSQL keeps large values out of line (TOAST), so column order costs it nothing.
struct MoveProjectRecordLast: AsyncMigration {
    func prepare(on database: Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        try await sql.raw("ALTER TABLE projects ADD COLUMN record_last TEXT NOT NULL DEFAULT ''").run()
        try await sql.raw("UPDATE projects SET record_last = record").run()
        try await sql.raw("ALTER TABLE projects DROP COLUMN record").run()
        try await sql.raw("ALTER TABLE projects RENAME COLUMN record_last TO record").run()
        MigrationLog.moved(self, "projects.record(移至末列)", try await MigrationLog.count("projects", on: database), on: database)
    }

    /// Column order has no meaning to the schema; nothing to undo.
    func revert(on database: Database) async throws {}
}
