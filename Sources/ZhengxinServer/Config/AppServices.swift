import Foundation
import Vapor
import ZhengxinCore

/// Services the app carries: its configuration, its clock (tests set it), and the write gate.
public struct ZhengxinServices: Sendable {
    public var config: AppConfig
    public var now: @Sendable () -> Instant
    public let writeGate: WriteGate
    /// Lifecycle actions and refusal records committed in groups (GroupCommit).
    let groupCommit = GroupCommit()
    public let documents: DocumentStore
    /// A SQLite file's writer (SQLiteWriterThread); nil on PostgreSQL.
    var sqliteWriter: SQLiteWriterThread? = nil
}

extension Application {
    private struct ServicesKey: StorageKey { typealias Value = ZhengxinServices }

    public var zhengxin: ZhengxinServices {
        get {
            guard let s = storage[ServicesKey.self] else { preconditionFailure("configure(app:) has not run") }
            return s
        }
        set { storage[ServicesKey.self] = newValue }
    }
}

extension Request {
    var zhengxin: ZhengxinServices { application.zhengxin }
    var now: Instant { application.zhengxin.now() }
}

public enum SystemClock {
    @Sendable public static func now() -> Instant {
        Instant(secondsSinceEpoch: Int64(Date().timeIntervalSince1970.rounded(.down)))
    }
}
