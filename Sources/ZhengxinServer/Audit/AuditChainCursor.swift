import Fluent

/// The audit chain head as the current write transaction has moved it (链头游标). Bound by
/// `Application.writeTransaction` for the length of one transaction: the first append reads the head
/// from the database, later appends in the same transaction chain to the entry before without reading
/// it back; the entries are inserted together (one multi-row INSERT) and the anchor (AuditAnchor) is
/// moved once, to the last entry, just before the commit. A group commit (GroupCommit) of many actions
/// thus costs one head read, one INSERT and one anchor move, not one of each per action. Nothing in a
/// write transaction reads audit_entries but the head, which comes from here. Outside a write
/// transaction (migrations, tests) there is no cursor and every append writes at once, as before.
final class AuditChainCursor: @unchecked Sendable {  // used by the one task that runs the transaction
    @TaskLocal static var current: AuditChainCursor?

    /// The newest entry this transaction appended, or nil before its first append.
    private(set) var head: AuditChainHead.Head?
    /// Entries appended in this transaction, not yet inserted.
    private var pending: [AuditEntryModel] = []
    /// Entries inserted by `settle`: appended to the record once the transaction commits (OperationsMetrics).
    private(set) var settled = 0

    /// The head the next append chains to: the last one appended here, else the stored one.
    func next(on db: Database) async throws -> AuditChainHead.Head? {
        if let head { return head }
        return try await AuditChainHead.read(on: db)
    }

    func append(_ entry: AuditEntryModel) {
        head = AuditChainHead.Head(seq: entry.seq, hash: entry.hash)
        pending.append(entry)
    }

    /// Inserts the entries appended and moves the anchor to the last; call inside the transaction, last.
    func settle(on db: Database) async throws {
        guard let last = pending.last else { return }
        try await BatchInsert.create(pending, on: db)
        try await AuditAnchor.advance(toSeq: last.seq, hash: last.hash, on: db)
        settled += pending.count
        pending = []
    }
}
