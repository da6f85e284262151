import Dispatch
import Fluent
import Foundation
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
    }
    static let pageSize = 2_000

    static func standing(today: CivilDate, book: PolicyBook, onlyDue: Bool, on db: Database) async throws -> (visits: [Visit], standing: Standing) {
        var standing: Standing = [:]
        var visits: [Visit] = []
        // Due rows are found through the review-day index first, then read by id a page at a time.
        // Asked for both at once (review day ≤ today, ordered by id), SQLite walked the primary key
        // and looked at every row of the table: ~2 s at 100,000 projects for a few thousand due.
        let due = onlyDue ? try await dueIds(by: today, on: db) : nil
        var k = 0
        var current = try await page(0, after: nil, of: due, on: db)
        while let last = current.last?.id {
            k += 1
            let next = k
            async let upcoming = page(next, after: last, of: due, on: db)
            for lane in try deadlines(of: current, today: today, book: book) {
                for (key, value) in lane.found { standing[key] = value }
                visits += lane.visits
            }
            current = try await upcoming
        }
        return (visits, standing)
    }

    private static func columns(_ db: Database) -> QueryBuilder<ProjectModel> {
        ProjectModel.query(on: db).field(\.$id).field(\.$unitId).field(\.$record).field(\.$version).field(\.$updatedAt)
    }

    /// Page `k`: of the due projects `due`, or of every project (the one after `last`) when nil.
    private static func page(_ k: Int, after last: UUID?, of due: [UUID]?, on db: Database) async throws -> [ProjectModel] {
        guard let due else { return try await page(after: last, on: db) }
        let start = k * pageSize
        return start < due.count ? try await page(ids: Array(due[start..<min(due.count, start + pageSize)]), on: db) : []
    }

    /// Every project, in id order, a page after `id`.
    private static func page(after id: UUID?, on db: Database) async throws -> [ProjectModel] {
        let query = columns(db).sort(\.$id).limit(pageSize)
        if let id { query.filter(\.$id > id) }
        return try await query.all()
    }

    private static func page(ids: [UUID], on db: Database) async throws -> [ProjectModel] {
        try await columns(db).filter(\.$id ~~ ids).sort(\.$id).all()
    }

    /// The projects due for review by `day` ("" sorts before every date; NULL, never due, matches no comparison).
    private static func dueIds(by day: CivilDate, on db: Database) async throws -> [UUID] {
        // No ORDER BY: with one, SQLite would walk the primary key again instead of this index.
        try await ProjectModel.query(on: db).field(\.$id).filter(\.$deadlinesReviewOn <= day.description).all().map { try $0.requireID() }
    }

    /// Each lane's share of the page, decoded and scanned on its own core.
    private typealias Lane = (found: [(String, (UUID, UUID, Deadline))], visits: [Visit])

    private static func deadlines(of page: [ProjectModel], today: CivilDate, book: PolicyBook) throws -> [Lane] {
        let lanes = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var out = [Result<Lane, any Error>](repeating: .success(([], [])), count: lanes)
        out.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let results = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                results[lane] = Result {
                    var found: [(String, (UUID, UUID, Deadline))] = []
                    var visits: [Visit] = []
                    for i in stride(from: lane, to: page.count, by: lanes) {
                        let p = try page[i].decoded()
                        for d in DeadlineScan.deadlines(for: p, today: today, policy: book.governing(p, today: today)) {
                            found.append((DeadlineScanner.key(p.id, d), (p.id, p.unitId, d)))
                        }
                        visits.append(Visit(id: p.id, version: page[i].version, updatedAt: page[i].updatedAt,
                                            next: DeadlineHorizon.nextChange(for: p, today: today, book: book)))
                    }
                    return (found, visits)
                }
            }
        }
        return try out.map { try $0.get() }
    }
}
