import Fluent
import Foundation
import NIOConcurrencyHelpers
import Vapor
import ZhengxinCore

/// Read results kept while the audit chain does not move: the portfolio report page and its overdue
/// list and files (PortfolioQuery), the one read whose uncached cost (33 ms for an agency at
/// 100,000 projects: nine charts, the risk distribution and up to 2,000 overdue marks) is over the
/// 20 ms every page aims for while its cached one (18 ms) is under. The project list, the inbox,
/// the risk list and the home page keep nothing between requests: each reads indexes and tallies.
///
/// Every write that can change what these show — an accepted action, a declaration, a 涉密 grant, a
/// deadline scan raising or resolving marks — appends an audit entry in its own transaction, so the
/// chain head (seq and hash), read from the database on every call, moves with each of them,
/// whichever server wrote: a value is reused only under the head it was computed under. The head is
/// read BEFORE computing, so a value is never filed under a head older than what it saw. The hash is
/// part of the head, so a database restored to an earlier seq never matches values of the old chain.
final class AuditHeadCache: Sendable {
    struct Head: Hashable, Sendable {
        var seq: Int64
        var hash: String
    }

    /// Past this many bytes (as the callers estimate them) under one head, the values start again.
    static let byteBudget = 24 << 20
    private struct State {
        var head = Head(seq: -1, hash: "")
        var values: [String: any Sendable] = [:]
        var bytes = 0
        /// Values being computed, by key and the head they are computed under, with the requests
        /// waiting for them. Kept apart from `values`: a computation under an older head still
        /// answers the requests that read that head.
        var computing: [Computing: [CheckedContinuation<(any Sendable)?, Never>]] = [:]
    }
    private struct Computing: Hashable {
        var key: String
        var head: Head
    }
    private let state = NIOLockedValueBox(State())
    /// What a request does for a value: take it, wait for another's, or compute it.
    private enum Role { case hit(any Sendable), wait, compute }

    /// The head to compute under: read once per request, before any value it guards.
    static func head(on db: Database) async throws -> Head {
        let head = try await AuditChainHead.read(on: db)
        return Head(seq: head?.seq ?? 0, hash: head?.hash ?? "")
    }

    /// The value filed under `key` at `head`, or `make`'s, filed when `head` is still the newest seen.
    /// `bytes`: the value's approximate size, for the budget.
    ///
    /// Computed once per key and head: right after a write moves the head, every connection asking
    /// for the same page or report missed at once and computed it side by side (16 portfolio
    /// reports at a time, p99 400 ms); now the first computes and the others wait for its value.
    /// A waiter whose computation failed, or gave a value of another type, computes its own.
    func value<V: Sendable>(_ key: String, at head: Head, bytes: (V) -> Int = { _ in 64 }, make: () async throws -> V) async throws -> V {
        let computing = Computing(key: key, head: head)
        let role: Role = state.withLockedValue { s in
            if s.head == head, let hit = s.values[key], hit is V { return .hit(hit) }
            if s.computing[computing] != nil { return .wait }
            s.computing[computing] = []
            return .compute
        }
        switch role {
        case .hit(let value): return value as! V
        case .wait:
            let shared = await withCheckedContinuation { (waiter: CheckedContinuation<(any Sendable)?, Never>) in
                let waiting = state.withLockedValue { s -> Bool in
                    guard s.computing[computing] != nil else { return false }
                    s.computing[computing]!.append(waiter)
                    return true
                }
                // Finished between the look and now: its value is filed (or it failed); look again.
                if !waiting { waiter.resume(returning: nil) }
            }
            if let value = shared as? V { return value }
            return try await value(key, at: head, bytes: bytes, make: make)
        case .compute:
            let made: V
            do {
                made = try await make()
            } catch {
                finish(computing, with: nil)
                throw error
            }
            let size = bytes(made) + key.utf8.count
            state.withLockedValue { s in
                if s.head != head {
                    // A slower request finishing under an older head files nothing (its value is still right for it).
                    guard head.seq >= s.head.seq else { return }
                    s.head = head
                    s.values.removeAll()
                    s.bytes = 0
                }
                if s.bytes + size > Self.byteBudget { s.values.removeAll(keepingCapacity: true); s.bytes = 0 }
                s.values[key] = made
                s.bytes += size
            }
            finish(computing, with: made)
            return made
        }
    }

    /// Ends a computation: its waiters get `value` (nil: compute their own).
    private func finish(_ computing: Computing, with value: (any Sendable)?) {
        let waiters = state.withLockedValue { $0.computing.removeValue(forKey: computing) } ?? []
        for waiter in waiters { waiter.resume(returning: value) }
    }

    /// The part of a key that names who asks, for values that depend on it (what a caller may see
    /// follows from the account, its organisation and that organisation's type).
    static func callerKey(_ actor: Actor) -> String {
        "\(actor.userId)|\(actor.organisationId)|\(actor.organisationType.rawValue)"
    }

    var entries: Int { state.withLockedValue { $0.values.count } }

    private struct StorageKey: Vapor.StorageKey, LockKey { typealias Value = AuditHeadCache }

    /// The application's cache (one database), made on first use.
    static func of(_ app: Application) -> AuditHeadCache { app.shared(StorageKey.self) { AuditHeadCache() } }
}
