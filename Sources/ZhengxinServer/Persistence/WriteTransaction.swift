import Fluent
import SQLKit
import Vapor
import ZhengxinCore

extension Application {
    /// Runs `body` as the only writer: in-process gate, one database transaction — on a SQLite file the
    /// writer's own (SQLiteWriterThread), on PostgreSQL with a transaction-scoped advisory lock so that
    /// other server processes wait too.
    /// The change and its audit entry commit together or not at all.
    package func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (Database) async throws -> T) async throws -> T {
        let (value, appended): (T, Int)
        if let writer = zhengxin.sqliteWriter {
            let synchronous = zhengxin.config.sqliteSynchronous.rawValue  // an enum's word, never user input
            let logger = logger
            (value, appended) = try await zhengxin.writeGate.run {
                try await writer.transaction(synchronous: synchronous, logger: logger) { db in try await Self.chained(db, body) }
            }
        } else {
            let db = self.db
            (value, appended) = try await zhengxin.writeGate.run {
                try await db.transaction { tx in
                    if let sql = tx as? any SQLDatabase, sql.dialect.name == "postgresql" {
                        try await sql.raw("SELECT pg_advisory_xact_lock(20200529)").run()
                    }
                    return try await Self.chained(tx, body)
                }
            }
        }
        operationsMetrics.auditAppended(appended)  // committed: a rolled-back transaction does not get here
        return value
    }

    /// `body` with the transaction's audit chain cursor: the entries it appended are inserted and the
    /// anchor moved before the transaction commits. Answers the body's value and how many entries it appended.
    private static func chained<T: Sendable>(
        _ tx: Database, _ body: @escaping @Sendable (Database) async throws -> T
    ) async throws -> (T, Int) {
        let cursor = AuditChainCursor()
        let value = try await AuditChainCursor.$current.withValue(cursor) { try await body(tx) }
        try await cursor.settle(on: tx)
        return (value, cursor.settled)
    }

    /// Like `writeTransaction`, but the body may share its transaction with other group-committed
    /// bodies waiting at the same moment (GroupCommit): one BEGIN, one write lock, one head read, one
    /// anchor move and one COMMIT for all of them. Only for bodies that write nothing but the
    /// database and may run again: if any body of a group throws, the group is rolled back and each
    /// body runs again in a transaction of its own, so each caller gets its own answer.
    @discardableResult
    func groupCommitted<T: Sendable>(_ body: @escaping @Sendable (Database) async throws -> T) async throws -> T {
        let value = try await zhengxin.groupCommit.run({ db in try await body(db) }, in: self)
        guard let typed = value as? T else { preconditionFailure("group commit answered \(type(of: value)) for \(T.self)") }
        return typed
    }

    /// Records a refused or forbidden attempt: nothing else is written.
    func recordRefusal(_ event: AuditEvent) async {
        let now = zhengxin.now()
        do {
            try await groupCommitted { db in try await AuditRecorder.append(event, at: now, on: db) }
        } catch {
            logger.error("could not record refused attempt: \(String(describing: error))")
        }
    }
}

extension Request {
    /// Who sent the request as the audit record names it: the peer, or behind a trusted proxy the
    /// address it forwarded for (the same address the login throttle counts).
    var clientAddress: String { LoginThrottle.clientAddress(self) }
}
