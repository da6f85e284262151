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
        let dueBy = onlyDue ? today : nil
        var page = try await self.page(after: nil, dueBy: dueBy, on: db)
        while let last = page.last?.id {
            async let upcoming = self.page(after: last, dueBy: dueBy, on: db)
            for lane in try deadlines(of: page, today: today, book: book) {
                for (key, value) in lane.found { standing[key] = value }
                visits += lane.visits
            }
            page = try await upcoming
        }
        return (visits, standing)
    }

    /// Only the columns the sweep needs; with `dueBy`, only rows due for review by that day ("" sorts
    /// before every date; NULL, never due, matches no comparison).
    private static func page(after id: UUID?, dueBy: CivilDate?, on db: Database) async throws -> [ProjectModel] {
        let query = ProjectModel.query(on: db).field(\.$id).field(\.$unitId).field(\.$record).field(\.$version).field(\.$updatedAt)
            .sort(\.$id).limit(pageSize)
        if let id { query.filter(\.$id > id) }
        if let dueBy { query.filter(\.$deadlinesReviewOn <= dueBy.description) }
        return try await query.all()
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
