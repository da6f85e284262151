import FluentSQLiteDriver
import Foundation

/// The pragmas a SQLite connection writes under, issued once per connection instead of in every
/// write transaction (two statements, each a thread-pool round trip, inside the one-writer section).
/// WAL: readers never wait for the writer. synchronous: FULL by default (every commit fsynced);
/// NORMAL when configured — a commit is appended to the WAL without an fsync of its own, durable
/// across a crash of the process but the last commits may be lost on power loss (an fsync of its own,
/// ~5 ms on a common disk, caps writes at a few dozen a second). PostgreSQL keeps its own durable commit.
enum SQLiteWriterSetup {
    private final class Weak: @unchecked Sendable { weak var connection: SQLiteConnection?; init(_ c: SQLiteConnection) { connection = c } }
    private final class Seen: @unchecked Sendable {
        let lock = NSLock()
        /// Connections already set up, with the synchronous level they were set to; weak, so an
        /// identifier reused by a new connection after the old one closed is not taken for it.
        var connections: [ObjectIdentifier: (Weak, String)] = [:]
    }
    private static let seen = Seen()

    /// Sets the pragmas on `conn`'s connection unless this process already did with the same level.
    static func prepare(_ conn: any Database, synchronous: String) async throws {
        guard let sqlite = conn as? any SQLiteDatabase else { return }
        let connection: SQLiteConnection = try await sqlite.withConnection { (c: SQLiteConnection) async throws -> SQLiteConnection in c }
        let key = ObjectIdentifier(connection)
        let done = seen.lock.withLock {
            guard let (weak, level) = seen.connections[key] else { return false }
            return weak.connection === connection && level == synchronous
        }
        if done { return }
        _ = try await connection.query("PRAGMA journal_mode = WAL")
        _ = try await connection.query("PRAGMA synchronous = \(synchronous)")
        seen.lock.withLock {
            seen.connections = seen.connections.filter { $0.value.0.connection != nil }
            seen.connections[key] = (Weak(connection), synchronous)
        }
    }
}

extension DatabaseID {
    /// The SQLite writer's connection (SQLiteWriterThread), apart from the readers' pool: SQLite gives
    /// each event loop ONE connection, and a writer holding it made every read on that loop wait for the commit.
    static let sqliteWriter = DatabaseID(string: "sqlite-writer")
}
