import SQLKit

/// The triggers that keep a tally table (project_tallies, reminder_tallies, risk_tallies) in the
/// transaction of every insert, delete and update of the watched columns of the table it counts,
/// whoever writes. `leave` and `join` are the statements for a row leaving its tally and joining
/// one, given the row's name (`OLD` or `NEW`), written once for both databases. The triggers are
/// named after the tally: `<tally>_follow` on PostgreSQL, `<tally>_insert|_delete|_update` on SQLite.
struct TallyTriggers {
    var tally: String
    var table: String
    /// Only these columns move a tally; an UPDATE that sets none of them fires nothing.
    var watched: String
    var leave: (String) -> String
    var join: (String) -> String

    func create(on sql: any SQLDatabase) async throws {
        if sql.dialect.name == "postgresql" {
            try await sql.raw(
                """
                CREATE FUNCTION \(unsafeRaw: tally)_follow() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP IN ('UPDATE', 'DELETE') THEN \(unsafeRaw: leave("OLD")) END IF;
                  IF TG_OP IN ('UPDATE', 'INSERT') THEN \(unsafeRaw: join("NEW")) END IF;
                  RETURN NULL;
                END $$
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER \(unsafeRaw: tally)_follow AFTER INSERT OR DELETE OR UPDATE OF \(unsafeRaw: watched) ON \(unsafeRaw: table)
                FOR EACH ROW EXECUTE FUNCTION \(unsafeRaw: tally)_follow()
                """
            ).run()
        } else {
            try await sql.raw(
                "CREATE TRIGGER \(unsafeRaw: tally)_insert AFTER INSERT ON \(unsafeRaw: table) BEGIN \(unsafeRaw: join("NEW")) END"
            )
            .run()
            try await sql.raw(
                "CREATE TRIGGER \(unsafeRaw: tally)_delete AFTER DELETE ON \(unsafeRaw: table) BEGIN \(unsafeRaw: leave("OLD")) END"
            )
            .run()
            try await sql.raw(
                """
                CREATE TRIGGER \(unsafeRaw: tally)_update AFTER UPDATE OF \(unsafeRaw: watched) ON \(unsafeRaw: table)
                BEGIN \(unsafeRaw: leave("OLD")) \(unsafeRaw: join("NEW")) END
                """
            ).run()
        }
    }

    /// Drops the triggers of `tally` on `table`.
    static func drop(_ tally: String, on table: String, _ sql: any SQLDatabase) async throws {
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP TRIGGER \(unsafeRaw: tally)_follow ON \(unsafeRaw: table)").run()
            try await sql.raw("DROP FUNCTION \(unsafeRaw: tally)_follow()").run()
        } else {
            for suffix in ["insert", "delete", "update"] {
                try await sql.raw("DROP TRIGGER \(unsafeRaw: tally)_\(unsafeRaw: suffix)").run()
            }
        }
    }
}
