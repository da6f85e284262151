import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinBench
@testable import ZhengxinServer

/// The incremental deadline scan (DeadlineReview, DeadlineHorizon) leaves exactly the reminders a
/// full scan would: after it, on every day of a range, a forced full scan finds nothing to raise
/// or resolve, over a portfolio walked through every stage, with writes in between.
@Suite("Incremental deadline scan")
struct IncrementalScanTests {
    static let start = CivilDate(2026, 11, 1)

    /// Days spread over deadlines of every kind: dense around the start, a year end (O&M fee year),
    /// 30 June (申报截止) and the months in between.
    static let days: [CivilDate] = [
        0, 1, 2, 5, 9, 16, 29, 30, 31, 45, 60, 61, 62, 75, 91, 120, 151, 181, 212, 240, 242, 270, 300, 365, 420, 500, 730,
    ]
    .map { start.addingDays($0) }

    @Test("incremental == full over a walked portfolio across a range of days", arguments: Backend.all)
    func sameAsFull(_ backend: Backend) async throws {
        let clock = TestClock(Instant(beijing: Self.start, hour: 1))
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: { clock.now }) { app in
                _ = try await BenchPortfolio.seed(app, projects: 160, seed: 11, units: 50, today: Self.start)
                // The seed stores the reminders and review days of a scan on its day, so the next scan
                // that day visits nothing, and a full one finds nothing to change.
                let first = try await DeadlineScanner.run(app)
                #expect(!first.full && first.projects == 0)
                let firstFull = try await DeadlineScanner.run(app, full: true)
                #expect(firstFull.projects == 160 && firstFull.raised == 0 && firstFull.resolved == 0)
                var visitedInTotal = 0
                for (i, day) in Self.days.enumerated() {
                    clock.set(day, hour: 2)
                    if i % 4 == 3 { try await writeOne(app, index: i) }
                    let incremental = try await DeadlineScanner.run(app)
                    #expect(!incremental.full, "\(day)")
                    // What waits on whom, kept by writes and these scans, is what the rules say today.
                    let (stored, judged) = try await Self.waiting(app, now: clock.now)
                    #expect(
                        !judged.isEmpty && stored == judged,
                        "\(day): \(stored.subtracting(judged)) stored, \(judged.subtracting(stored)) judged")
                    visitedInTotal += incremental.projects
                    let check = try await DeadlineScanner.run(app, full: true)
                    #expect(check.full && check.projects == 160)
                    #expect(
                        check.raised == 0 && check.resolved == 0,
                        "\(day): the full scan still found \(check.raised) to raise, \(check.resolved) to resolve")
                }
                #expect(visitedInTotal < 160 * Self.days.count / 2, "the incremental scans visited \(visitedInTotal)")
                #expect(try await AuditRecorder.verify(on: app.db).problem == nil)
                // Every review day, written, dated or never, is ten characters (rows overwritten in place).
                let days = try await ProjectRow.all(record: false, on: app.db).map(\.deadlinesReviewOn)
                #expect(days.allSatisfy { $0?.utf8.count == 10 })
                #expect(days.contains { $0 != DeadlineReview.written && $0 != DeadlineReview.never })

                // The migration to fixed width turns the old "" and NULL into `written` and `never`, and back.
                let sql = app.db as! any SQLDatabase
                let ids = try await ProjectRow.all(record: false, on: app.db).prefix(2).map(\.id)
                try await sql.raw("UPDATE projects SET deadlines_review_on = '' WHERE id = \(bind: ids[0])").run()
                try await sql.raw("UPDATE projects SET deadlines_review_on = NULL WHERE id = \(bind: ids[1])").run()
                try await FixedWidthReviewDays().prepare(on: app.db)
                #expect(try await ProjectRow.find(ids[0], on: app.db)?.deadlinesReviewOn == DeadlineReview.written)
                #expect(try await ProjectRow.find(ids[1], on: app.db)?.deadlinesReviewOn == DeadlineReview.never)
                try await FixedWidthReviewDays().revert(on: app.db)
                #expect(try await ProjectRow.find(ids[0], on: app.db)?.deadlinesReviewOn == "")
                #expect(try await ProjectRow.find(ids[1], on: app.db)?.deadlinesReviewOn == nil)
                try await FixedWidthReviewDays().prepare(on: app.db)
            }
        }
    }

    /// The stored waiting rows, and those the rules make of every project at `now`, as comparable text.
    static func waiting(_ app: Application, now: Instant) async throws -> (stored: Set<String>, judged: Set<String>) {
        let book = try await PolicyStore.book(on: app.db)
        var judged = Set<String>()
        for model in try await ProjectRow.all(on: app.db) {
            let record = try model.decoded()
            for row in ProjectWaitingRow.rows(record, policy: book.governing(record, today: now.beijingDate), now: now) {
                judged.insert(try describe(row.projectId, row.owner, row.organisation, row.line))
            }
        }
        var stored = Set<String>()
        let rows = try await PlainRows.all(
            SQLQueryString("SELECT project_id, owner_type, owner_org, line FROM project_waiting"), on: app.db)
        for r in rows {
            stored.insert(try describe(try r.uuid(0), try r.text(1), try r.text(2), try ProjectWaitingRow.line(try r.text(3))))
        }
        return (stored, judged)
    }

    private static func describe(_ id: UUID, _ owner: String, _ organisation: String, _ line: ProjectWaitingRow.Line) throws -> String {
        "\(id) \(owner) \(organisation) " + String(decoding: try RecordJSON.encode(line), as: UTF8.self)
    }

    @Test("a changed policy book, or a clock set back, makes the next scan full", arguments: Backend.all)
    func fallsBackToFull(_ backend: Backend) async throws {
        let clock = TestClock(Instant(beijing: Self.start, hour: 1))
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: { clock.now }) { app in
                _ = try await BenchPortfolio.seed(app, projects: 20, seed: 3, units: 50, today: Self.start)
                #expect(try await !DeadlineScanner.run(app).full)  // the seed remembers its scan
                #expect(try await DeadlineScanner.run(app, full: true).full)
                clock.set(Self.start.addingDays(1))
                #expect(try await !DeadlineScanner.run(app).full)
                clock.set(Self.start)
                #expect(try await DeadlineScanner.run(app).full)
                clock.set(Self.start.addingDays(2))
                #expect(try await !DeadlineScanner.run(app).full)
                var county = Policy.zhengzhou2020
                county.id = "test-county-2027"
                county.jurisdiction = "test-county"
                county.effectiveFrom = CivilDate(2027, 1, 1)
                let v = PolicyVersionModel()
                v.id = county.id
                v.jurisdiction = county.jurisdiction
                v.effectiveFrom = county.effectiveFrom.description
                v.record = try RecordJSON.text(county)
                try await v.create(on: app.db)
                let afterPolicy = try await DeadlineScanner.run(app)
                #expect(afterPolicy.full && afterPolicy.projects == 20)
            }
        }
    }

    /// An accepted action on a project in operation (登记共享信息使用情况反馈), as the server runs it.
    private func writeOne(_ app: Application, index: Int) async throws {
        let models = try await ProjectRow.read(where: "stage = \(bind: Stage.operating.rawValue)", order: "code", on: app.db)
        let records = try models.map { try $0.decoded() }.filter { !$0.sharing.activeEntries.isEmpty }
        guard !records.isEmpty else { return }
        let p = records[index % records.count]
        let unitUser = try #require(try await UserModel.query(on: app.db).filter(\.$organisation.$id == p.unitId).first())
        let actor = Actor(
            userId: unitUser.id!, displayName: unitUser.displayName, organisationId: p.unitId, organisationType: .unit, roles: [.staff])
        let body = try JSONSerialization.data(withJSONObject: [
            "entryCode": p.sharing.activeEntries[0].code, "usedOn": app.zhengxin.now().beijingDate.description,
            "consumer": "市医保局", "purpose": "核验", "outcome": "satisfied",
        ])
        _ = try await ProjectActionRunner.run(
            "record-sharing-feedback", on: p.id, by: actor, at: app.zhengxin.now(), client: "test", app: app
        ) {
            Lifecycle.perform(action: "record-sharing-feedback", body: body, on: $0, $1)!
        }
        #expect(try await ProjectRow.find(p.id, on: app.db)?.deadlinesReviewOn == DeadlineReview.written)
    }
}
