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
        // Unless the projects of a group really sum past Int64: then SQLite's SUM refuses, and the
        // tallies stay as they are (audit-verify names them) rather than the server not starting.
        do {
            _ = try await PlainRows.all(SQLQueryString(stringLiteral: ProjectTallies.grouped), on: database)
        } catch  where TallySumLimit.sqliteSumOverflowed(error) {
            database.logger.warning("project_tallies: 有分组的项目金额合计超出64位整数范围,汇总表未重算")
            return
        }
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
