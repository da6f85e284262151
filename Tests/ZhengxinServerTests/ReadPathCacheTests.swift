import Fluent
import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinBench
@testable import ZhengxinServer

/// What the read path keeps between requests stays exact: 涉密 records opened once per
/// stored version and the decoded policy book follow a write made by ANOTHER server on the same
/// database at once; the idle clock is written at most once a minute and the 30-minute rule holds
/// to within that minute, ending early, never late.
@Suite("Read path caches")
struct ReadPathCacheTests {
    static func actor(_ username: String, on db: Database) async throws -> Actor {
        let user = try #require(try await UserModel.query(on: db).with(\.$organisation).filter(\.$username == username).first())
        return try ActorLoader.actor(for: user)
    }

    static func listed(_ actor: Actor, _ app: Application) async throws -> [UUID: String] {
        let req = Request(application: app, on: app.eventLoopGroup.next())
        let page = try await ProjectListing.page(ProjectListQuery(), for: actor, on: req)
        return Dictionary(uniqueKeysWithValues: page.rows.map { ($0.project.id, $0.name) })
    }

    /// Two servers (applications) on one database holding a seeded portfolio, with a unit and DRC.
    static func twoServers(
        _ backend: Backend, _ body: @escaping (_ a: Application, _ b: Application, _ unit: Actor, _ drc: Actor) async throws -> Void
    ) async throws {
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: SeedBenchTests.now) { a in
                _ = try await BenchPortfolio.seed(a, projects: 20, seed: 5, units: 3, today: SeedBenchTests.today)
                try await shared.app(now: SeedBenchTests.now) { b in
                    try await body(a, b, try await actor("unit03", on: a.db), try await actor("drc", on: a.db))
                }
            }
        }
    }

    static func total(_ actor: Actor, _ app: Application, _ query: ProjectListQuery = ProjectListQuery()) async throws -> Int {
        let req = Request(application: app, on: app.eventLoopGroup.next())
        return try await ProjectListing.page(query, for: actor, on: req).total
    }

    @Test(
        "each server's new projects show in the other's list totals at once",
        arguments: Backend.all)
    func listTotalsFollowWrites(_ backend: Backend) async throws {
        try await Self.twoServers(backend) { a, b, unit, drc in
            var drafts = ProjectListQuery()
            drafts.stage = .draft
            let (all, unitOwn, draftCount) = (
                try await Self.total(drc, b), try await Self.total(unit, b), try await Self.total(drc, b, drafts)
            )
            #expect(try await Self.total(drc, b) == all)  // counted again or not, the same
            let draft = ProjectDraft(
                name: "政务外网扩容", source: .unitDeclaration, planYear: 2027, category: .network,
                totalInvestmentFen: 2_000_000_00, content: "扩容", goals: "稳定")
            let created = try await ProjectDeclaration.create(draft, by: unit, at: SeedBenchTests.now(), client: "a", app: a)
            #expect(try await Self.total(drc, b) == all + 1)
            #expect(try await Self.total(unit, b) == unitOwn + 1)
            #expect(try await Self.total(drc, b, drafts) == draftCount + 1)
            #expect(created.record.stage == .draft)
            _ = try await ProjectDeclaration.create(draft, by: unit, at: SeedBenchTests.now(), client: "b", app: b)
            #expect(try await Self.total(drc, a, drafts) == draftCount + 2)
            #expect(try await Self.total(drc, b, drafts) == draftCount + 2)
            #expect(try await Self.total(drc, b) == all + 2)
        }
    }

    @Test("a 涉密 grant and a policy version written by one server are seen by the other at its next read", arguments: Backend.all)
    func otherServersWrites(_ backend: Backend) async throws {
        try await Self.twoServers(backend) { a, b, unit, drc in
            let draft = ProjectDraft(
                name: "保密通信专网改造", source: .unitDeclaration, planYear: 2027, category: .network,
                totalInvestmentFen: 3_000_000_00, content: "专网改造", goals: "安全可靠", classified: true)
            let created = try await ProjectDeclaration.create(draft, by: unit, at: SeedBenchTests.now(), client: "a", app: a)
            let id = created.record.id
            // Server b opens the 涉密 records in drc's reach: drc is not named on this one.
            #expect(try await Self.listed(drc, b)[id] == nil)
            #expect(ClassifiedRecords.of(b).openedCount >= 1)
            #expect(try await Self.listed(unit, b)[id] == "保密通信专网改造")
            // Server a names drc on it; b's next list shows it with its real name.
            let grant = try JSONSerialization.data(withJSONObject: ["userId": drc.userId.uuidString])
            _ = try await ProjectActionRunner.run(
                "grant-classified-access", on: id, by: unit, at: SeedBenchTests.now(), client: "a", app: a
            ) {
                Lifecycle.perform(action: "grant-classified-access", body: grant, on: $0, $1)!
            }
            #expect(try await Self.listed(drc, b)[id] == "保密通信专网改造")
            #expect(try await Self.listed(drc, a)[id] == "保密通信专网改造")

            // A policy version stored through server a is in server b's book at its next read.
            let before = try await PolicyStore.book(on: b.db)
            var county = Policy.zhengzhou2020
            (county.id, county.title, county.jurisdiction) = ("zhongmu-2026", "中牟县政务信息化项目管理办法", "zhongmu")
            try await PolicyVersionModel(county).create(on: a.db)
            let after = try await PolicyStore.book(on: b.db)
            #expect(before.version(id: "zhongmu-2026") == nil)
            #expect(after.version(id: "zhongmu-2026")?.title == "中牟县政务信息化项目管理办法")
        }
    }

    @Test("the idle clock is written at most once a minute; the 30-minute rule holds to within it", arguments: Backend.all)
    func idleClockGranularity(_ backend: Backend) async throws {
        try await TestWorld.with(backend, authentication: AuthenticationSettings(idleTimeoutSeconds: 1800)) { world in
            // The harness logged everyone in at 10:00:00.
            func lastSeen() async throws -> Int64? {
                let unitA = try #require(try await UserModel.query(on: world.app.db).filter(\.$username == "unitA").first())
                return try await SessionTokenModel.query(on: world.app.db).filter(\.$user.$id == unitA.id!).all().compactMap(\.lastSeenAt)
                    .max()
            }
            let login = try #require(try await lastSeen())
            world.clock.set(CivilDate(2026, 3, 2), hour: 10, minute: 0, second: 59)
            #expect(try await world.call(.GET, "/api/v1/me", as: "unitA").status == .ok)
            #expect(try await lastSeen() == login, "a use within the minute writes nothing")
            world.clock.set(CivilDate(2026, 3, 2), hour: 10, minute: 1, second: 0)
            #expect(try await world.call(.GET, "/api/v1/me", as: "unitA").status == .ok)
            #expect(try await lastSeen() == login + 60)
            // Last recorded 10:01:00 (the use at 10:01:30 is within its minute): 10:31:00 still works, 10:31:01 does not.
            world.clock.set(CivilDate(2026, 3, 2), hour: 10, minute: 1, second: 30)
            #expect(try await world.call(.GET, "/api/v1/me", as: "unitA").status == .ok)
            world.clock.set(CivilDate(2026, 3, 2), hour: 10, minute: 31, second: 1)
            #expect(try await world.call(.GET, "/api/v1/me", as: "unitA").status == .unauthorized)
        }
    }
}
