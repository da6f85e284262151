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
        var last: AuditChainEntry?
        var page = try await self.page(after: nil, size: pageSize, on: db)
        while let tail = page.last {
            async let upcoming = self.page(after: tail.seq, size: pageSize, on: db)
            let holds = digestsHold(page)
            for (i, e) in page.enumerated() {
                if e.seq > expectedSeq { return report(.removed(from: expectedSeq, through: e.seq - 1)) }
                if e.seq < expectedSeq { return report(.changed(seq: e.seq)) }  // duplicate sequence number
                if e.prevHash != previousHash {
                    if try await AuditEntryModel.query(on: db).filter(\.$hash == e.prevHash).count() > 0 { return report(.reordered(seq: e.seq)) }
                    if let removed = AuditChainVerifier.renumberedDeletion(e, using: AuditEntryDigest()) { return report(.removed(from: e.seq, through: e.seq + removed - 1)) }
                    return report(.changed(seq: holds[i] ? e.seq - 1 : e.seq))
                }
                if !holds[i] { return report(.changed(seq: e.seq)) }
                previousHash = e.hash
                expectedSeq += 1
            }
            last = tail
            page = try await upcoming
        }
        return AuditChainReport(entries: total, problem: try await AuditAnchor.check(last: last.map(model), entries: total, on: db))
    }

    /// Read with SQLKit, not Fluent's model decoding (reflection per row was most of the walk's time).
    private static func page(after seq: Int64?, size: Int, on db: Database) async throws -> [AuditChainEntry] {
        if let rows = try await AuditEntryRows.page(after: seq ?? 0, size: size, on: db) { return rows }
        let sql = db as! any SQLDatabase
        let rows = try await sql.select().columns(AuditChainEntry.columns.map { SQLIdentifier($0) }).from(AuditEntryModel.schema)
            .where("seq", .greaterThan, seq ?? 0).orderBy("seq").limit(size).all()
        return try rows.map(entry)
    }

    private static func entry(_ row: any SQLRow) throws -> AuditChainEntry {
        func text(_ c: String) throws -> String { try row.decode(column: c, as: String.self) }
        func uuid(_ c: String) throws -> UUID? { try row.decode(column: c, as: UUID?.self) }
        return AuditChainEntry(seq: try row.decode(column: "seq", as: Int64.self), at: try row.decode(column: "at", as: Int64.self),
                               actorUserId: try uuid("actor_user_id"), actorName: try text("actor_name"),
                               organisationId: try uuid("organisation_id"), organisationType: try text("organisation_type"),
                               roles: try text("roles"), action: try text("action"), projectId: try uuid("project_id"),
                               result: try text("result"), summary: try text("summary"), before: try text("before"),
                               after: try text("after"), violations: try text("violations"), clientAddress: try text("client_address"),
                               prevHash: try text("prev_hash"), hash: try text("hash"))
    }

    /// The newest entry as the anchor check takes it (it reads the seq and the hash).
    private static func model(_ e: AuditChainEntry) -> AuditEntryModel {
        let m = AuditEntryModel()
        m.seq = e.seq
        m.hash = e.hash
        return m
    }

    /// Whether each entry's content still hashes to its stored hash, computed on every core.
    static func digestsHold(_ page: [AuditChainEntry]) -> [Bool] {
        var holds = [Bool](repeating: false, count: page.count)
        let lanes = max(1, ProcessInfo.processInfo.activeProcessorCount)
        holds.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let out = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                let digest = AuditEntryDigest()
                for i in stride(from: lane, to: page.count, by: lanes) { out[i] = page[i].holds(using: digest) }
            }
        }
        return holds
    }
}
