import Fluent
import SQLKit

/// The portfolio report's figures kept as they change: one row per (unit, stage, plan
/// year, tier, 涉密) with the number of projects and the sums of their amounts, kept by triggers on
/// `projects` in the same transaction as every insert, delete and update of those columns, whoever
/// writes (an action, a declaration, zhengxin-bench, a second server). The report reads ~7,000 tallies
/// instead of grouping 100,000 projects on every write that moves the audit chain head (SQLite:
/// 20 ms of CPU per uncached report, most of it the GROUP BY). Rows whose count fell to 0 stay and
/// are skipped by the report. `ProjectTallies.drift` compares them with a GROUP BY over the projects.
struct AddProjectTallies: AsyncMigration {
    static let key = "unit_id, stage, plan_year, tier, classified"
    /// Only these columns move a tally; an UPDATE that sets none of them fires nothing (an action
    /// sets only the columns that changed, ProjectRow.changed).
    static let watched = "unit_id, stage, plan_year, tier, classified, total_investment_fen, approved_fen, planned_fen, disbursed_fen"

    func prepare(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        let postgres = sql.dialect.name == "postgresql"
        let (id, text, int, bool) = postgres ? ("UUID", "TEXT", "BIGINT", "BOOLEAN") : ("UUID", "TEXT", "INTEGER", "INTEGER")
        try await sql.raw(
            """
            CREATE TABLE project_tallies (unit_id \(unsafeRaw: id) NOT NULL, stage \(unsafeRaw: text) NOT NULL,
              plan_year \(unsafeRaw: int) NOT NULL, tier \(unsafeRaw: int) NOT NULL, classified \(unsafeRaw: bool) NOT NULL,
              projects \(unsafeRaw: int) NOT NULL, requested \(unsafeRaw: int) NOT NULL, approved \(unsafeRaw: int) NOT NULL,
              planned \(unsafeRaw: int) NOT NULL, disbursed \(unsafeRaw: int) NOT NULL,
              PRIMARY KEY (\(unsafeRaw: Self.key)))
            """
        ).run()
        try await Self.createTriggers(on: sql, classifiedMoney: false)
        try await sql.raw(
            """
            INSERT INTO project_tallies (\(unsafeRaw: Self.key), projects, requested, approved, planned, disbursed)
            \(unsafeRaw: ProjectTallies.grouped)
            """
        ).run()
        MigrationLog.moved(self, "project_tallies", try await MigrationLog.count("project_tallies", on: database), on: database)
    }

    func revert(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        try await Self.dropTriggers(on: sql)
        try await sql.raw("DROP TABLE project_tallies").run()
    }

    /// The triggers that keep the tallies. `classifiedMoney`: whether a 涉密 row's amounts are summed
    /// (as first made); ClearClassifiedMoney makes them count 涉密 rows without money, whatever their
    /// columns hold, so no tally can carry a 涉密 amount in the clear.
    static func createTriggers(on sql: any SQLDatabase, classifiedMoney: Bool) async throws {
        func money(_ row: String, _ amount: String) -> String {
            classifiedMoney ? amount : "(CASE WHEN \(row).classified THEN 0 ELSE \(amount) END)"
        }
        // A group's sum may not pass Int64 (TallySumLimit): PostgreSQL's BIGINT addition refuses it by
        // itself; SQLite's would turn the sum into an inexact REAL, so its trigger raises instead.
        let postgres = sql.dialect.name == "postgresql"
        func sum(_ column: String) -> String {
            let (kept, joining) = ("project_tallies.\(column)", "excluded.\(column)")
            return postgres
                ? "\(kept) + \(joining)"
                : "CASE WHEN \(kept) > \(Int64.max) - \(joining) THEN RAISE(ABORT, '\(TallySumLimit.marker)') ELSE \(kept) + \(joining) END"
        }
        // A row leaving its tally and a row joining one, written once for both databases.
        let leave = { (row: String) in
            """
            UPDATE project_tallies SET projects = projects - 1, requested = requested - \(money(row, "\(row).total_investment_fen")),
              approved = approved - \(money(row, "COALESCE(\(row).approved_fen, 0)")), planned = planned - \(money(row, "\(row).planned_fen")),
              disbursed = disbursed - \(money(row, "\(row).disbursed_fen"))
            WHERE unit_id = \(row).unit_id AND stage = \(row).stage AND plan_year = \(row).plan_year AND tier = \(row).tier
              AND classified = \(row).classified;
            """
        }
        let join = { (row: String) in
            """
            INSERT INTO project_tallies (\(Self.key), projects, requested, approved, planned, disbursed)
            VALUES (\(row).unit_id, \(row).stage, \(row).plan_year, \(row).tier, \(row).classified, 1, \(money(row, "\(row).total_investment_fen")),
              \(money(row, "COALESCE(\(row).approved_fen, 0)")), \(money(row, "\(row).planned_fen")), \(money(row, "\(row).disbursed_fen")))
            ON CONFLICT (\(Self.key)) DO UPDATE SET projects = project_tallies.projects + 1,
              requested = \(sum("requested")), approved = \(sum("approved")), planned = \(sum("planned")), disbursed = \(sum("disbursed"));
            """
        }
        try await TallyTriggers(tally: "project_tallies", table: "projects", watched: watched, leave: leave, join: join).create(on: sql)
    }

    static func dropTriggers(on sql: any SQLDatabase) async throws {
        try await TallyTriggers.drop("project_tallies", on: "projects", sql)
    }
}

/// Reading the tallies, and checking them against the projects.
enum ProjectTallies {
    /// The tallies as a GROUP BY over the projects makes them (the migration's first fill, and the
    /// check): 涉密 rows counted without money, as the triggers count them (ClearClassifiedMoney).
    static let grouped = """
        SELECT unit_id, stage, plan_year, tier, classified, COUNT(*),
          CAST(SUM(CASE WHEN classified THEN 0 ELSE total_investment_fen END) AS BIGINT),
          CAST(SUM(CASE WHEN classified THEN 0 ELSE COALESCE(approved_fen, 0) END) AS BIGINT),
          CAST(SUM(CASE WHEN classified THEN 0 ELSE planned_fen END) AS BIGINT),
          CAST(SUM(CASE WHEN classified THEN 0 ELSE disbursed_fen END) AS BIGINT)
        FROM projects GROUP BY unit_id, stage, plan_year, tier, classified
        """

    /// Tallies that differ from the projects' GROUP BY, either way (empty when they agree).
    static func drift(on db: any Database) async throws -> [PlainRows.Row] {
        let kept =
            "SELECT \(AddProjectTallies.key), projects, requested, approved, planned, disbursed FROM project_tallies WHERE projects <> 0"
        let query = SQLQueryString("SELECT * FROM (\(kept) EXCEPT \(grouped)) a UNION ALL SELECT * FROM (\(grouped) EXCEPT \(kept)) b")
        return try await PlainRows.all(query, on: db)
    }
}
