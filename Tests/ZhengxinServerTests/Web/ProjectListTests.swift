import Fluent
import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// GET /api/v1/projects and the /projects page: one query (ProjectListQuery/ProjectListing) with
/// search, filters, sort, paging and the total, scoped per caller; bad parameters named.
@Suite("Project list")
struct ProjectListTests {
    struct Listed {
        var status: HTTPStatus
        var total: Int?
        var ids: [String]
        var names: [String]
        var reply: JSONReply
    }

    static func list(_ world: TestWorld, _ query: String = "", as user: String) async throws -> Listed {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: world.tokens[user]!)
        let response = try await world.app.testing().sendRequest(
            .GET, "/api/v1/projects" + (query.isEmpty ? "" : "?" + query), headers: headers)
        let data = Data(buffer: response.body)
        let parsed = (try? JSONSerialization.jsonObject(with: data)) ?? [:]
        let array = (parsed as? [[String: Any]]) ?? []
        return Listed(
            status: response.status, total: response.headers.first(name: "X-Total-Count").flatMap(Int.init),
            ids: array.compactMap { $0["id"] as? String }, names: array.compactMap { $0["name"] as? String },
            reply: JSONReply(status: response.status, object: parsed as? [String: Any] ?? [:], array: array, raw: response.body))
    }

    /// unitA: a project under construction (vendor contracted) + five drafts (one 涉密), unitB: two.
    static func portfolio(_ world: TestWorld) async throws -> (contracted: String, a: [String: String], secret: String, b: [String]) {
        let contracted = try await RefusalTests.constructing(world).projectId
        var a: [String: String] = [:]
        for (name, yuan, year) in [
            ("政务云平台扩容", Int64(1_000_000), 2027), ("智慧医疗一期", 20_000_000, 2027), ("智慧医疗二期", 60_000_000, 2028),
            ("病案管理系统", 2_000_000, 2027),
        ] {
            var w = Walk(world)
            try await w.create(Walk.draft(name: name, yuan: yuan, planYear: year))
            a[name] = w.projectId
        }
        var secret = Walk(world)
        try await secret.create(Walk.draft(name: "涉密专网改造", yuan: 1_000_000, extra: ["classified": true]))
        var b: [String] = []
        for name in ["教育专网", "智慧校园"] {
            var w = Walk(world, unit: "unitB")
            try await w.create(Walk.draft(name: name, yuan: 3_000_000))
            b.append(w.projectId)
        }
        return (contracted, a, secret.projectId, b)
    }

    @Test("scope, search, filters, sort, paging and X-Total-Count on the API", arguments: Backend.all)
    func apiList(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let p = try await Self.portfolio(world)
            let unitA = try await Self.list(world, as: "unitA")
            #expect(unitA.total == 6 && unitA.ids.count == 6 && unitA.ids.contains(p.secret))  // named on its 涉密 project
            #expect(unitA.names.contains("涉密专网改造"))
            let unitA2 = try await Self.list(world, as: "unitA2")
            #expect(unitA2.total == 5 && !unitA2.ids.contains(p.secret))
            let unitB = try await Self.list(world, as: "unitB")
            #expect(unitB.total == 2 && Set(unitB.ids) == Set(p.b))
            #expect(try await Self.list(world, "unitId=\(world.orgId(of: "unitA").uuidString)", as: "unitB").total == 0)
            let vendor = try await Self.list(world, as: "vendor")
            #expect(vendor.ids == [p.contracted] && vendor.total == 1)
            let drc = try await Self.list(world, as: "drc")
            #expect(drc.total == 7 && !drc.ids.contains(p.secret))

            #expect(
                Set(try await Self.list(world, "q=智慧医疗".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!, as: "drc").ids)
                    == [p.a["智慧医疗一期"]!, p.a["智慧医疗二期"]!])
            let code = try #require(try await world.call(.GET, "/api/v1/projects/\(p.a["病案管理系统"]!)", as: "drc").project["code"] as? String)
            #expect(try await Self.list(world, "q=\(code.lowercased())", as: "drc").ids == [p.a["病案管理系统"]!])
            #expect(try await Self.list(world, "tier=2", as: "drc").ids == [p.a["智慧医疗一期"]!])
            #expect(try await Self.list(world, "tier=3", as: "drc").ids == [p.a["智慧医疗二期"]!])
            #expect(try await Self.list(world, "planYear=2028", as: "drc").ids == [p.a["智慧医疗二期"]!])
            #expect(try await Self.list(world, "stage=constructing", as: "drc").ids == [p.contracted])
            #expect(try await Self.list(world, "stage=constructing&unitId=\(world.orgId(of: "unitB").uuidString)", as: "drc").total == 0)
            #expect(try await Self.list(world, "sort=-investment", as: "drc").ids.first == p.a["智慧医疗二期"]!)
            #expect(try await Self.list(world, "sort=investment", as: "drc").ids.first == p.a["政务云平台扩容"]!)
            let byName = try await Self.list(world, "sort=name", as: "drc").names
            #expect(byName == byName.sorted())

            // Pages of 3: every project exactly once, the total on each page, an empty page past the end.
            var seen: [String] = []
            for page in 1...3 {
                let listed = try await Self.list(world, "perPage=3&page=\(page)", as: "drc")
                #expect(listed.total == 7 && listed.ids.count == (page < 3 ? 3 : 1))
                seen += listed.ids
            }
            #expect(seen.count == 7 && Set(seen) == Set(drc.ids))
            let past = try await Self.list(world, "perPage=3&page=9", as: "drc")
            #expect(past.status == .ok && past.ids.isEmpty && past.total == 7)
        }
    }

    @Test("a 涉密 project the caller is named on is listed and counted once, under every filter and sort", arguments: Backend.all)
    func namedClassified(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let p = try await Self.portfolio(world)
            let before = try await Self.list(world, "stage=draft", as: "drc")
            try await world.must(p.secret, "grant-classified-access", as: "unitA", ["userId": world.userIds["drc"]!.uuidString])
            let drc = try await Self.list(world, as: "drc")
            #expect(drc.total == 8 && drc.ids.count == 8 && drc.ids.filter { $0 == p.secret }.count == 1)
            #expect(drc.names.contains("涉密专网改造"))  // the real name, not the column's placeholder
            let drafts = try await Self.list(world, "stage=draft", as: "drc")
            #expect(drafts.total == (before.total ?? 0) + 1 && drafts.ids.contains(p.secret) && drafts.ids.count == drafts.total)
            let unitA = try await Self.list(world, "unitId=\(world.orgId(of: "unitA").uuidString)&sort=-investment", as: "drc")
            #expect(unitA.total == 6 && unitA.ids.contains(p.secret))
            #expect(try await Self.list(world, "unitId=\(world.orgId(of: "unitB").uuidString)", as: "drc").total == 2)
            #expect(try await Self.list(world, "stage=constructing", as: "drc").total == 1)
            var seen: [String] = []
            for page in 1...3 { seen += try await Self.list(world, "perPage=3&page=\(page)&sort=-updated", as: "drc").ids }
            #expect(seen.count == 8 && Set(seen) == Set(drc.ids))
        }
    }

    @Test("overdue=true keeps the projects with an unresolved overdue mark, in scope", arguments: Backend.all)
    func overdueFilter(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let p = try await Self.portfolio(world)
            let now = world.clock.now
            let marks: [(String, DeadlineStatus, Bool)] = [
                (p.a["智慧医疗一期"]!, .overdue, false), (p.a["智慧医疗二期"]!, .overdue, true),
                (p.a["病案管理系统"]!, .upcoming, false), (p.b[0], .overdue, false),
            ]
            for (i, (id, status, resolved)) in marks.enumerated() {
                let d = Deadline(
                    kind: .acceptanceDeadline, ref: "\(i)", dueOn: CivilDate(2026, 1, 1), status: status, audience: [.unit, .drc],
                    rule: "R-ACC-4", article: "第二十二条", message: "建成后6个月内申请竣工验收")
                let unit = id == p.b[0] ? world.orgId(of: "unitB") : world.orgId(of: "unitA")
                let reminder = ReminderModel(d, projectId: UUID(uuidString: id)!, unitId: unit, raisedAt: now)
                if resolved { reminder.resolvedAt = now.secondsSinceEpoch }
                try await reminder.create(on: world.app.db)
            }
            #expect(Set(try await Self.list(world, "overdue=true", as: "drc").ids) == [p.a["智慧医疗一期"]!, p.b[0]])
            #expect(try await Self.list(world, "overdue=true", as: "unitA").ids == [p.a["智慧医疗一期"]!])
            #expect(try await Self.list(world, "overdue=false", as: "unitA").total == 6)
            let session = try await world.webLogin("unitA")
            let page = try await world.page("/projects?overdue=true", session: session)
            #expect(
                page.status == .ok && page.html.contains("智慧医疗一期") && page.html.contains("badge-overdue") && !page.html.contains("智慧医疗二期"))
        }
    }

    @Test(
        "a bad parameter is 400 INVALID_INPUT naming every field at fault, and a Chinese message on the page", arguments: [Backend.sqlite])
    func badParameters(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let bad = try await Self.list(
                world, "stage=nope&tier=4&page=0&perPage=500&sort=size&overdue=maybe&unitId=x&planYear=abc", as: "drc")
            #expect(bad.status == .badRequest && bad.reply.errorCode == "INVALID_INPUT")
            let fields = Set(bad.reply.violations.compactMap { $0["field"] as? String })
            #expect(fields == ["stage", "tier", "page", "perPage", "sort", "overdue", "unitId", "planYear"])
            let session = try await world.webLogin("unitA")
            let page = try await world.page("/projects?tier=4&stage=nope", session: session)
            #expect(page.status == .badRequest && page.html.contains("项目类别应为1至3之间的整数") && page.html.contains("未知的阶段"))
        }
    }

    @Test(
        "the /projects page: rows link to their project, another unit's never appear, search keeps its text, page links carry the filters",
        arguments: Backend.all)
    func listPage(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let p = try await Self.portfolio(world)
            let session = try await world.webLogin("unitA")
            let all = try await world.page("/projects", session: session)
            #expect(all.status == .ok && all.html.contains(#"<strong id="total-count">6</strong>"#))
            for id in p.a.values { #expect(all.html.contains("href=\"/projects/\(id)\"")) }
            for id in p.b { #expect(!all.html.contains(id)) }
            #expect(!all.html.contains("教育专网") && !all.html.contains(#"<label for="unitId">"#))  // a unit has no unit filter
            let searched = try await world.page("/projects?q=%E6%99%BA%E6%85%A7&perPage=1&page=1", session: session)
            #expect(searched.html.contains(#"<strong id="total-count">2</strong>"#) && searched.html.contains(#"value="智慧""#))
            #expect(
                searched.html.contains("/projects?q=%E6%99%BA%E6%85%A7&amp;perPage=1&amp;page=2")
                    || searched.html.contains("/projects?q=%E6%99%BA%E6%85%A7&perPage=1&page=2"))
            let drc = try await world.webLogin("drc")
            let agency = try await world.page("/projects?unitId=\(world.orgId(of: "unitB").uuidString)", session: drc)
            #expect(agency.html.contains(#"<label for="unitId">"#) && agency.html.contains("教育专网") && !agency.html.contains("智慧医疗"))
        }
    }
}
