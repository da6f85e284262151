import Fluent
import Vapor

/// Group commit (组提交) of the writes that arrive while another is committing: they wait in a
/// queue, and the next transaction runs all of them, one after the other, under one write lock and
/// one COMMIT. Under load a lifecycle action held SQLite's one write lock for seven
/// statements, each ~1.4 ms from submission to resumption on two busy cores, so writes queued behind
/// the lock. A group pays the transaction's fixed part once (BEGIN, lock, chain head, the audit
/// entries' INSERT and the anchor, COMMIT: AuditChainCursor) and one UPDATE per action; under 16
/// connections groups hold about eight actions.
///
/// The order inside a group is the order of arrival, and each body sees the writes of those before
/// it, exactly as if they had committed one by one. If any body throws (a version conflict, a
/// refusal raised inside the transaction, a database error), nothing of the group is kept and every
/// body runs again alone, so a failing write never takes another caller's write down with it.
actor GroupCommit {
    typealias Body = @Sendable (Database) async throws -> any Sendable

    private struct Waiting {
        let body: Body
        let answer: CheckedContinuation<any Sendable, any Error>
    }

    /// The most bodies one transaction takes; the rest wait for the next.
    static let largestGroup = 64

    private var queue: [Waiting] = []
    private var draining = false
    /// Bodies of the group now committing.
    private var committing = 0
    /// Bodies submitted and not yet answered (waiting or committing), and groups taken so far (tests watch them).
    var unanswered: Int { queue.count + committing }
    private(set) var groupsTaken = 0

    /// Runs `body` in the next group transaction of `app` and answers what it returned.
    func run(_ body: @escaping Body, in app: Application) async throws -> any Sendable {
        try await withCheckedThrowingContinuation { answer in
            queue.append(Waiting(body: body, answer: answer))
            if !draining {
                draining = true
                Task { await drain(app) }
            }
        }
    }

    /// Takes the waiting bodies group by group until none wait; the queue fills while a group commits.
    private func drain(_ app: Application) async {
        while true {
            let group = Array(queue.prefix(Self.largestGroup))
            queue.removeFirst(group.count)
            if group.isEmpty {
                draining = false
                return
            }
            groupsTaken += 1
            committing = group.count
            await Self.commit(group, in: app)
            committing = 0
        }
    }

    private nonisolated static func commit(_ group: [Waiting], in app: Application) async {
        if group.count > 1 {
            let bodies = group.map(\.body)
            do {
                let values: [any Sendable] = try await app.writeTransaction { db in
                    var values: [any Sendable] = []
                    for body in bodies { values.append(try await body(db)) }
                    return values
                }
                for (waiting, value) in zip(group, values) { waiting.answer.resume(returning: value) }
                return
            } catch {
                // Rolled back as a whole: each body again on its own, below.
            }
        }
        for waiting in group {
            do {
                waiting.answer.resume(returning: try await app.writeTransaction { db in try await waiting.body(db) })
            } catch {
                waiting.answer.resume(throwing: error)
            }
        }
    }
}
