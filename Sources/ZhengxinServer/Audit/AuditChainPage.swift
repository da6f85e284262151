import Dispatch
import Foundation

/// One page of the audit chain as the walk (AuditChainStream) checks it: each entry's seq, whether
/// its prev_hash is the hash of the entry read before it, and what its SM3 is computed over.
/// Entries come either decoded (AuditChainEntry, any database) or as the canonical bytes written
/// straight from SQLite's columns (AuditChainSQLiteScan), which the digests then hash as they stand.
struct AuditChainPage: @unchecked Sendable {
    /// Where an entry's canonical text and stored hash sit in `arena`.
    struct Slot {
        var canonical: Range<Int>
        var hash: Range<Int>
    }

    enum Content {
        case entries([AuditChainEntry])
        case canonical(arena: [UInt8], slots: [Slot])
    }

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
    var content: Content
    /// The hash stored in the page's last entry.
    var lastHash: String

    var count: Int { seqs.count }

    /// A page of decoded entries, the first chained after `previousHash`.
    init(_ entries: [AuditChainEntry], after previousHash: String) {
        seqs = entries.map(\.seq)
        linked = entries.indices.map { i in entries[i].prevHash == (i == 0 ? previousHash : entries[i - 1].hash) }
        content = .entries(entries)
        lastHash = entries.last?.hash ?? previousHash
        for (i, e) in entries.enumerated() {
            guard let projectId = e.projectId,
                Binding.qualifies(
                    accepted: e.result == AuditEvent.Result.accepted.rawValue, format: e.format, stateIsEmpty: e.state.isEmpty)
            else { continue }
            bindings.append(Binding(index: i, projectId: projectId, format: e.format, state: e.state))
        }
    }

    init(seqs: [Int64], linked: [Bool], arena: [UInt8], slots: [Slot], lastHash: String, bindings: [Binding]) {
        self.bindings = bindings
        self.seqs = seqs
        self.linked = linked
        self.content = .canonical(arena: arena, slots: slots)
        self.lastHash = lastHash
    }

    /// Whether each entry's content still hashes to its stored hash, computed on every core.
    func digestsHold() -> [Bool] {
        var holds = [Bool](repeating: false, count: count)
        let lanes = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let count = self.count
        let content = self.content
        holds.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                let digest = AuditEntryDigest()
                // Contiguous halves, not interleaved: each lane walks its own part of the arena.
                let range = (count * lane / lanes)..<(count * (lane + 1) / lanes)
                switch content {
                case .entries(let entries):
                    for i in range { out[i] = entries[i].holds(using: digest) }
                case .canonical(let arena, let slots):
                    arena.withUnsafeBytes { bytes in
                        for i in range {
                            out[i] = digest.matches(
                                canonical: UnsafeRawBufferPointer(rebasing: bytes[slots[i].canonical]),
                                hex: UnsafeRawBufferPointer(rebasing: bytes[slots[i].hash]))
                        }
                    }
                }
            }
        }
        return holds
    }
}
