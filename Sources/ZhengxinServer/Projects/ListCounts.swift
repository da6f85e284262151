import Fluent
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The project list's totals ("共 N 项"), kept while the audit chain does not move (issue 6: counting
/// the 26,881 projects of one stage among 100,000 walks an index of that size on every page, ~6 ms of
/// SQLite work per request).
///
/// Every write that can change which projects a list holds — an accepted action, a declaration, a
/// 涉密 grant, a deadline scan raising or resolving marks — appends an audit entry in its own
/// transaction, so the chain head's seq, read from the database on every call, moves with each of
/// them, whichever server wrote: a count is reused only under the head it was counted under. The head
/// is read BEFORE counting, so a count is never filed under a head older than what it saw.
final class ListCounts: Sendable {
    /// Beyond this many distinct filters under one head the counts start again (bounded memory).
    static let capacity = 5_000
    private let state = NIOLockedValueBox<(head: Int64, counts: [String: Int])>((-1, [:]))

    func count(_ key: String, on db: Database, counting: () async throws -> Int) async throws -> Int {
        let head = try await AuditChainHead.read(on: db)?.seq ?? 0
        if let hit = state.withLockedValue({ $0.head == head ? $0.counts[key] : nil }) { return hit }
        let total = try await counting()
        state.withLockedValue { s in
            if s.head != head { s = (head, [:]) }
            if s.counts.count >= Self.capacity { s.counts.removeAll(keepingCapacity: true) }
            s.counts[key] = total
        }
        return total
    }

    private struct StorageKey: Vapor.StorageKey, LockKey { typealias Value = ListCounts }

    /// The application's counts (one database), made on first use.
    static func of(_ app: Application) -> ListCounts { app.shared(StorageKey.self) { ListCounts() } }
}
