import Foundation
import Testing
import Vapor
import VaporTesting
import ZhengxinCore

@testable import ZhengxinServer

/// Every collection route is paged the same way: `page` and `perPage` bounded by PageRequest
/// (a hostile value is a 400 INVALID_INPUT, never a trap), the page in the collection's order, the
/// whole collection's size in X-Total-Count, a page past the end empty. Totals are in the caller's
/// scope: an unnamed 涉密 project adds nothing to them.
@Suite("Collections, paged")
struct PagingTests {
    struct Reply {
        var status: HTTPStatus
        var items: [[String: Any]]
        var object: [String: Any]
        var total: Int?
        var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
    }

    static func get(_ world: TestWorld, _ path: String, as user: String) async throws -> Reply {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: world.tokens[user]!)
        let response = try await world.app.testing().sendRequest(.GET, path, headers: headers)
        let parsed = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) ?? [:]
        let object = parsed as? [String: Any] ?? [:]
        // The unit sharing view pages its `projects`, the signing key registry its `keys`; every other
        // route answers with the page itself.
        let items = parsed as? [[String: Any]] ?? object["projects"] as? [[String: Any]] ?? object["keys"] as? [[String: Any]] ?? []
        return Reply(
            status: response.status, items: items, object: object, total: response.headers.first(name: "X-Total-Count").flatMap(Int.init))
    }

    static let hostile = [
        "perPage=201", "perPage=0", "perPage=-1", "perPage=1.5", "page=0", "page=-1", "page=x",
        "page=1000001", "page=9223372036854775807", "page=-9223372036854775808", "page=99999999999999999999999",
        "perPage=9223372036854775807", "page=%F0%9F%98%80", "page=1e3", "page=%201",
    ]

    /// Walks `path` a page of `per` at a time: each page as big as it should be, the total the same
    /// on every page, every item once, in the order the whole collection is listed in.
    static func pagesThrough(
        _ world: TestWorld, _ path: String, as user: String, per: Int, key: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String] {
        let join = path.contains("?") ? "&" : "?"
        let whole = try await get(world, path + join + "perPage=200", as: user)
        #expect(whole.status == .ok, "\(path): \(whole.status)", sourceLocation: sourceLocation)
        let total = try #require(whole.total, "\(path) sends X-Total-Count", sourceLocation: sourceLocation)
        #expect(whole.items.count == total, "\(path): all \(total) on one page of 200", sourceLocation: sourceLocation)
        #expect(total > per, "\(path): more than one page to walk", sourceLocation: sourceLocation)
        var seen: [String] = []
        let pages = (total + per - 1) / per
        for number in 1...(pages + 1) {
            let page = try await get(world, path + join + "page=\(number)&perPage=\(per)", as: user)
            #expect(page.status == .ok && page.total == total, "\(path) page \(number)", sourceLocation: sourceLocation)
            #expect(
                page.items.count == (number <= pages ? min(per, total - (number - 1) * per) : 0), "\(path) page \(number)",
                sourceLocation: sourceLocation)
            seen += page.items.map { String(describing: $0[key] ?? "?") }
        }
        #expect(
            seen == whole.items.map { String(describing: $0[key] ?? "?") }, "\(path): every item once, in order",
            sourceLocation: sourceLocation)
        // The default page, the largest page number there is, and hostile values.
        let first = try await get(world, path, as: user)
        #expect(
            first.status == .ok && first.items.count == min(total, PageRequest.defaultPerPage) && first.total == total,
            sourceLocation: sourceLocation)
        let last = try await get(world, path + join + "page=\(PageRequest.maxPage)&perPage=\(PageRequest.maxPerPage)", as: user)
        #expect(
            last.status == .ok && last.items.isEmpty && last.total == total, "\(path): far past the end is empty",
            sourceLocation: sourceLocation)
        for bad in hostile {
            let reply = try await get(world, path + join + bad, as: user)
            #expect(
                reply.status == .badRequest && reply.errorCode == "INVALID_INPUT", "\(path) \(bad): \(reply.status)",
                sourceLocation: sourceLocation)
        }
        return seen
    }

    @Test(
        "project audit, decisions, annual plans, users, a unit's sharing, inbox and overdue: capped pages, X-Total-Count, hostile values 400",
        arguments: Backend.all)
    func everyCollection(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let built = try await RefusalTests.constructing(world)
            var secret = Walk(world)
            try await secret.create(Walk.draft(name: "涉密专网", yuan: 1_000_000, extra: ["classified": true]))
            for n in 0..<3 {
                var more = Walk(world)
                try await more.create(Walk.draft(name: "平台\(n)", yuan: 1_000_000))
            }
            // Decisions: each disbursement is one more signed decision.
            for n in 0..<3 {
                try await world.must(
                    built.projectId, "disburse", as: "fin", ["amountFen": 100_000, "paidOn": built.today, "voucherNumber": "PAGE-\(n)"])
            }
            // Plans stored as compiled ones are (compiling wants reserve projects for each).
            for year in (2032...2036).reversed() {
                let plan = AnnualInvestmentPlan(id: UUID(), year: year, title: "\(year)年度计划", lines: [], status: .draft)
                try await AnnualPlanModel(plan, sealed: false).create(on: world.app.db)
            }
            let unitA = world.orgId(of: "unitA").uuidString

            let audit = try await Self.pagesThrough(world, "/api/v1/projects/\(built.projectId)/audit", as: "aud", per: 4, key: "seq")
            #expect(audit.compactMap { Int($0) } == audit.compactMap { Int($0) }.sorted(), "oldest entry first")
            let decisions = try await Self.pagesThrough(
                world, "/api/v1/projects/\(built.projectId)/decisions", as: "unitA", per: 2, key: "auditSeq")
            #expect(decisions.compactMap { Int($0) } == decisions.compactMap { Int($0) }.sorted())
            let years = try await Self.pagesThrough(world, "/api/v1/annual-plans", as: "unitB", per: 2, key: "year")
            #expect(
                years.suffix(5) == (2032...2036).map(String.init) && years == years.sorted(), "by year (the walk compiled one for 2027)")
            let users = try await Self.pagesThrough(world, "/api/v1/admin/users", as: "adminSec", per: 5, key: "username")
            #expect(users.count == TestWorld.accounts.count && users == users.sorted())

            // A unit's sharing: figures over every project the caller sees, the projects a page at a time.
            let codes = try await Self.pagesThrough(world, "/api/v1/units/\(unitA)/sharing", as: "unitA", per: 2, key: "code")
            #expect(codes.count == 5 && codes == codes.sorted(), "the creator is named on its 涉密 project")
            let drc = try await Self.get(world, "/api/v1/units/\(unitA)/sharing?perPage=1", as: "drc")
            #expect(drc.total == 4 && drc.items.count == 1, "DRC is not named on the 涉密 project: not in the total")
            #expect(
                ((drc.object["figures"] as? [String: Any])?["projects"] as? Int) == 4,
                "figures pooled over every visible project, not the page")
            #expect(
                try await Self.get(world, "/api/v1/units/\(unitA)/sharing?perPage=10", as: "unitA2").total == 4,
                "nor for the unit's other user")

            // The 涉密 project's own collections stay 404 to those not named on it, whatever the paging.
            for path in ["audit", "decisions"] {
                #expect(
                    try await Self.get(world, "/api/v1/projects/\(secret.projectId)/\(path)?page=1&perPage=1", as: "drc").status
                        == .notFound)
                #expect(try await Self.get(world, "/api/v1/projects/\(secret.projectId)/\(path)?page=x", as: "unitA").status == .badRequest)
            }
            #expect(try await Self.get(world, "/api/v1/projects/\(secret.projectId)/audit?perPage=1", as: "unitA").total ?? 0 >= 1)
            // Who may not read a collection still may not, paged or not.
            #expect(try await Self.get(world, "/api/v1/admin/users?page=2&perPage=1", as: "drc").status == .forbidden)
            #expect(try await Self.get(world, "/api/v1/projects/\(built.projectId)/audit?page=1", as: "vendor").status == .forbidden)
        }
    }

    @Test(
        "documents, policies, organisations, signing keys and account proposals: capped pages, X-Total-Count, hostile values 400",
        arguments: Backend.all)
    func registries(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let built = try await RefusalTests.constructing(world)
            for kind in ["contract", "contract"] { _ = try await built.upload(kind) }
            for (n, county) in ["zhongmou", "gongyi"].enumerated() {
                let policy = PolicyVersionTests.policyJSON(
                    id: "\(county)-2026", jurisdiction: county, from: "2026-01-0\(n + 1)",
                    tier2Fen: 500_000_000, tier3Fen: 3_000_000_000)
                #expect(try await world.call(.POST, "/api/v1/policies", as: "adminSec", json: policy).status == .created)
            }
            for n in 0..<3 {
                let body: [String: Any] = [
                    "username": "paged\(n)", "organisationId": world.orgId(of: "unitA").uuidString, "roles": ["staff"],
                ]
                #expect(try await world.call(.POST, "/api/v1/admin/users", as: "adminSys", json: body).status.code < 300)
            }

            let documents = try await Self.pagesThrough(
                world, "/api/v1/projects/\(built.projectId)/documents", as: "unitA", per: 1, key: "number")
            #expect(documents.compactMap { Int($0) } == documents.compactMap { Int($0) }.sorted(), "in the order attached")
            let policies = try await Self.pagesThrough(world, "/api/v1/policies", as: "unitB", per: 1, key: "id")
            let versionCount = try await PolicyStore.book(on: world.app.db).versions.count
            #expect(policies.count == versionCount)
            let organisations = try await Self.pagesThrough(world, "/api/v1/organisations", as: "drc", per: 2, key: "name")
            let organisationCount = try await OrganisationModel.query(on: world.app.db).count()
            #expect(organisations.count == organisationCount)
            let keys = try await Self.pagesThrough(world, "/api/v1/signing-keys", as: "aud", per: 1, key: "fingerprint")
            let keyCount = try await SigningKeyModel.query(on: world.app.db).count()
            #expect(Set(keys).count == keys.count && keys.count == keyCount)
            let proposals = try await Self.pagesThrough(world, "/api/v1/admin/account-proposals", as: "adminSec", per: 2, key: "username")
            #expect(Set(proposals) == ["paged0", "paged1", "paged2"])

            // Who may not read a collection still may not, paged or not.
            #expect(try await Self.get(world, "/api/v1/admin/account-proposals?page=2&perPage=1", as: "drc").status == .forbidden)
            #expect(try await Self.get(world, "/api/v1/projects/\(built.projectId)/documents?page=1", as: "unitB").status == .notFound)
        }
    }

    @Test("inbox and overdue: the same caps and hostile values; the home page counts what the overdue list counts", arguments: Backend.all)
    func remindersAndHome(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var open = Walk(world)
            try await open.create(Walk.draft(name: "逾期平台", yuan: 1_000_000))
            var secret = Walk(world, unit: "unitB")
            try await secret.create(Walk.draft(name: "涉密专网", yuan: 1_000_000, extra: ["classified": true]))
            let unitA = world.orgId(of: "unitA"), unitB = world.orgId(of: "unitB")
            for n in 0..<12 { try await ReminderPagingTests.mark(n, project: open.projectId, unit: unitA).create(on: world.app.db) }
            for n in 300..<307 { try await ReminderPagingTests.mark(n, project: secret.projectId, unit: unitB).create(on: world.app.db) }

            let overdue = try await Self.pagesThrough(world, "/api/v1/overdue", as: "drc", per: 5, key: "dueOn")
            #expect(overdue.count == 12 && overdue == overdue.sorted(), "the unnamed 涉密 project's 7 marks are neither listed nor counted")
            _ = try await Self.pagesThrough(world, "/api/v1/inbox", as: "drc", per: 5, key: "dueOn")
            #expect(try await Self.get(world, "/api/v1/overdue?perPage=1", as: "unitB").total == 7, "its creator is named on it")
            #expect(try await Self.get(world, "/api/v1/overdue", as: "unitA").total == 12)

            // The home page's overdue list: its first items, and the same total as the API.
            let drcHome = try await world.page("/", session: world.webLogin("drc"))
            #expect(drcHome.status == .ok && drcHome.html.contains(#"<strong id="overdue-count">12</strong>"#))
            #expect(drcHome.html.contains("逾期平台") && !drcHome.html.contains("涉密专网") && !drcHome.html.contains(secret.projectId))
            #expect(drcHome.html.contains("href=\"/projects?overdue=true\""), "a link to the rest")
            let unitBHome = try await world.page("/", session: world.webLogin("unitB"))
            #expect(unitBHome.html.contains(#"<strong id="overdue-count">7</strong>"#) && unitBHome.html.contains("涉密专网"))
        }
    }

    @Test("the project page shows its audit record a page at a time, newest first, with links to the rest", arguments: Backend.all)
    func projectPageAudit(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let built = try await RefusalTests.constructing(world)
            // Refused actions are on the record too: enough of them for a second page.
            for n in 0..<40 { _ = try await world.act(built.projectId, "disburse", as: "fin", ["amountFen": -1 - n]) }
            let total = try #require(try await Self.get(world, "/api/v1/projects/\(built.projectId)/audit?perPage=1", as: "unitA").total)
            let per = ProjectPageModel.auditPerPage
            #expect(total > per)
            let pages = (total + per - 1) / per
            let session = world.tokens["unitA"]!
            let first = try await world.page("/projects/\(built.projectId)", session: session)
            #expect(first.status == .ok && first.html.contains("审计记录(共\(total)条,最近在前,第1/\(pages)页)"))
            #expect(first.html.contains("?auditPage=2#audit-heading") && !first.html.contains("rel=\"prev\""))
            #expect(first.html.components(separatedBy: "<tr class=\"refused\">").count - 1 == min(40, per), "the newest entries first")
            let last = try await world.page("/projects/\(built.projectId)?auditPage=\(pages)", session: session)
            #expect(
                last.status == .ok && last.html.contains("第\(pages)/\(pages)页")
                    && last.html.contains("?auditPage=\(pages - 1)#audit-heading"))
            #expect(!last.html.contains("rel=\"next\"") && last.html.contains("新建项目"), "the oldest entry on the last page")
            for bad in ["x", "0", "9223372036854775807"] {
                #expect(
                    try await world.page("/projects/\(built.projectId)?auditPage=\(bad)", session: session).status == .badRequest, "\(bad)")
            }
        }
    }
}
