import Dispatch
import Fluent
import Foundation
import SQLKit

/// The audit-chain walk of `AuditChainVerifier.check`, a page at a time: millions of entries
/// neither sit in memory at once nor wait for one core. Each page's SM3 digests are computed on
/// every core while the next page is read; the links are then checked in order. The verdicts are
/// the same as the whole-array check (a hash looked up in the database stands in for the set of
/// all hashes), so `zhengxin audit-verify` scales to the 2,000,000 entries of issue 6.
enum AuditChainStream {
    static let pageSize = 20_000

    static func verify(on db: Database, pageSize: Int = pageSize) async throws -> AuditChainReport {
        let total = try await AuditEntryModel.query(on: db).count()
        let report = { (p: AuditChainReport.Problem) in AuditChainReport(entries: total, problem: p) }
        var previousHash = AuditRecorder.genesis
        var expectedSeq: Int64 = 1
        var last: AuditEntryModel?
        var page = try await self.page(after: nil, size: pageSize, on: db)
        while let tail = page.last {
            async let upcoming = self.page(after: tail.seq, size: pageSize, on: db)
            let holds = digestsHold(page)
            for (i, e) in page.enumerated() {
                if e.seq > expectedSeq { return report(.removed(from: expectedSeq, through: e.seq - 1)) }
                if e.seq < expectedSeq { return report(.changed(seq: e.seq)) }  // duplicate sequence number
                if e.prevHash != previousHash {
                    if try await AuditEntryModel.query(on: db).filter(\.$hash == e.prevHash).count() > 0 { return report(.reordered(seq: e.seq)) }
                    if let removed = AuditChainVerifier.renumberedDeletion(e) { return report(.removed(from: e.seq, through: e.seq + removed - 1)) }
                    return report(.changed(seq: holds[i] ? e.seq - 1 : e.seq))
                }
                if !holds[i] { return report(.changed(seq: e.seq)) }
                previousHash = e.hash
                expectedSeq += 1
            }
            last = tail
            page = try await upcoming
        }
        return AuditChainReport(entries: total, problem: try await AuditAnchor.check(last: last, entries: total, on: db))
    }

    /// Read with SQLKit, not Fluent's model decoding (reflection per row was most of the walk's time).
    private static func page(after seq: Int64?, size: Int, on db: Database) async throws -> [AuditEntryModel] {
        if let rows = try await AuditEntryRows.page(after: seq ?? 0, size: size, columns: columns, on: db) { return rows }
        let sql = db as! any SQLDatabase
        let rows = try await sql.select().columns(columns.map { SQLIdentifier($0) }).from(AuditEntryModel.schema)
            .where("seq", .greaterThan, seq ?? 0).orderBy("seq").limit(size).all()
        return try rows.map(entry)
    }

    static let columns = ["id", "seq", "at", "actor_user_id", "actor_name", "organisation_id", "organisation_type", "roles", "action",
                          "project_id", "result", "summary", "before", "after", "violations", "client_address", "prev_hash", "hash"]

    private static func entry(_ row: any SQLRow) throws -> AuditEntryModel {
        let e = AuditEntryModel()
        e.id = try row.decode(column: "id", as: UUID.self)
        e.seq = try row.decode(column: "seq", as: Int64.self)
        e.at = try row.decode(column: "at", as: Int64.self)
        e.actorUserId = try row.decode(column: "actor_user_id", as: UUID?.self)
        e.actorName = try row.decode(column: "actor_name", as: String.self)
        e.organisationId = try row.decode(column: "organisation_id", as: UUID?.self)
        e.organisationType = try row.decode(column: "organisation_type", as: String.self)
        e.roles = try row.decode(column: "roles", as: String.self)
        e.action = try row.decode(column: "action", as: String.self)
        e.projectId = try row.decode(column: "project_id", as: UUID?.self)
        e.result = try row.decode(column: "result", as: String.self)
        e.summary = try row.decode(column: "summary", as: String.self)
        e.before = try row.decode(column: "before", as: String.self)
        e.after = try row.decode(column: "after", as: String.self)
        e.violations = try row.decode(column: "violations", as: String.self)
        e.clientAddress = try row.decode(column: "client_address", as: String.self)
        e.prevHash = try row.decode(column: "prev_hash", as: String.self)
        e.hash = try row.decode(column: "hash", as: String.self)
        return e
    }

    /// Whether each entry's content still hashes to its stored hash, computed on every core.
    static func digestsHold(_ page: [AuditEntryModel]) -> [Bool] {
        var holds = [Bool](repeating: false, count: page.count)
        let lanes = max(1, ProcessInfo.processInfo.activeProcessorCount)
        holds.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                let digest = AuditEntryDigest()
                for i in stride(from: lane, to: page.count, by: lanes) { out[i] = digest.hex(page[i]) == page[i].hash }
            }
        }
        return holds
    }
}
