import Dispatch
import Foundation

/// One page of the audit chain as the walk (AuditChainStream) checks it: each entry's seq, whether
/// its prev_hash is the hash of the entry read before it, and what its SM3 is computed over.
/// Entries are read by position on either database (AuditEntryRows).
struct AuditChainPage: Sendable {
    /// An entry that says what a project's row was after it (ProjectStateCheck): accepted, about a
    /// project, and either carrying the state it produced or written before states were (format 1).
    struct Binding: Sendable {
        var index: Int
        var projectId: UUID
        var format: Int64
        var state: String

        /// Whether an entry of this result, format and state is one.
        static func qualifies(accepted: Bool, format: Int64, stateIsEmpty: Bool) -> Bool {
            accepted && (format == AuditEntryFormat.original || !stateIsEmpty)
        }
    }

    var seqs: [Int64]
    /// The page's entries that bind a project's state, in order.
    var bindings: [Binding] = []
    /// prev_hash equals the hash of the entry before it (the previous page's last, or genesis).
    var linked: [Bool]
    var entries: [AuditChainEntry]
    /// The hash stored in the page's last entry.
    var lastHash: String

    var count: Int { seqs.count }

    /// A page of decoded entries, the first chained after `previousHash`.
    init(_ entries: [AuditChainEntry], after previousHash: String) {
        seqs = entries.map(\.seq)
        linked = entries.indices.map { i in entries[i].prevHash == (i == 0 ? previousHash : entries[i - 1].hash) }
        self.entries = entries
        lastHash = entries.last?.hash ?? previousHash
        for (i, e) in entries.enumerated() {
            guard let projectId = e.projectId,
                Binding.qualifies(
                    accepted: e.result == AuditEvent.Result.accepted.rawValue, format: e.format, stateIsEmpty: e.state.isEmpty)
            else { continue }
            bindings.append(Binding(index: i, projectId: projectId, format: e.format, state: e.state))
        }
    }

    /// Whether each entry's content still hashes to its stored hash, computed on every core.
    func digestsHold() -> [Bool] {
        var holds = [Bool](repeating: false, count: count)
        let lanes = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let count = self.count
        let entries = self.entries
        holds.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                let digest = AuditEntryDigest()
                for i in (count * lane / lanes)..<(count * (lane + 1) / lanes) { out[i] = entries[i].holds(using: digest) }
            }
        }
        return holds
    }
}
