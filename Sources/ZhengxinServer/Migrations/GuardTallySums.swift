import Fluent
import SQLKit

/// SQLite: the report tallies' triggers made again, as AddProjectTallies now writes them, so that a
/// group's sum past Int64 raises (TallySumLimit) instead of turning into an inexact REAL, and the
/// tallies made again from the projects if one already did. PostgreSQL's BIGINT addition refused it
/// already; its triggers stay.
struct GuardTallySums: AsyncMigration {
    func prepare(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "sqlite" else { return }
        try await AddProjectTallies.dropTriggers(on: sql)
        try await AddProjectTallies.createTriggers(on: sql, classifiedMoney: false)
        // A sum that passed Int64 before is a REAL now: the tallies are made again from the projects.
        let money = ["requested", "approved", "planned", "disbursed"].map { "typeof(\($0)) <> 'integer'" }.joined(separator: " OR ")
        guard try await MigrationLog.count("project_tallies", where: money, on: database) > 0 else { return }
        try await sql.raw("DELETE FROM project_tallies").run()
        try await sql.raw(
            """
            INSERT INTO project_tallies (\(unsafeRaw: AddProjectTallies.key), projects, requested, approved, planned, disbursed)
            \(unsafeRaw: ProjectTallies.grouped)
            """
        ).run()
        MigrationLog.moved(self, "project_tallies(重算)", try await MigrationLog.count("project_tallies", on: database), on: database)
    }

    /// Nothing to undo: the triggers before this one counted the same rows, without the guard.
    func revert(on database: Database) async throws {}
}
