import Fluent
import SQLKit

/// The contracted parties' triggers follow a project's insert, delete and 涉密 flag only; a change of
/// its contracts is stored by the action that makes it (ProjectParties). Comparing the contract
/// lists of the old and the new record (FollowContractChangesOnly) read both records as JSON on
/// every action, ~0.2 ms of PostgreSQL's ~1.75 ms of CPU on a usage feedback.
struct FollowContractsFromActions: AsyncMigration {
    func prepare(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            let flagOnly = "IF TG_OP = 'UPDATE' AND OLD.classified = NEW.classified THEN RETURN NULL; END IF;"
            try await sql.raw("CREATE OR REPLACE \(unsafeRaw: AddProjectParties.postgresFollow(unchangedFirst: flagOnly))").run()
            try await Self.postgresTrigger(events: "classified", on: sql)
            return
        }
        try await Self.sqliteTrigger(events: "classified", when: "OLD.classified IS NOT NEW.classified", on: sql)
    }

    func revert(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            let unchanged = FollowContractChangesOnly.postgresUnchanged
            try await sql.raw("CREATE OR REPLACE \(unsafeRaw: AddProjectParties.postgresFollow(unchangedFirst: unchanged))").run()
            try await Self.postgresTrigger(events: "record, classified", on: sql)
            return
        }
        try await Self.sqliteTrigger(events: "record, classified", when: FollowContractChangesOnly.sqliteWhen, on: sql)
    }

    private static func postgresTrigger(events columns: String, on sql: any SQLDatabase) async throws {
        try await sql.raw("DROP TRIGGER project_parties_follow ON projects").run()
        try await sql.raw("\(unsafeRaw: AddProjectParties.postgresTrigger(updateOf: columns))").run()
    }

    private static func sqliteTrigger(events columns: String, when: String, on sql: any SQLDatabase) async throws {
        try await sql.raw("DROP TRIGGER project_parties_update").run()
        try await sql.raw("\(unsafeRaw: AddProjectParties.sqliteUpdateTrigger(of: columns, when: when))").run()
    }
}
