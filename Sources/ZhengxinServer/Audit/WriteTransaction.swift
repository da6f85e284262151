import Fluent
import SQLKit
import Vapor
import ZhengxinCore

extension Application {
    /// Runs `body` as the only writer: in-process gate, one database transaction, and on
    /// PostgreSQL a transaction-scoped advisory lock so that other server processes wait too.
    /// The change and its audit entry commit together or not at all.
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (Database) async throws -> T) async throws -> T {
        let db = databases.ids().contains(.sqliteWriter) ? self.db(.sqliteWriter) : self.db
        let synchronous = zhengxin.config.sqliteSynchronous.rawValue  // an enum's word, never user input
        return try await zhengxin.writeGate.run {
            guard let sqlite = db as? any SQLDatabase, sqlite.dialect.name == "sqlite" else { return try await Self.locked(db, body) }
            return try await db.withConnection { conn in
                try await SQLiteWriterSetup.prepare(conn, synchronous: synchronous)  // WAL and synchronous, once per connection
                return try await Self.locked(conn, body)
            }
        }
    }

    private static func locked<T: Sendable>(_ db: Database, _ body: @escaping @Sendable (Database) async throws -> T) async throws -> T {
        try await db.transaction { tx in
            if let sql = tx as? any SQLDatabase, sql.dialect.name == "postgresql" {
                try await sql.raw("SELECT pg_advisory_xact_lock(20200529)").run()
            } else if let sql = tx as? any SQLDatabase, sql.dialect.name == "sqlite" {
                // Take SQLite's write lock before reading (as BEGIN IMMEDIATE would): another process
                // writing the same file then makes this one wait instead of failing with SQLITE_BUSY.
                try await sql.raw("UPDATE audit_head SET last_seq = last_seq").run()
            }
            return try await body(tx)
        }
    }

    /// Records a refused or forbidden attempt: nothing else is written.
    func recordRefusal(_ event: AuditEvent) async {
        let now = zhengxin.now()
        do {
            try await writeTransaction { db in try await AuditRecorder.append(event, at: now, on: db) }
        } catch {
            logger.error("could not record refused attempt: \(String(describing: error))")
        }
    }
}

extension Request {
    var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }
}
