import Dispatch
import Fluent
import Foundation
import ZhengxinCore

/// The reading half of the deadline scan: every project's deadlines today, keyed as reminders
/// are. Projects are read a page at a time and decoded on every core, outside the write lock, so
/// a scan of 100,000 projects neither holds them all in memory nor stops actions meanwhile.
enum DeadlineSweep {
    typealias Standing = [String: (projectId: UUID, unitId: UUID, deadline: Deadline)]
    static let pageSize = 2_000

    static func standing(today: CivilDate, book: PolicyBook, on db: Database) async throws -> (projects: Int, standing: Standing) {
        var standing: Standing = [:]
        var projects = 0
        var page = try await self.page(after: nil, on: db)
        while let last = page.last?.id {
            async let upcoming = self.page(after: last, on: db)
            for lane in try deadlines(of: page, today: today, book: book) {
                for (key, value) in lane { standing[key] = value }
            }
            projects += page.count
            page = try await upcoming
        }
        return (projects, standing)
    }

    private static func page(after id: UUID?, on db: Database) async throws -> [ProjectModel] {
        let query = ProjectModel.query(on: db).sort(\.$id).limit(pageSize)
        if let id { query.filter(\.$id > id) }
        return try await query.all()
    }

    /// Each lane's share of the page, decoded and scanned on its own core.
    private static func deadlines(of page: [ProjectModel], today: CivilDate, book: PolicyBook) throws -> [[(String, (UUID, UUID, Deadline))]] {
        let lanes = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var out = [Result<[(String, (UUID, UUID, Deadline))], any Error>](repeating: .success([]), count: lanes)
        out.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let results = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                results[lane] = Result {
                    var found: [(String, (UUID, UUID, Deadline))] = []
                    for i in stride(from: lane, to: page.count, by: lanes) {
                        let p = try page[i].decoded()
                        for d in DeadlineScan.deadlines(for: p, today: today, policy: book.governing(p, today: today)) {
                            found.append((DeadlineScanner.key(p.id, d), (p.id, p.unitId, d)))
                        }
                    }
                    return found
                }
            }
        }
        return try out.map { try $0.get() }
    }
}
