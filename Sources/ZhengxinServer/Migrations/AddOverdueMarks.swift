import Fluent
import SQLKit
import ZhengxinCore

/// Whether a project is overdue, kept with its row: `projects.overdue_marks` counts its open overdue
/// marks (逾期, reminders with status `overdue` and no `resolved_at`), kept by triggers on `reminders`;
/// and `overdue_tallies` counts the overdue projects per (unit, stage, plan year, tier, 涉密), kept
/// by triggers on `projects`, as `project_tallies` counts them all — both in the transaction of
/// whatever writes the mark (the deadline scan, an action resolving it, zhengxin-bench).
///
/// The list's `overdue=true` matched `id IN (SELECT project_id FROM reminders …)`: its count joined
/// ~90,000 open marks to the projects on every uncached view (169 ms for a city's DRC at 100,000
/// projects). Now a page reads its sort index and tests the column (or, in code order, the partial
/// index of overdue projects), and the count sums the tallies. `OverdueMarks.drift` checks both
/// against the reminders.
struct AddOverdueMarks: AsyncMigration {
    static let tallyKey = "unit_id, stage, plan_year, tier, classified"
    static let overdueByCode = ("projects_overdue_code", "projects (code, classified) WHERE overdue_marks > 0")

    func prepare(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        let postgres = sql.dialect.name == "postgresql"
        let (int, bool) = postgres ? ("BIGINT", "BOOLEAN") : ("INTEGER", "INTEGER")
        let overdue = "'\(DeadlineStatus.overdue.rawValue)'"
        try await sql.raw("ALTER TABLE projects ADD COLUMN overdue_marks \(unsafeRaw: int) NOT NULL DEFAULT 0").run()
        try await sql.raw(
            """
            UPDATE projects SET overdue_marks = (SELECT COUNT(*) FROM reminders WHERE reminders.project_id = projects.id
              AND reminders.status = \(unsafeRaw: overdue) AND reminders.resolved_at IS NULL)
            WHERE id IN (SELECT project_id FROM reminders WHERE status = \(unsafeRaw: overdue) AND resolved_at IS NULL)
            """
        ).run()
        try await SQLIndexes.create([Self.overdueByCode], on: database)
        // A mark counts while it is open and overdue; moving one (resolved, re-opened, another status
        // or project) leaves the old project's count and joins the new one's.
        let mark = { (row: String, change: String) in
            """
            UPDATE projects SET overdue_marks = overdue_marks \(change) 1
            WHERE id = \(row).project_id AND \(row).status = \(overdue) AND \(row).resolved_at IS NULL;
            """
        }
        try await TallyTriggers(
            tally: "overdue_marks", table: "reminders", watched: "project_id, status, resolved_at", leave: { mark($0, "-") },
            join: { mark($0, "+") }
        ).create(on: sql)

        try await sql.raw(
            """
            CREATE TABLE overdue_tallies (unit_id UUID NOT NULL, stage TEXT NOT NULL, plan_year \(unsafeRaw: int) NOT NULL,
              tier \(unsafeRaw: int) NOT NULL, classified \(unsafeRaw: bool) NOT NULL, projects \(unsafeRaw: int) NOT NULL,
              PRIMARY KEY (\(unsafeRaw: Self.tallyKey)))
            """
        ).run()
        let leave = { (row: String) in
            """
            UPDATE overdue_tallies SET projects = projects - 1
            WHERE \(row).overdue_marks > 0 AND unit_id = \(row).unit_id AND stage = \(row).stage AND plan_year = \(row).plan_year
              AND tier = \(row).tier AND classified = \(row).classified;
            """
        }
        let join = { (row: String) in
            """
            INSERT INTO overdue_tallies (\(Self.tallyKey), projects)
            SELECT \(row).unit_id, \(row).stage, \(row).plan_year, \(row).tier, \(row).classified, 1 WHERE \(row).overdue_marks > 0
            ON CONFLICT (\(Self.tallyKey)) DO UPDATE SET projects = overdue_tallies.projects + 1;
            """
        }
        try await TallyTriggers(
            tally: "overdue_tallies", table: "projects", watched: Self.tallyKey + ", overdue_marks", leave: leave, join: join
        ).create(on: sql)
        try await sql.raw("INSERT INTO overdue_tallies (\(unsafeRaw: Self.tallyKey), projects) \(unsafeRaw: OverdueMarks.grouped)").run()
        MigrationLog.moved(self, "overdue_tallies", try await MigrationLog.count("overdue_tallies", on: database), on: database)
    }

    func revert(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        try await TallyTriggers.drop("overdue_tallies", on: "projects", sql)
        try await sql.raw("DROP TABLE overdue_tallies").run()
        try await TallyTriggers.drop("overdue_marks", on: "reminders", sql)
        try await SQLIndexes.drop([Self.overdueByCode], on: database)
        try await sql.raw("ALTER TABLE projects DROP COLUMN overdue_marks").run()
    }
}

/// Checking the overdue counts against the reminders.
enum OverdueMarks {
    /// The tallies as a GROUP BY over the overdue projects makes them (the first fill, and the check).
    static let grouped = """
        SELECT unit_id, stage, plan_year, tier, classified, COUNT(*) FROM projects WHERE overdue_marks > 0
        GROUP BY unit_id, stage, plan_year, tier, classified
        """

    /// Projects whose count differs from their open overdue marks, plus tallies that differ from
    /// the projects' GROUP BY (0 when all agree).
    static func drift(on db: any Database) async throws -> Int {
        let marks: SQLQueryString = """
            SELECT COUNT(*) FROM projects WHERE overdue_marks <> (SELECT COUNT(*) FROM reminders WHERE reminders.project_id = projects.id
              AND reminders.status = \(unsafeRaw: "'" + DeadlineStatus.overdue.rawValue + "'") AND reminders.resolved_at IS NULL)
            """
        let kept = "SELECT \(AddOverdueMarks.tallyKey), projects FROM overdue_tallies WHERE projects <> 0"
        let tallies = SQLQueryString(
            "SELECT COUNT(*) FROM (SELECT * FROM (\(kept) EXCEPT \(grouped)) a UNION ALL SELECT * FROM (\(grouped) EXCEPT \(kept)) b) d")
        var differing = 0
        for query in [marks, tallies] { differing += try await PlainRows.all(query, on: db).first?.int(0) ?? 0 }
        return differing
    }
}
