import Fluent
import SQLKit

/// The contracted parties (AddProjectParties) are rewritten only when a write changes the contracts
/// or the 涉密 flag. Every action writes the record, and the trigger deleted and inserted the same
/// party rows each time, parsing the record's JSON three times on the way; most actions touch no
/// contract, and now cost one comparison of the two contract lists.
struct FollowContractChangesOnly: AsyncMigration {
    /// SQLite: the contract lists of `row` as one JSON value (none for a 涉密 or unreadable record).
    static func sqliteContracts(_ row: String) -> String {
        "json_extract(\(AddProjectParties.sqliteRecord(row)), '$.constructionContracts', '$.supervisionContracts')"
    }

    static let sqliteWhen =
        "OLD.classified IS NOT NEW.classified OR \(sqliteContracts("OLD")) IS NOT \(sqliteContracts("NEW"))"

    /// PostgreSQL: nested, so a sealed (涉密) record is never read as JSON; each record parsed once.
    static let postgresUnchanged = """
        IF TG_OP = 'UPDATE' AND OLD.classified = NEW.classified THEN
            IF NEW.classified THEN RETURN NULL; END IF;
            DECLARE
              was_record jsonb := OLD.record::jsonb;
              new_record jsonb := NEW.record::jsonb;
            BEGIN
              IF (was_record -> 'constructionContracts') IS NOT DISTINCT FROM (new_record -> 'constructionContracts')
                AND (was_record -> 'supervisionContracts') IS NOT DISTINCT FROM (new_record -> 'supervisionContracts')
              THEN RETURN NULL; END IF;
            END;
          END IF;
        """

    func prepare(on database: Database) async throws { try await replace(when: true, on: database) }
    func revert(on database: Database) async throws { try await replace(when: false, on: database) }

    private func replace(when onlyChanges: Bool, on database: Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            let first = onlyChanges ? Self.postgresUnchanged : ""
            try await sql.raw("CREATE OR REPLACE \(unsafeRaw: AddProjectParties.postgresFollow(unchangedFirst: first))").run()
            return
        }
        try await sql.raw("DROP TRIGGER project_parties_update").run()
        let trigger = AddProjectParties.sqliteUpdateTrigger(of: "record, classified", when: onlyChanges ? Self.sqliteWhen : nil)
        try await sql.raw("\(unsafeRaw: trigger)").run()
    }
}
