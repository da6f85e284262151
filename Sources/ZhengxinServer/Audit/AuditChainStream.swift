import Dispatch
import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit

/// The audit-chain walk of `AuditChainVerifier.check`, a page at a time: millions of entries
/// neither sit in memory at once nor wait for one core. Each page's SM3 digests are computed on
/// every core while the next page is read; the links are then checked in order. The verdicts are
/// the same as the whole-array check (a hash looked up in the database stands in for the set of
/// all hashes), so `zhengxin audit-verify` scales to millions of entries (docs/performance.md).
enum AuditChainStream {
    static let pageSize = 20_000

    static func verify(on db: Database, pageSize: Int = pageSize) async throws -> AuditChainReport {
        let total = try await AuditEntryModel.query(on: db).count()
        let report = { (p: AuditChainReport.Problem) in AuditChainReport(entries: total, problem: p) }
        let pages = try await Pages(on: db, size: pageSize)
        var expectedSeq: Int64 = 1
        var last: (seq: Int64, hash: String)?
        var states: [UUID: ProjectStateCheck.Last] = [:]
        var page = try await pages.next()
        while page.count > 0 {
            async let upcoming = pages.next()
            let current = page
            let holds = try await EveryCore.offLoop { current.digestsHold() }
            for (i, seq) in page.seqs.enumerated() {
                if seq > expectedSeq { return report(.removed(from: expectedSeq, through: seq - 1)) }
                if seq < expectedSeq { return report(.changed(seq: seq)) }  // duplicate sequence number
                if !page.linked[i] {
                    let e = try await entry(seq, on: db)
                    if try await AuditEntryModel.query(on: db).filter(\.$hash == e.prevHash).count() > 0 {
                        return report(.reordered(seq: seq))
                    }
                    if let removed = AuditChainVerifier.renumberedDeletion(e, using: AuditEntryDigest()) {
                        return report(.removed(from: seq, through: seq + removed - 1))
                    }
                    return report(.changed(seq: holds[i] ? seq - 1 : seq))
                }
                if !holds[i] { return report(.changed(seq: seq)) }
                expectedSeq += 1
            }
            for b in page.bindings { states[b.projectId] = .init(seq: page.seqs[b.index], format: b.format, state: b.state) }
            last = (page.seqs[page.count - 1], page.lastHash)
            page = try await upcoming
        }
        if let problem = try await AuditAnchor.check(last: last.map(model), entries: total, on: db) { return report(problem) }
        let projects = try await ProjectStateCheck.check(states, walkedThrough: last?.seq ?? 0, on: db)
        if !projects.findings.isEmpty {
            return AuditChainReport(entries: total, problem: .projectStates(projects.findings), projects: projects)
        }
        // The reports' figures come from the tallies, not the bound rows: they must add up to the rows.
        let drift = try await ProjectTallies.drift(on: db).count
        if drift > 0 { return AuditChainReport(entries: total, problem: .talliesDiffer(rows: drift), projects: projects) }
        // The inbox and overdue counts come from the reminder tallies: they must add up to the marks.
        let marks = try await ReminderTallies.drift(on: db)
        if marks > 0 { return AuditChainReport(entries: total, problem: .reminderTalliesDiffer(rows: marks), projects: projects) }
        // The 风险等级 counts come from the risk tallies: they must add up to the ratings.
        let risks = try await RiskTallies.drift(on: db)
        if risks > 0 { return AuditChainReport(entries: total, problem: .riskTalliesDiffer(rows: risks), projects: projects) }
        // The list's overdue filter and its count come from the overdue counts: they must match the marks.
        let overdue = try await OverdueMarks.drift(on: db)
        if overdue > 0 { return AuditChainReport(entries: total, problem: .overdueMarksDiffer(rows: overdue), projects: projects) }
        // The units' sharing figures come from project_sharing: each row must be what its project's record makes.
        let sharing = projects.sharingDiffering + (try await ProjectSharingCheck.orphans(on: db))
        if sharing > 0 { return AuditChainReport(entries: total, problem: .sharingDiffers(rows: sharing), projects: projects) }
        // 查重 reads project_review_texts: each row must be what its project's record makes.
        let texts = projects.reviewTextsDiffering + (try await ProjectReviewText.orphans(on: db))
        if texts > 0 { return AuditChainReport(entries: total, problem: .reviewTextsDiffer(rows: texts), projects: projects) }
        // A vendor's reach comes from project_parties: each row must be a contract its project's record names, and each such contract a row.
        let parties = projects.partiesDiffering
        return AuditChainReport(entries: total, problem: parties == 0 ? nil : .partiesDiffer(rows: parties), projects: projects)
    }

    /// The pages in order: straight from the SQLite file when there is one, else a query per page.
    private final class Pages: @unchecked Sendable {  // one page at a time: the walk awaits each before asking again
        let db: Database
        let size: Int
        let scan: AuditChainSQLiteScan?
        var afterSeq: Int64 = 0
        var tail = AuditRecorder.genesis

        init(on db: Database, size: Int) async throws {
            self.db = db
            self.size = size
            if let sqlite = db as? any SQLiteDatabase { scan = try await AuditChainSQLiteScan.open(on: sqlite) } else { scan = nil }
        }

        func next() async throws -> AuditChainPage {
            if let scan { return try scan.next(size: size) }
            let entries = try await page(after: afterSeq, size: size, on: db)
            let page = AuditChainPage(entries, after: tail)
            afterSeq = entries.last?.seq ?? afterSeq
            tail = page.lastHash
            return page
        }
    }

    /// The entry at `seq` as stored, where the chain breaks.
    private static func entry(_ seq: Int64, on db: Database) async throws -> AuditChainEntry {
        guard let e = try await page(after: seq - 1, size: 1, on: db).first else {
            throw AuditChainSQLiteScan.Failure(description: "审计记录第\(seq)条读取失败")
        }
        return e
    }

    fileprivate static func page(after seq: Int64?, size: Int, on db: Database) async throws -> [AuditChainEntry] {
        try await AuditEntryRows.page(after: seq ?? 0, size: size, on: db)
    }

    /// The newest entry as the anchor check takes it (it reads the seq and the hash).
    private static func model(_ last: (seq: Int64, hash: String)) -> AuditEntryModel {
        let m = AuditEntryModel()
        m.seq = last.seq
        m.hash = last.hash
        return m
    }
}
