import Fluent
import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// Values kept under the audit chain head are exact: reused while the head stands still,
/// never under another head, never filed under an older one, and a list page or report read on one
/// server shows another server's write at its next read.
@Suite("Audit head cache")
struct AuditHeadCacheTests {
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func next() -> Int {
            lock.withLock {
                n += 1; return n
            }
        }
    }

    @Test("reused under the same head; computed again under a new seq, or the same seq with another hash; an older head files nothing")
    func headRules() async throws {
        let cache = AuditHeadCache()
        let counter = Counter()
        let (h1, h2) = (AuditHeadCache.Head(seq: 1, hash: "a"), AuditHeadCache.Head(seq: 2, hash: "b"))
        #expect(try await cache.value("k", at: h1) { counter.next() } == 1)
        #expect(try await cache.value("k", at: h1) { counter.next() } == 1)
        #expect(try await cache.value("k", at: h2) { counter.next() } == 2)
        #expect(try await cache.value("k", at: h2) { counter.next() } == 2)
        // A request that read the head before the write finishes later: its value is its own, not filed.
        #expect(try await cache.value("k", at: h1) { counter.next() } == 3)
        #expect(try await cache.value("k", at: h2) { counter.next() } == 2)
        // A database restored to another chain with the same seq.
        #expect(try await cache.value("k", at: AuditHeadCache.Head(seq: 2, hash: "c")) { counter.next() } == 4)
        // Different keys, different values; a value of another type under the key is not taken for it.
        #expect(try await cache.value("other", at: AuditHeadCache.Head(seq: 2, hash: "c")) { counter.next() } == 5)
        #expect(try await cache.value("k", at: AuditHeadCache.Head(seq: 2, hash: "c")) { "text" } == "text")
    }

    @Test("requests missing the same key under the same head at once compute it once; if that fails, each computes its own")
    func computedOnce() async throws {
        let cache = AuditHeadCache()
        let counter = Counter()
        let head = AuditHeadCache.Head(seq: 7, hash: "h")
        let values = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    try await cache.value("report", at: head) {
                        try await Task.sleep(for: .milliseconds(100)); return counter.next()
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(values == Array(repeating: 1, count: 16))
        // Another head is another computation; so is another key.
        #expect(try await cache.value("report", at: AuditHeadCache.Head(seq: 8, hash: "i")) { counter.next() } == 2)

        struct Failed: Error {}
        let failing = Counter()
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    (try? await cache.value("flaky", at: head) { () async throws -> Int in
                        let n = failing.next()
                        try await Task.sleep(for: .milliseconds(100))
                        if n == 1 { throw Failed() }
                        return n
                    }) != nil
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        // The first computation failed for its own request only; the others got a value.
        #expect(outcomes.filter { !$0 }.count == 1 && outcomes.filter { $0 }.count == 3)
    }

    @Test("past its byte budget the cache starts again instead of growing")
    func budget() async throws {
        let cache = AuditHeadCache()
        let head = AuditHeadCache.Head(seq: 1, hash: "a")
        for i in 0..<10 {
            _ = try await cache.value("k\(i)", at: head, bytes: { _ in AuditHeadCache.byteBudget / 4 }) { i }
        }
        #expect(cache.entries <= 4)
    }

    static func listAPI(_ actor: Actor, _ app: Application, _ parameters: String) async throws -> (ids: Set<UUID>, total: Int) {
        let req = Request(application: app, method: .GET, url: URI(string: "/api/v1/projects?" + parameters), on: app.eventLoopGroup.next())
        req.auth.login(AuthenticatedUser(actor: actor, username: "test"))
        let response = try await ProjectController().list(req)
        let rows = try JSONDecoder().decode([ProjectSummary].self, from: Data(buffer: try #require(response.body.buffer)))
        return (Set(rows.map(\.id)), Int(response.headers.first(name: "X-Total-Count") ?? "") ?? -1)
    }

    static func reportTotal(_ actor: Actor, _ app: Application) async throws -> Int {
        try await PortfolioQuery(actor: actor, filter: .init(), db: app.db, cache: AuditHeadCache.of(app)).report(of: .stage).total.projects
    }

    @Test("a list page and the report read on one server show the other server's new project at the next read", arguments: Backend.all)
    func otherServersWrite(_ backend: Backend) async throws {
        try await ReadPathCacheTests.twoServers(backend) { a, b, unit, drc in
            let before = try await Self.listAPI(drc, b, "stage=draft&perPage=200")
            #expect(try await Self.listAPI(drc, b, "stage=draft&perPage=200").ids == before.ids)
            #expect(AuditHeadCache.of(b).entries == 0)  // a list keeps nothing between requests
            let unitBefore = try await Self.listAPI(unit, b, "stage=draft&perPage=200")
            let reportBefore = try await Self.reportTotal(drc, b)
            let draft = ProjectDraft(
                name: "政务外网扩容", source: .unitDeclaration, planYear: 2027, category: .network,
                totalInvestmentFen: 2_000_000_00, content: "扩容", goals: "稳定")
            let created = try await ProjectDeclaration.create(draft, by: unit, at: SeedBenchTests.now(), client: "a", app: a)
            let after = try await Self.listAPI(drc, b, "stage=draft&perPage=200")
            #expect(after.ids == before.ids.union([created.record.id]))
            #expect(after.total == before.total + 1)
            #expect(try await Self.listAPI(unit, b, "stage=draft&perPage=200").total == unitBefore.total + 1)
            #expect(try await Self.reportTotal(drc, b) == reportBefore + 1)
            #expect(try await Self.reportTotal(drc, a) == reportBefore + 1)
        }
    }

    static func reportBody(_ actor: Actor, _ app: Application) async throws -> String {
        let req = Request(application: app, method: .GET, url: URI(string: "/reports"), on: app.eventLoopGroup.next())
        return try await ReportPages.body(PortfolioQuery(actor: actor, filter: .init(), db: app.db, cache: AuditHeadCache.of(app)), req)
    }

    /// The 项目数 figure of a rendered report page.
    static func projectsFigure(_ html: String) throws -> Int {
        let marker = try #require(html.range(of: "<span class=\"figure-value\">"))
        return try #require(Int(html[marker.upperBound...].prefix { $0.isNumber }))
    }

    @Test(
        "the rendered report page follows the other server's write, and a unit renamed without any write shows at once",
        arguments: Backend.all)
    func reportPage(_ backend: Backend) async throws {
        try await ReadPathCacheTests.twoServers(backend) { a, b, unit, drc in
            let before = try Self.projectsFigure(try await Self.reportBody(drc, b))
            #expect(try Self.projectsFigure(try await Self.reportBody(drc, b)) == before)
            let draft = ProjectDraft(
                name: "政务外网扩容", source: .unitDeclaration, planYear: 2027, category: .network,
                totalInvestmentFen: 2_000_000_00, content: "扩容", goals: "稳定")
            _ = try await ProjectDeclaration.create(draft, by: unit, at: SeedBenchTests.now(), client: "a", app: a)
            #expect(try Self.projectsFigure(try await Self.reportBody(drc, b)) == before + 1)
            let organisation = try #require(try await OrganisationModel.find(unit.organisationId, on: a.db))
            organisation.name = "郑州市改名后的单位"
            try await organisation.save(on: a.db)
            #expect(try await Self.reportBody(drc, b).contains("郑州市改名后的单位"))
        }
    }

    @Test("a list page is per caller: a unit never gets an agency's rows", arguments: Backend.all)
    func perCaller(_ backend: Backend) async throws {
        try await ReadPathCacheTests.twoServers(backend) { _, b, unit, drc in
            let all = try await Self.listAPI(drc, b, "perPage=200")
            let own = try await Self.listAPI(unit, b, "perPage=200")
            #expect(own.total < all.total)
            let units = Set(try await ProjectRow.all(own.ids, record: false, on: b.db).map(\.unitId))
            #expect(units == [unit.organisationId])
        }
    }
}
