import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// 风险评级 as stored (ProjectRiskStore): written in the transaction of every accepted action and
/// of the daily scan, a history row only when level or points move, and the ranked list and a
/// project's rating scoped exactly as the project list and the project.
@Suite("Risk ratings")
struct RiskRatingTests {
    /// The project's rating and history through the API.
    static func risk(_ world: TestWorld, _ id: String, as user: String = "drc") async throws -> JSONReply {
        try await world.call(.GET, "/api/v1/projects/\(id)/risk", as: user)
    }

    static func history(_ reply: JSONReply) -> [[String: Any]] { reply["history"] as? [[String: Any]] ?? [] }

    /// The stored row must be what the stored record rates today: both written by the one transaction.
    static func expectStoredMatchesRecord(_ world: TestWorld, _ id: String, sourceLocation: SourceLocation = #_sourceLocation) async throws
    {
        let projectId = try #require(UUID(uuidString: id))
        let row = try #require(
            try await PlainRows.all(
                SQLQueryString(
                    "SELECT r.level, r.points, p.record FROM project_risks r JOIN projects p ON p.id = r.project_id WHERE r.project_id = \(bind: projectId)"
                ), on: world.app.db
            ).first)
        let record = try ProjectRecordStorage.decode(try row.text(2))
        let today = world.clock.now.beijingDate
        let rating = RiskAssessment.rate(
            record, today: today, policy: try await PolicyStore.book(on: world.app.db).governing(record, today: today))
        #expect(try row.int(0) == rating.level, sourceLocation: sourceLocation)
        #expect(try row.int(1) == rating.points, sourceLocation: sourceLocation)
    }

    @Test("an action's rating is stored with it; history only when level or points move", arguments: Backend.all)
    func actionRating(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            let id = w.projectId
            let before = try await Self.risk(world, id)
            #expect(before.status == .ok)
            try await Self.expectStoredMatchesRecord(world, id)
            let firstHistory = Self.history(before)
            #expect(firstHistory.last?["cause"] as? String == "create")
            #expect(firstHistory.last?["fromLevel"] == nil)
            let points = try #require(before["points"] as? Int)

            // A finding open for rectification (第三十六条) adds a point: one history row, caused by the action.
            let deadline = world.clock.now.beijingDate.addingDays(60)
            try await world.must(
                id, "record-oversight", as: "drc", SupervisionTests.oversight(heldOn: w.today, deadline: deadline.description))
            let raised = try await Self.risk(world, id)
            try await Self.expectStoredMatchesRecord(world, id)
            #expect(try #require(raised["points"] as? Int) > points)
            let reasons = raised["reasons"] as? [[String: Any]] ?? []
            #expect(reasons.contains { $0["kind"] as? String == "openFinding" && $0["article"] as? String == "第三十六条" })
            let raisedHistory = Self.history(raised)
            #expect(raisedHistory.count == firstHistory.count + 1)
            #expect(raisedHistory.first?["cause"] as? String == "record-oversight")
            #expect(raisedHistory.first?["fromPoints"] as? Int == points)

            // The same facts rated again the same day (a full scan) add no row.
            _ = try await DeadlineScanner.run(world.app, full: true)
            #expect(Self.history(try await Self.risk(world, id)).count == raisedHistory.count)

            // Time alone: the day after the finding's deadline the incremental scan finds it overdue.
            world.clock.set(deadline.addingDays(1))
            let scan = try await DeadlineScanner.run(world.app)
            #expect(!scan.full)
            let overdue = try await Self.risk(world, id)
            try await Self.expectStoredMatchesRecord(world, id)
            #expect(try #require(overdue["points"] as? Int) > (raised["points"] as? Int ?? 0))
            #expect((overdue["reasons"] as? [[String: Any]] ?? []).contains { $0["kind"] as? String == "overdue" })
            #expect(Self.history(overdue).first?["cause"] as? String == "scan")
            #expect(overdue["ratedOn"] as? String == deadline.addingDays(1).description)
        }
    }

    /// A list page as `user`: its rows' project ids and `X-Total-Count`.
    static func list(_ world: TestWorld, _ query: String, as user: String) async throws -> (status: HTTPStatus, ids: [String], total: Int?)
    {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: world.tokens[user]!)
        let response = try await world.app.testing().sendRequest(.GET, "/api/v1/risks" + query, headers: headers)
        let rows = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [[String: Any]] ?? []
        return (
            response.status, rows.compactMap { $0["projectId"] as? String }, response.headers.first(name: "X-Total-Count").flatMap(Int.init)
        )
    }

    @Test("the ranked list is scoped as the project list: own unit, 涉密 only to those named", arguments: Backend.all)
    func listScoping(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let open = try await RefusalTests.constructing(world)
            var secret = Walk(world)
            try await secret.create(Walk.draft(name: "涉密专网", yuan: 1_000_000, extra: ["classified": true]))
            var other = Walk(world, unit: "unitB")
            try await other.create(Walk.draft(yuan: 1_000_000))
            let (a, s, b) = (open.projectId, secret.projectId, other.projectId)

            let drc = try await Self.list(world, "", as: "drc")
            #expect(drc.status == .ok)
            #expect(Set(drc.ids) == [a, b])
            #expect(drc.total == 2)
            let unitA = try await Self.list(world, "", as: "unitA")
            #expect(Set(unitA.ids) == [a, s])
            #expect(unitA.total == 2)
            let unitA2 = try await Self.list(world, "", as: "unitA2")
            #expect(unitA2.ids == [a])
            #expect(unitA2.total == 1)
            let unitB = try await Self.list(world, "", as: "unitB")
            #expect(unitB.ids == [b])
            // Another unit's filter names nothing the caller may not see.
            let unitBAsksA = try await Self.list(world, "?unitId=\(world.orgId(of: "unitA").uuidString)", as: "unitB")
            #expect(unitBAsksA.ids.isEmpty && unitBAsksA.total == 0)
            #expect(try await Self.list(world, "", as: "vendor").status == .forbidden)

            // Ranked: level then points descending.
            let rows = try await world.call(.GET, "/api/v1/risks", as: "drc").array.compactMap { $0 as? [String: Any] }
            let keys = rows.map { (($0["level"] as? Int) ?? 0, ($0["points"] as? Int) ?? 0) }
            #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 >= $1 })
            let level = try #require(rows.first?["level"] as? Int)
            #expect(try await Self.list(world, "?level=\(level)", as: "drc").ids.contains(rows.first?["projectId"] as? String ?? ""))

            // A 涉密 project's reasons rest sealed, as its reminders do; the clear ones do not.
            let stored = try await PlainRows.all(
                SQLQueryString(
                    "SELECT project_id, reasons FROM project_risks WHERE project_id IN (\(binds: [UUID(uuidString: s)!, UUID(uuidString: a)!]))"
                ),
                on: world.app.db)
            for row in stored { #expect(AtRest.isSealed(try row.text(1)) == (try row.uuid(0).uuidString == s)) }
            #expect(stored.count == 2)

            // A project's rating: 404 exactly where the project is.
            #expect(try await Self.risk(world, s, as: "unitA").status == .ok)
            #expect(try await Self.risk(world, s, as: "unitA2").status == .notFound)
            #expect(try await Self.risk(world, s, as: "drc").status == .notFound)
            #expect(try await Self.risk(world, a, as: "unitB").status == .notFound)
            #expect(try await Self.risk(world, UUID().uuidString, as: "drc").status == .notFound)
        }
    }

    @Test("the /risks page ranks the caller's projects; the project page shows the rating and its changes", arguments: Backend.all)
    func pages(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            let deadline = world.clock.now.beijingDate.addingDays(60).description
            try await world.must(
                w.projectId, "record-oversight", as: "drc", SupervisionTests.oversight(heldOn: w.today, deadline: deadline))
            let drc = try await world.webLogin("drc")
            let list = try await world.page("/risks", session: drc)
            #expect(list.status == .ok)
            #expect(list.html.contains("风险评级"))
            #expect(list.html.contains("/projects/\(w.projectId)"))
            #expect(list.html.contains("监督检查发现问题第1号"))
            #expect(list.html.contains("href=\"/risks\""))  // in the navigation
            #expect(list.html.contains("等级分布"))
            let bad = try await world.page("/risks?level=9", session: drc)
            #expect(bad.status == .badRequest)
            #expect(bad.html.contains("风险等级应为1至5之间的整数"))
            let project = try await world.page("/projects/\(w.projectId)", session: drc)
            #expect(project.status == .ok)
            #expect(project.html.contains("risk-heading"))
            #expect(project.html.contains("评级变化记录"))
            #expect(project.html.contains("发现问题第1号"))
            let unitB = try await world.webLogin("unitB")
            #expect(!(try await world.page("/risks", session: unitB).html.contains(w.projectId)))
            let vendor = try await world.webLogin("vendor")
            #expect(try await world.page("/risks", session: vendor).status == .forbidden)
            let vendorProject = try await world.page("/projects/\(w.projectId)", session: vendor)
            #expect(vendorProject.status == .ok)
            #expect(!vendorProject.html.contains("risk-heading"))
            #expect(!vendorProject.html.contains("href=\"/risks\""))
        }
    }

    @Test("paging and filters out of range are 400 naming the field; past the end is empty", arguments: Backend.all)
    func pagingBounds(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            for (query, field) in [
                ("?page=0", "page"), ("?perPage=100000", "perPage"), ("?page=\(Int.max)", "page"), ("?page=-1", "page"),
                ("?level=0", "level"), ("?level=6", "level"), ("?unitId=nope", "unitId"), ("?perPage=abc", "perPage"),
            ] {
                let reply = try await world.call(.GET, "/api/v1/risks" + query, as: "drc")
                #expect(reply.status == .badRequest, "\(query)")
                #expect(reply.errorCode == "INVALID_INPUT", "\(query)")
                #expect(reply.violations.first?["field"] as? String == field, "\(query)")
            }
            let past = try await Self.list(world, "?page=\(PageRequest.maxPage)&perPage=\(PageRequest.maxPerPage)", as: "drc")
            #expect(past.status == .ok)
            #expect(past.ids.isEmpty)
            #expect(past.total == 1)
            let page = try await world.app.testing().sendRequest(.GET, "/risks?page=0", headers: [:])
            #expect(page.status != .internalServerError)
        }
    }
}
