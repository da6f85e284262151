import Vapor

/// One batch import writes at a time, across the server. A batch of 500 declarations is one write
/// transaction that holds the write lock for seconds, and every other write (a login's session, a
/// declaration, an action) queues behind it: twelve imports sent at once by one unit held logins
/// for 22.7 s and declarations for 35.2 s on PostgreSQL (debug build). Waiting here instead of in
/// the lock's queue, a batch lets every other write pass between it and the next batch.
actor BatchImportGate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Runs `body` once no other batch is writing.
    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            busy = true
        }
        defer {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
        return try await body()
    }
}

extension Application {
    private struct BatchImportGateKey: StorageKey, LockKey { typealias Value = BatchImportGate }

    var batchImports: BatchImportGate { shared(BatchImportGateKey.self) { BatchImportGate() } }
}
