import Dispatch
import Fluent
import Foundation
import SQLKit
import ZhengxinCore

/// The reading half of the deadline scan: the deadlines today of every project it visits (all of
/// them, or only those due for review, DeadlineReview), keyed as reminders are, and each one's next
/// review day. Projects are read a page at a time and decoded on every core, outside the write
/// lock, so a scan of 100,000 projects neither holds them all in memory nor stops actions meanwhile.
enum DeadlineSweep {
    typealias Standing = [String: (projectId: UUID, unitId: UUID, deadline: Deadline)]
    /// A project the sweep looked at, as it read it (version, write time) and when to look again.
    struct Visit: Sendable {
        var id: UUID
        var version: Int
        var updatedAt: Int64
        var next: CivilDate?
        /// Its 风险评级 today (ProjectRiskRow): time alone moves deadlines, and with them the rating.
        var risk: ProjectRiskRow
        /// What waits on whom today (ProjectWaitingRow): the conditions' dates are the horizon's.
        var waiting: [ProjectWaitingRow]
    }
    static let pageSize = 2_000

    static func standing(now: Instant, book: PolicyBook, onlyDue: Bool, on db: Database) async throws -> (
        visits: [Visit], standing: Standing
    ) {
        let today = now.beijingDate
        var standing: Standing = [:]
        var visits: [Visit] = []
        // Due rows are found through the review-day index first, then read by id a page at a time.
        // Asked for both at once (review day ≤ today, ordered by id), SQLite walks the primary key
        // and looks up every row of the table to test its review day.
        let due = onlyDue ? try await dueIds(by: today, on: db) : nil
        var k = 0
        var current = try await page(0, after: nil, of: due, on: db)
        while let last = current.last?.id {
            k += 1
            let next = k
            async let upcoming = page(next, after: last, of: due, on: db)
            for lane in try await onDispatchThreads(current, now: now, book: book) {
                for (key, value) in lane.found { standing[key] = value }
                visits += lane.visits
            }
            current = try await upcoming
        }
        return (visits, standing)
    }

    /// A project row as the sweep reads it: only the columns it needs, read with SQLKit (Fluent's
    /// reflective row filling was a large part of a scan).
    struct Row: Sendable {
        var id: UUID
        var record: String
        var version: Int
        var updatedAt: Int64
    }

    /// The rows passing `condition`, by id; the first `limit` of them when given.
    private static func rows(_ condition: SQLQueryString, limit: Int? = nil, on db: any Database) async throws -> [Row] {
        var query = "SELECT id, record, version, updated_at FROM projects WHERE " + condition + " ORDER BY id"
        if let limit { query += " LIMIT \(unsafeRaw: String(limit))" }
        return try await PlainRows.all(query, on: db).map { row in
            Row(id: try row.uuid(0), record: try row.text(1), version: try row.int(2), updatedAt: try row.int64(3))
        }
    }

    /// Page `k`: of the due projects `due`, or of every project (the one after `last`) when nil.
    private static func page(_ k: Int, after last: UUID?, of due: [UUID]?, on db: any Database) async throws -> [Row] {
        guard let due else {
            let after: SQLQueryString = last.map { "id > \(bind: $0)" } ?? "1 = 1"
            return try await rows(after, limit: pageSize, on: db)
        }
        let start = k * pageSize
        guard start < due.count else { return [] }
        return try await rows("id IN \(SQLBind.ids(due[start..<min(due.count, start + pageSize)]))", on: db)
    }

    /// The projects due for review by `day`, in id order (`DeadlineReview.written` sorts before every
    /// date, `never` after). No ORDER BY in the query: with one, SQLite walks the primary key.
    /// Each id's text is made once, not twice per comparison of the sort.
    /// Also those whose rating is due for review (a fund plan's lag, ProjectRiskRow.reviewOn) or
    /// that have no rating yet (stored by a path that does not rate), so every rating is today's.
    private static func dueIds(by day: CivilDate, on db: any Database) async throws -> [UUID] {
        let deadlines = try await PlainRows.all(
            SQLQueryString("SELECT id FROM projects WHERE deadlines_review_on <= \(bind: day.description)"), on: db)
        let risks = try await PlainRows.all(
            SQLQueryString(
                """
                SELECT project_id AS id FROM project_risks WHERE review_on <= \(bind: day.description)
                UNION SELECT id FROM projects WHERE NOT EXISTS (SELECT 1 FROM project_risks r WHERE r.project_id = projects.id)
                """), on: db)
        return try Set((deadlines + risks).map { try $0.uuid(0) }).map { id in
            (UUIDText.string(id), id)
        }
        .sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Each lane's share of the page, decoded and scanned on its own core.
    private typealias Lane = (found: [(String, (UUID, UUID, Deadline))], visits: [Visit])

    /// `deadlines` on dispatch's threads: its `concurrentPerform` holds the calling thread for the whole
    /// page, and a server's calling thread is an event loop, whose other connections would wait meanwhile.
    private static func onDispatchThreads(_ page: [Row], now: Instant, book: PolicyBook) async throws -> [Lane] {
        try await withCheckedThrowingContinuation { answer in
            DispatchQueue.global().async { answer.resume(with: Result { try deadlines(of: page, now: now, book: book) }) }
        }
    }

    private static func deadlines(of page: [Row], now: Instant, book: PolicyBook) throws -> [Lane] {
        let today = now.beijingDate
        let lanes = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var out = [Result<Lane, any Error>](repeating: .success(([], [])), count: lanes)
        out.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let results = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                results[lane] = Result {
                    var found: [(String, (UUID, UUID, Deadline))] = []
                    var visits: [Visit] = []
                    for i in stride(from: lane, to: page.count, by: lanes) {
                        let p = try ProjectRecordStorage.decode(page[i].record)
                        let policy = book.governing(p, today: today)
                        for var d in DeadlineScan.deadlines(for: p, today: today, policy: policy) {
                            // A 涉密 project's reminder may quote its record (a finding's description):
                            // stored sealed like the record, opened only for a reader named on it.
                            if p.classified { d.message = try AtRest.seal(d.message) }
                            found.append((DeadlineScanner.key(p.id, d), (p.id, p.unitId, d)))
                        }
                        visits.append(
                            Visit(
                                id: p.id, version: page[i].version, updatedAt: page[i].updatedAt,
                                next: DeadlineHorizon.nextChange(for: p, today: today, book: book),
                                risk: ProjectRiskRow(p, today: today, policy: policy),
                                waiting: ProjectWaitingRow.rows(p, policy: policy, now: now)))
                    }
                    return (found, visits)
                }
            }
        }
        return try out.map { try $0.get() }
    }
}
