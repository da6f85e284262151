import Fluent
import Foundation
import ZhengxinCore
import ZhengxinCrypto

/// What happened, as the audit record keeps it.
package struct AuditEvent: Sendable {
    enum Result: String, Sendable { case accepted, refused, forbidden }

    var actor: Actor?
    var action: String
    var projectId: UUID?
    var result: Result
    var summary: String
    var before: String = "{}"
    var after: String = "{}"
    var violations: [Violation] = []
    var clientAddress: String
    /// Whether the event's texts quote a 涉密 project other than `projectId` (a plan naming one):
    /// such an event is sealed as that project's own entries are.
    var concernsClassified = false
    /// The violations as stored, when sealed (AuditConfidentiality.sealed); else they are encoded.
    var storedViolations: String? = nil
    /// An accepted event that wrote a project row: the SM3 of the row as written (ProjectStateDigest).
    package var state: String = ""
}

/// Appends to the hash-chained audit record. Call only inside a write transaction (the chain
/// head must not move underneath), so the entry commits or rolls back with the change it records.
package enum AuditRecorder {
    package static let genesis = String(repeating: "0", count: 64)

    @discardableResult
    static func append(_ event: AuditEvent, at now: Instant, on db: Database) async throws -> AuditEntryModel {
        try await append(protected: AuditConfidentiality.protect(event, on: db), at: now, on: db)
    }

    /// Appends an event already as it is to be stored (AuditConfidentiality.protect applied).
    @discardableResult
    static func append(protected event: AuditEvent, at now: Instant, on db: Database) async throws -> AuditEntryModel {
        let cursor = AuditChainCursor.current
        let last = if let cursor { try await cursor.next(on: db) } else { try await AuditChainHead.read(on: db) }
        let entry = chained(event, at: now, id: TimeOrderedUUID.now(), seq: (last?.seq ?? 0) + 1, after: last?.hash ?? genesis)
        if let cursor {
            cursor.append(entry)  // inserted with the transaction's others, and the anchor moved, just before the commit
        } else {
            try await BatchInsert.create(entry, on: db)
            try await AuditAnchor.advance(toSeq: entry.seq, hash: entry.hash, on: db)
        }
        return entry
    }

    /// The entry for `event` at position `seq`, chained to `previousHash` and hashed; not stored.
    /// zhengxin-bench builds whole chains with it, so they are exactly what `append` would have written.
    package static func chained(_ event: AuditEvent, at now: Instant, id: UUID, seq: Int64, after previousHash: String) -> AuditEntryModel {
        let entry = AuditEntryModel()
        entry.id = id
        entry.seq = seq
        entry.at = now.secondsSinceEpoch
        entry.actorUserId = event.actor?.userId
        entry.actorName = event.actor?.displayName ?? "系统"
        entry.organisationId = event.actor?.organisationId
        entry.organisationType = event.actor?.organisationType.rawValue ?? "SYSTEM"
        entry.roles = (event.actor?.roles.map(\.rawValue).sorted() ?? []).joined(separator: ",")
        entry.action = event.action
        entry.projectId = event.projectId
        entry.result = event.result.rawValue
        entry.summary = event.summary
        entry.before = event.before
        entry.after = event.after
        entry.violations = event.storedViolations ?? (try? RecordJSON.text(event.violations)) ?? "[]"
        entry.clientAddress = event.clientAddress
        entry.prevHash = previousHash
        entry.format = AuditEntryFormat.current
        entry.state = event.state
        entry.hash = digest(entry)
        return entry
    }

    /// SM3 over every field in a fixed order, chained to the previous entry's hash: GB/T 39786-2021
    /// 8.1 asks for the integrity of audit records to be protected with an approved algorithm, and
    /// GB/T 22239-2019 8.1.4.3 for audit records protected against deletion and modification.
    /// `seq` overrides the entry's own (the verifier asks what the hash was before a renumbering).
    /// The bytes hashed are `canonical(e)`; AuditEntryDigest feeds them without building it.
    static func digest(_ e: AuditEntryModel, seq: Int64? = nil) -> String {
        AuditEntryDigest().hex(e, seq: seq)
    }

    /// The canonical text of an entry: every field as `<UTF-8 length>:<text>`, joined by `|`; from
    /// format 2 on, followed by the format, the entry id and the project state (AuditEntryFormat).
    static func canonical(_ e: AuditEntryModel, seq: Int64? = nil) -> String {
        var fields: [String] = [
            String(seq ?? e.seq), String(e.at), e.actorUserId?.uuidString ?? "", e.actorName, e.organisationId?.uuidString ?? "",
            e.organisationType, e.roles, e.action, e.projectId?.uuidString ?? "", e.result, e.summary, e.before, e.after,
            e.violations, e.clientAddress, e.prevHash,
        ]
        let format = e.$format.value ?? AuditEntryFormat.original
        if format != AuditEntryFormat.original { fields += [String(format), e.id?.uuidString ?? "", e.$state.value ?? ""] }
        return fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
    }

    /// Walks the whole chain; names the first entry changed, removed or reordered, then checks the
    /// anchor (AuditAnchor) for entries cut off the end.
    /// A page at a time (AuditChainStream), so millions of entries verify in bounded memory.
    static func verify(on db: Database) async throws -> AuditChainReport {
        try await AuditChainStream.verify(on: db)
    }
}
