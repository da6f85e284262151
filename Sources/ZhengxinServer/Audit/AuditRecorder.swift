import Fluent
import Foundation
import ZhengxinCore
import ZhengxinCrypto

/// What happened, as the audit record keeps it.
struct AuditEvent: Sendable {
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
}

/// Appends to the hash-chained audit record. Call only inside a write transaction (the chain
/// head must not move underneath), so the entry commits or rolls back with the change it records.
enum AuditRecorder {
    static let genesis = String(repeating: "0", count: 64)

    @discardableResult
    static func append(_ event: AuditEvent, at now: Instant, on db: Database) async throws -> AuditEntryModel {
        let event = try await AuditConfidentiality.protect(event, on: db)
        let last = try await AuditEntryModel.query(on: db).sort(\.$seq, .descending).first()
        let entry = chained(event, at: now, id: UUID(), seq: (last?.seq ?? 0) + 1, after: last?.hash ?? genesis)
        try await entry.create(on: db)
        try await AuditAnchor.advance(toSeq: entry.seq, hash: entry.hash, on: db)
        return entry
    }

    /// The entry for `event` at position `seq`, chained to `previousHash` and hashed; not stored.
    /// seed-bench builds whole chains with it, so they are exactly what `append` would have written.
    static func chained(_ event: AuditEvent, at now: Instant, id: UUID, seq: Int64, after previousHash: String) -> AuditEntryModel {
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
        entry.violations = (try? RecordCoding.encode(event.violations)) ?? "[]"
        entry.clientAddress = event.clientAddress
        entry.prevHash = previousHash
        entry.hash = digest(entry)
        return entry
    }

    /// SM3 over every field in a fixed order, chained to the previous entry's hash: GB/T 39786-2021
    /// 8.1 asks for the integrity of audit records to be protected with an approved algorithm, and
    /// GB/T 22239-2019 8.1.4.3 for audit records protected against deletion and modification.
    /// `seq` overrides the entry's own (the verifier asks what the hash was before a renumbering).
    static func digest(_ e: AuditEntryModel, seq: Int64? = nil) -> String {
        let fields: [String] = [
            String(seq ?? e.seq), String(e.at), e.actorUserId?.uuidString ?? "", e.actorName, e.organisationId?.uuidString ?? "",
            e.organisationType, e.roles, e.action, e.projectId?.uuidString ?? "", e.result, e.summary, e.before, e.after,
            e.violations, e.clientAddress, e.prevHash,
        ]
        let canonical = fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
        return SM3.hex(canonical)
    }

    /// Walks the whole chain; names the first entry changed, removed or reordered, then checks the
    /// anchor (AuditAnchor) for entries cut off the end.
    /// A page at a time (AuditChainStream), so millions of entries verify in bounded memory.
    static func verify(on db: Database) async throws -> AuditChainReport {
        try await AuditChainStream.verify(on: db)
    }
}

/// Before/after summary of a project: the top-level fields that changed; for lists that only
/// grew, the count before and the items added.
enum AuditDiff {
    static func summarize(before: ProjectRecord?, after: ProjectRecord?) -> (before: String, after: String) {
        summarize(parsedBefore: dictionary(before), parsedAfter: dictionary(after))
    }

    /// The same from records parsed already (`dictionary`): a walk of many steps parses each version once.
    static func summarize(parsedBefore b: [String: Any], parsedAfter a: [String: Any]) -> (before: String, after: String) {
        var beforeOut: [String: Any] = [:]
        var afterOut: [String: Any] = [:]
        for key in Set(b.keys).union(a.keys).sorted() {
            let old = b[key]
            let new = a[key]
            if equal(old, new) { continue }
            if let oldList = old as? [Any], let newList = new as? [Any], newList.count > oldList.count,
               equal(oldList, Array(newList.prefix(oldList.count))) {
                beforeOut[key] = ["count": oldList.count]
                afterOut[key] = ["added": Array(newList.suffix(newList.count - oldList.count))]
            } else {
                beforeOut[key] = old ?? NSNull()
                afterOut[key] = new ?? NSNull()
            }
        }
        return (text(beforeOut), text(afterOut))
    }

    /// A record as the diff compares it: its stored JSON parsed, personal data masked.
    static func dictionary(_ record: ProjectRecord?) -> [String: Any] {
        guard let record, let json = try? RecordCoding.encode(record),
              var object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return [:] }
        AuditConfidentiality.maskPersonalData(&object)
        return object
    }

    /// Structural equality of parsed JSON, without serialising it again: this runs for every
    /// top-level field on every accepted action (issue 6 profile: serialising here was the write path's
    /// largest cost). Leaves compare by type and text, as their serialisations would.
    static func equal(_ a: Any?, _ b: Any?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (nil, _), (_, nil): return false
        case let (x as String, y as String): return x == y
        case let (x as [String: Any], y as [String: Any]):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { equal(value, $0) } ?? false }
        case let (x as [Any], y as [Any]):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (is [String: Any], _), (_, is [String: Any]), (is [Any], _), (_, is [Any]), (is String, _), (_, is String): return false
        default: return type(of: a!) == type(of: b!) && String(describing: a!) == String(describing: b!)
        }
    }

    private static func text(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
