import FluentSQLiteDriver
import NIOConcurrencyHelpers
import NIOPosix
import SQLKit
import Vapor

/// A SQLite file's one writer: one connection, answered on a thread of its own, with its own thread
/// for the statements, and the write transaction's code run on that thread too (a task executor
/// preference). The group commit holds SQLite's write lock for a chain of statements; when each
/// answer resumed on the request threads (Fluent's transaction runs its body as a new task there),
/// it queued behind other requests' decoding and rendering, and every statement of the chain paid
/// that wait while the lock was held.
final class SQLiteWriterThread: TaskExecutor, Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let loop: any EventLoop
    private let statements: NIOThreadPool
    private let databases: Databases
    /// Set once the application shuts down (under the write gate, so no transaction is in progress):
    /// a write that comes later is refused, not scheduled on a loop that no longer runs.
    private let closed = NIOLockedValueBox(false)

    init(path: String) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        loop = group.next()
        statements = NIOThreadPool(numberOfThreads: 1)
        statements.start()
        databases = Databases(threadPool: statements, on: group)
        // One event loop, and SQLite's driver keeps one connection per loop: every statement of the writer is on it.
        databases.use(.sqlite(.file(path)), as: .sqliteWriter, isDefault: false)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// Runs `body` inside BEGIN IMMEDIATE … COMMIT on the writer's connection, on the writer's thread;
    /// rolled back if it throws. IMMEDIATE takes SQLite's write lock at the start, so another process
    /// writing the same file makes this one wait (SQLiteNIO's busy handler retries) instead of failing halfway.
    /// The caller holds the write gate: nothing else uses the connection meanwhile.
    func transaction<T: Sendable>(
        synchronous: String, logger: Logger, _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        guard !closed.withLockedValue({ $0 }), let db = databases.database(.sqliteWriter, logger: logger, on: loop) else {
            throw APIError(status: .serviceUnavailable, code: "SHUTTING_DOWN", message: "服务正在停止,请稍后重试")
        }
        return try await withTaskExecutorPreference(self) {
            try await SQLiteWriterSetup.prepare(db, synchronous: synchronous)
            let sql = db as! any SQLDatabase
            try await sql.raw("BEGIN IMMEDIATE").run()
            do {
                let value = try await body(db)
                try await sql.raw("COMMIT").run()
                return value
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Closes the writer once the transaction in progress, if any, has committed or rolled back.
    func shutdown(after gate: WriteGate) async {
        _ = try? await gate.run { self.closed.withLockedValue { $0 = true } }
        await databases.shutdownAsync()
        try? await statements.shutdownGracefully()
        try? await group.shutdownGracefully()
    }
}

/// Closes the writer's connection and stops its threads with the application.
struct SQLiteWriterLifecycle: LifecycleHandler {
    let writer: SQLiteWriterThread
    func shutdownAsync(_ application: Application) async { await writer.shutdown(after: application.zhengxin.writeGate) }
}
