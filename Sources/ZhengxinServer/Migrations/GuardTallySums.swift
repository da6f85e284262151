import Fluent
import SQLKit

/// SQLite: the report tallies' triggers made again, as AddProjectTallies now writes them, so that a
/// group's sum past Int64 raises (TallySumLimit) instead of turning into an inexact REAL. PostgreSQL's
/// BIGINT addition refused it already; its triggers stay.
struct GuardTallySums: AsyncMigration {
    func prepare(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "sqlite" else { return }
        try await AddProjectTallies.dropTriggers(on: sql)
        try await AddProjectTallies.createTriggers(on: sql, classifiedMoney: false)
    }

    /// Nothing to undo: the triggers before this one counted the same rows, without the guard.
    func revert(on database: Database) async throws {}
}
