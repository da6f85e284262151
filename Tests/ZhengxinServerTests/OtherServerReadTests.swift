import Fluent
import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// A list page or report read on one server shows another server's write at its next read: nothing
/// read is kept between requests.
@Suite("Reads follow another server's writes")
struct OtherServerReadTests {
    static func listAPI(_ actor: Actor, _ app: Application, _ parameters: String) async throws -> (ids: Set<UUID>, total: Int) {
        let req = Request(application: app, method: .GET, url: URI(string: "/api/v1/projects?" + parameters), on: app.eventLoopGroup.next())
        req.auth.login(AuthenticatedUser(actor: actor, username: "test"))
        let response = try await ProjectController().list(req)
        let rows = try JSONDecoder().decode([ProjectSummary].self, from: Data(buffer: try #require(response.body.buffer)))
        return (Set(rows.map(\.id)), Int(response.headers.first(name: "X-Total-Count") ?? "") ?? -1)
    }

    static func reportTotal(_ actor: Actor, _ app: Application) async throws -> Int {
        try await PortfolioQuery(actor: actor, filter: .init(), db: app.db).report(of: .stage).total.projects
    }

    @Test("a list page and the report read on one server show the other server's new project at the next read", arguments: Backend.all)
    func otherServersWrite(_ backend: Backend) async throws {
        try await ReadPathCacheTests.twoServers(backend) { a, b, unit, drc in
            let before = try await Self.listAPI(drc, b, "stage=draft&perPage=200")
            #expect(try await Self.listAPI(drc, b, "stage=draft&perPage=200").ids == before.ids)
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
        return try await ReportPages.body(PortfolioQuery(actor: actor, filter: .init(), db: app.db), req)
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
