import Fluent
import SQLKit

/// How many open reminders and overdue marks there are, kept as they change: one row per (unit,
/// status, audience) with the number of open marks (`resolved_at IS NULL`), kept by triggers on
/// `reminders` in the transaction of every insert, delete and update of those columns, whoever
/// writes (the deadline scan, an action resolving a mark, zhengxin-bench). The inbox and the
/// overdue list count their whole listing for `X-Total-Count`; a city's DRC has ~90,000 open
/// marks, and counting them walked a partial index on every request (~40 ms uncached at 100,000
/// projects). Now the count sums a few hundred tallies (ReminderListing). Rows whose count fell to
/// 0 stay. `ReminderTallies.drift` compares them with a GROUP BY over the reminders.
struct AddReminderTallies: AsyncMigration {
    static let key = "unit_id, status, audience"
    static let watched = "unit_id, status, audience, resolved_at"

    func prepare(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        let int = sql.dialect.name == "postgresql" ? "BIGINT" : "INTEGER"
        try await sql.raw(
            """
            CREATE TABLE reminder_tallies (unit_id UUID NOT NULL, status TEXT NOT NULL, audience TEXT NOT NULL,
              open_marks \(unsafeRaw: int) NOT NULL, PRIMARY KEY (\(unsafeRaw: Self.key)))
            """
        ).run()
        try await Self.createTriggers(on: sql)
        try await sql.raw("INSERT INTO reminder_tallies (\(unsafeRaw: Self.key), open_marks) \(unsafeRaw: ReminderTallies.grouped)").run()
        MigrationLog.moved(self, "reminder_tallies", try await MigrationLog.count("reminder_tallies", on: database), on: database)
    }

    func revert(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        try await TallyTriggers.drop("reminder_tallies", on: "reminders", sql)
        try await sql.raw("DROP TABLE reminder_tallies").run()
    }

    static func createTriggers(on sql: any SQLDatabase) async throws {
        // An open mark leaving its tally and one joining, written once for both databases; a
        // resolved mark is in no tally.
        let leave = { (row: String) in
            """
            UPDATE reminder_tallies SET open_marks = open_marks - 1
            WHERE \(row).resolved_at IS NULL AND unit_id = \(row).unit_id AND status = \(row).status AND audience = \(row).audience;
            """
        }
        let join = { (row: String) in
            """
            INSERT INTO reminder_tallies (\(Self.key), open_marks)
            SELECT \(row).unit_id, \(row).status, \(row).audience, 1 WHERE \(row).resolved_at IS NULL
            ON CONFLICT (\(Self.key)) DO UPDATE SET open_marks = reminder_tallies.open_marks + 1;
            """
        }
        try await TallyTriggers(tally: "reminder_tallies", table: "reminders", watched: watched, leave: leave, join: join).create(on: sql)
    }
}

/// Checking the reminder tallies against the reminders.
enum ReminderTallies {
    /// The tallies as a GROUP BY over the open reminders makes them (the first fill, and the check).
    static let grouped = """
        SELECT unit_id, status, audience, COUNT(*) FROM reminders WHERE resolved_at IS NULL GROUP BY unit_id, status, audience
        """

    /// Tallies that differ from the reminders' GROUP BY, either way (0 when they agree).
    static func drift(on db: any Database) async throws -> Int {
        let kept = "SELECT \(AddReminderTallies.key), open_marks FROM reminder_tallies WHERE open_marks <> 0"
        let query = SQLQueryString(
            "SELECT COUNT(*) FROM (SELECT * FROM (\(kept) EXCEPT \(grouped)) a UNION ALL SELECT * FROM (\(grouped) EXCEPT \(kept)) b) d")
        return try await PlainRows.all(query, on: db).first?.int(0) ?? 0
    }
}
