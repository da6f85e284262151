import NIOPosix
import Vapor

/// The threads that run a request's long CPU work and blocking calls: bcrypt, reading an imported
/// workbook, typing and hashing an upload and reading it back, building a workbook, sending mail.
/// Vapor's own `threadPool` runs every SQLite read as well, one job after another: eight imports of
/// a hostile workbook queued there held every page's reads, and a login, for 16 s. Here such jobs
/// wait only for each other, and the system shares the cores between them and the reads.
extension Application {
    private struct BlockingWorkKey: StorageKey, LockKey { typealias Value = NIOThreadPool }

    var blockingWork: NIOThreadPool {
        shared(BlockingWorkKey.self) {
            let pool = NIOThreadPool(numberOfThreads: max(2, System.coreCount))
            pool.start()
            lifecycle.use(BlockingWorkShutdown(pool: pool))
            return pool
        }
    }

    /// The password hasher (bcrypt) on this pool, answering on `eventLoop`: Vapor's own `password.async`
    /// runs it on `threadPool`, behind and ahead of every SQLite read.
    func passwords(answeringOn eventLoop: any EventLoop) -> AsyncPasswordHasher {
        password.async(on: blockingWork, hopTo: eventLoop)
    }
}

private struct BlockingWorkShutdown: LifecycleHandler {
    let pool: NIOThreadPool
    func shutdownAsync(_ application: Application) async { try? await pool.shutdownGracefully() }
}
