import Fluent
import SQLKit
import ZhengxinCore

/// The columns the project list, the role queues and the portfolio reports read instead of
/// decoding each project's record: tier, approved budget, planned and disbursed sums. Rows
/// written before this migration are filled from their records once.
struct AddProjectListColumns: AsyncMigration {
    func prepare(on database: Database) async throws {
        // One column per ALTER TABLE: SQLite takes no batch.
        try await database.schema("projects").field("tier", .int, .required, .sql(.default(1))).update()
        try await database.schema("projects").field("approved_fen", .int64).update()
        try await database.schema("projects").field("planned_fen", .int64, .required, .sql(.default(0))).update()
        try await database.schema("projects").field("disbursed_fen", .int64, .required, .sql(.default(0))).update()
        let book = try await PolicyStore.book(on: database)
        let sql = database as! any SQLDatabase
        // The rows as they stand before AddOverdueMarks: no marks column yet.
        let rows = try await PlainRows.all(
            SQLQueryString("SELECT \(unsafeRaw: ProjectRow.select(marks: false)) FROM projects"), on: database
        )
        .map { try ProjectRow(row: $0) }
        for stored in rows {
            let record = try stored.decoded()
            let at = Instant(secondsSinceEpoch: stored.updatedAt)
            let row = try ProjectRow(record, policy: book.governing(record, today: at.beijingDate), at: at, version: stored.version)
            var update: SQLQueryString = "UPDATE projects SET id = id"
            for change in row.changed(since: stored) { update += ", \(unsafeRaw: change.column) = \(change.value)" }
            try await sql.raw(update + " WHERE id = \(bind: stored.id)").run()
        }
        MigrationLog.moved(self, "projects 列表列(tier、approved_fen、planned_fen、disbursed_fen)", Int64(rows.count), on: database)
        try await sql.raw("CREATE INDEX projects_tier_year ON projects (tier, plan_year)").run()
    }

    func revert(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP INDEX projects_tier_year").run()
        for field in ["tier", "approved_fen", "planned_fen", "disbursed_fen"] {
            try await database.schema("projects").deleteField(.key(.string(field))).update()
        }
    }
}
