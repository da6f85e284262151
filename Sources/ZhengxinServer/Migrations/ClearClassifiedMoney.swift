import Fluent
import SQLKit
import ZhengxinCore

/// A 涉密 project's amounts leave the clear columns: its whole record is SM4-sealed, yet
/// `total_investment_fen`, `approved_fen`, `planned_fen` and `disbursed_fen` (and the report's tallies
/// summed from them) held its investment, budget, fund plans and payments for anyone reading the
/// database. They now hold 0 (NULL for the budget) for every 涉密 row, as ProjectRow writes them
/// from now on, and the tallies count 涉密 projects without money (the reports left their money out
/// of every figure already, so no report figure changes). The amounts stay in the sealed record.
struct ClearClassifiedMoney: AsyncMigration {
    func prepare(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        try await AddProjectTallies.dropTriggers(on: sql)
        try await AddProjectTallies.createTriggers(on: sql, classifiedMoney: false)
        let classified = try await MigrationLog.count(
            "projects", where: "classified = \(sql.dialect.name == "postgresql" ? "TRUE" : "1")", on: database)
        try await sql.raw(
            """
            UPDATE projects SET total_investment_fen = 0, approved_fen = NULL, planned_fen = 0, disbursed_fen = 0
            WHERE classified = \(bind: true)
            """
        ).run()
        // Tallies made before held the 涉密 sums; made again from the rows, as the triggers now keep them.
        try await sql.raw("DELETE FROM project_tallies").run()
        try await sql.raw(
            """
            INSERT INTO project_tallies (\(unsafeRaw: AddProjectTallies.key), projects, requested, approved, planned, disbursed)
            \(unsafeRaw: ProjectTallies.grouped)
            """
        ).run()
        MigrationLog.moved(self, "projects 涉密金额列(清零)", classified, on: database)
        MigrationLog.moved(self, "project_tallies(重算)", try await MigrationLog.count("project_tallies", on: database), on: database)
    }

    /// The amounts come back from the sealed records (the master key must be installed, as for the
    /// server itself), and the tallies sum them again.
    func revert(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        try await AddProjectTallies.dropTriggers(on: sql)
        try await AddProjectTallies.createTriggers(on: sql, classifiedMoney: true)
        let rows = try await PlainRows.all(SQLQueryString("SELECT id, record FROM projects WHERE classified = \(bind: true)"), on: database)
        for row in rows {
            let record = try ProjectRecordStorage.decode(try row.text(1))
            try await sql.raw(
                """
                UPDATE projects SET total_investment_fen = \(bind: record.totalInvestment.value), approved_fen = \(bind: record.approvedBudget?.value),
                  planned_fen = \(bind: record.totalFundPlans.value), disbursed_fen = \(bind: record.totalDisbursed.value)
                WHERE id = \(bind: try row.uuid(0))
                """
            ).run()
        }
        try await sql.raw("DELETE FROM project_tallies").run()
        try await sql.raw(
            """
            INSERT INTO project_tallies (\(unsafeRaw: AddProjectTallies.key), projects, requested, approved, planned, disbursed)
            SELECT unit_id, stage, plan_year, tier, classified, COUNT(*), CAST(SUM(total_investment_fen) AS BIGINT),
              CAST(SUM(COALESCE(approved_fen, 0)) AS BIGINT), CAST(SUM(planned_fen) AS BIGINT), CAST(SUM(disbursed_fen) AS BIGINT)
            FROM projects GROUP BY unit_id, stage, plan_year, tier, classified
            """
        ).run()
    }
}
