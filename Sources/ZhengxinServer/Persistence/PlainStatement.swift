import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import SQLKit

/// A statement of fixed text that PostgreSQL plans once per connection: a named prepared statement
/// (PostgresNIO's `PostgresPreparedStatement`, prepared on a connection the first time it runs
/// there). For the lookups every request or every action makes, where planning cost PostgreSQL more
/// than running them: the session of every request (three tables joined: 0.10 ms to plan, 0.03 to
/// run) and an action's project row (0.07 and 0.08). SQLite prepares it as any other statement.
/// Read like any query here (PlainRows). Its names must stay unique (PostgresNIO knows a statement by
/// its name alone), its columns named (a changed result type is refused to a prepared statement), and a
/// pooler in front of PostgreSQL must keep a session's connection (not PgBouncer's transaction mode).
protocol PlainStatement: SendableMetatype {
    /// Short and unique: PostgreSQL knows the prepared statement by it (at most 63 bytes).
    static var name: String { get }
    /// The SQL with PostgreSQL's numbered parameters `$1`, `$2`, … (SQLite's `?1`, `?2`, … are made from them).
    static var sql: String { get }
}

extension PlainRows {
    /// The rows of `statement` with `binds` in its parameters' order.
    static func all<S: PlainStatement>(_ statement: S.Type, _ binds: [any Encodable & Sendable], on db: any Database) async throws
        -> [Row]
    {
        guard let postgres = db as? any PostgresDatabase else {
            guard let sqlite = db as? any SQLiteDatabase else { throw UnsupportedBind(type: "database \(type(of: db))") }
            return try await rows(of: sqlite, S.sql.replacingOccurrences(of: "$", with: "?"), binds)
        }
        let bindings = try postgresBindings(binds)
        let prepared = Prepared<S>(bindings: bindings)
        do {
            return try await onConnection(of: postgres) { connection, logger in
                var rows: [Row] = []
                for try await row in try await connection.execute(prepared, logger: logger) { rows.append(row) }
                return rows
            }
        } catch {
            // A statement PostgreSQL once refused to prepare on a connection (a server started before
            // `migrate` finished, a column not there yet) stays refused there: PostgresNIO keeps the
            // failure under its name. The same text unnamed is planned afresh, and answers or fails by itself.
            return try await rows(of: postgres, S.sql, bindings)
        }
    }

    private struct Prepared<S: PlainStatement>: PostgresPreparedStatement {
        static var name: String { "zx_" + S.name }
        static var sql: String { S.sql }
        var bindings: PostgresBindings
        func makeBindings() throws -> PostgresBindings { bindings }
        func decodeRow(_ row: PostgresRow) throws -> Row { try Row(row) }
    }
}
