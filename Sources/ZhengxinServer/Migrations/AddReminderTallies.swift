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
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP TRIGGER reminder_tallies_follow ON reminders").run()
            try await sql.raw("DROP FUNCTION reminder_tallies_follow()").run()
        } else {
            for name in ["reminder_tallies_insert", "reminder_tallies_delete", "reminder_tallies_update"] {
                try await sql.raw("DROP TRIGGER \(unsafeRaw: name)").run()
            }
        }
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
        if sql.dialect.name == "postgresql" {
            try await sql.raw(
                """
                CREATE FUNCTION reminder_tallies_follow() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP IN ('UPDATE', 'DELETE') THEN \(unsafeRaw: leave("OLD")) END IF;
                  IF TG_OP IN ('UPDATE', 'INSERT') THEN \(unsafeRaw: join("NEW")) END IF;
                  RETURN NULL;
                END $$
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER reminder_tallies_follow AFTER INSERT OR DELETE OR UPDATE OF \(unsafeRaw: Self.watched) ON reminders
                FOR EACH ROW EXECUTE FUNCTION reminder_tallies_follow()
                """
            ).run()
        } else {
            try await sql.raw("CREATE TRIGGER reminder_tallies_insert AFTER INSERT ON reminders BEGIN \(unsafeRaw: join("NEW")) END").run()
            try await sql.raw("CREATE TRIGGER reminder_tallies_delete AFTER DELETE ON reminders BEGIN \(unsafeRaw: leave("OLD")) END").run()
            try await sql.raw(
                """
                CREATE TRIGGER reminder_tallies_update AFTER UPDATE OF \(unsafeRaw: Self.watched) ON reminders
                BEGIN \(unsafeRaw: leave("OLD")) \(unsafeRaw: join("NEW")) END
                """
            ).run()
        }
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
