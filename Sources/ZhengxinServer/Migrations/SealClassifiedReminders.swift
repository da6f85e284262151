import Fluent
import SQLKit

/// A 涉密 project's reminder messages leave the clear column: a message may quote the sealed record
/// (a supervision finding's description), so it is sealed as the deadline scan now stores it
/// (DeadlineSweep), and opened only for a reader named on the project.
struct SealClassifiedReminders: AsyncMigration {
    func prepare(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        let rows = try await PlainRows.all(
            SQLQueryString(
                "SELECT r.id, r.message FROM reminders r JOIN projects p ON p.id = r.project_id WHERE p.classified = \(bind: true)"),
            on: database)
        var sealed: Int64 = 0
        for row in rows {
            let message = try row.text(1)
            guard !AtRest.isSealed(message) else { continue }
            try await sql.raw("UPDATE reminders SET message = \(bind: try AtRest.seal(message)) WHERE id = \(bind: try row.uuid(0))").run()
            sealed += 1
        }
        MigrationLog.moved(self, "reminders.message(涉密项目,加密)", sealed, on: database)
    }

    func revert(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        let rows = try await PlainRows.all(SQLQueryString("SELECT id, message FROM reminders"), on: database)
        for row in rows where AtRest.isSealed(try row.text(1)) {
            try await sql.raw(
                "UPDATE reminders SET message = \(bind: try AtRest.open(try row.text(1))) WHERE id = \(bind: try row.uuid(0))"
            ).run()
        }
    }
}
