import Fluent
import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// The administrators' and the vendor's home pages: each administrator finds the matters that wait
/// on its own role (三权分立), each linked to the page that acts on it, and acting there takes it off
/// the home page; a vendor sees only its contracted projects, never a 涉密 one it is not named on.
@Suite("Administrators' and vendors' home pages")
struct AdminHomeQueueTests {
    /// The panel `id` of a home page, up to its end.
    static func panel(_ html: String, _ id: String) -> String {
        guard let start = html.range(of: "id=\"\(id)\"") else { return "" }
        let rest = html[start.upperBound...]
        return String(rest[..<(rest.range(of: "</section>")?.lowerBound ?? rest.endIndex)])
    }

    static func count(_ panel: String) -> Int? {
        guard let r = panel.range(of: "<span class=\"queue-count\">") else { return nil }
        return Int(panel[r.upperBound...].prefix { $0.isNumber })
    }

    static func propose(_ world: TestWorld, _ username: String) async throws -> String {
        let reply = try await world.call(
            .POST, "/api/v1/admin/users", as: "adminSys",
            json: ["username": username, "displayName": "新同事", "organisationId": world.orgId(of: "unitA").uuidString, "roles": ["staff"]])
        #expect(reply.status == .accepted)
        return try #require((reply.object["proposal"] as? [String: Any])?["id"] as? String)
    }

    static func home(_ world: TestWorld, _ session: String) async throws -> String {
        let page = try await world.page("/", session: session)
        #expect(page.status == .ok)
        return page.html
    }

    /// Posts a page form with the CSRF value of the page it is on.
    static func submit(_ world: TestWorld, _ path: String, from page: String, session: String) async throws -> PageReply {
        let form = try await world.page(page, session: session)
        return try await world.page(.POST, path, session: session, form: [("_csrf", try #require(form.csrf))])
    }

    @Test(
        "security admin approves and rejects from its home; the system admin then hands over, or disables a lapsed account",
        arguments: Backend.all)
    func proposals(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let first = try await Self.propose(world, "newstaff1")
            let second = try await Self.propose(world, "newstaff2")
            let sec = try await world.webLogin("adminSec")
            let sys = try await world.webLogin("adminSys")
            let unit = try await world.webLogin("unitA")

            let waiting = Self.panel(try await Self.home(world, sec), "queue-proposals")
            #expect(Self.count(waiting) == 2)
            #expect(waiting.contains("href=\"/admin/proposals/\(first)\"") && waiting.contains("href=\"/admin/proposals/\(second)\""))
            // The proposer is not the one to decide: nothing of the kind waits on it.
            let sysHome = try await Self.home(world, sys)
            #expect(!sysHome.contains("queue-proposals") && sysHome.contains("有2件正等待安全管理员批准"))
            #expect(try await world.page("/admin/proposals/\(first)", session: unit).status == .forbidden)
            let refused = try await Self.submit(world, "/admin/proposals/\(first)/approve", from: "/", session: sys)
            #expect(refused.status == .forbidden, "only a security administrator approves")

            let approved = try await Self.submit(
                world, "/admin/proposals/\(first)/approve", from: "/admin/proposals/\(first)", session: sec)
            #expect(approved.status == .ok && approved.html.contains("id=\"issued-code\"") && approved.html.contains("已批准"))
            let rejected = try await Self.submit(
                world, "/admin/proposals/\(second)/reject", from: "/admin/proposals/\(second)", session: sec)
            #expect(rejected.status == .ok && rejected.html.contains("已驳回"))
            #expect(Self.count(Self.panel(try await Self.home(world, sec), "queue-proposals")) == 0)

            let user = try #require(try await UserModel.query(on: world.app.db).filter(\.$username == "newstaff1").first()?.requireID())
            var home = try await Self.home(world, sys)
            let handover = Self.panel(home, "queue-activation")
            #expect(Self.count(handover) == 1 && handover.contains("href=\"/admin/users/\(user)\"") && handover.contains("newstaff1"))
            #expect(Self.panel(home, "queue-rejected").contains("href=\"/admin/proposals/\(second)\""))
            #expect(Self.count(Self.panel(home, "queue-lapsed")) == 0)

            // 72 hours later the code has lapsed unused: the account cannot be activated, and its proposer disables it.
            world.clock.set(CivilDate(2026, 3, 5), hour: 11)
            home = try await Self.home(world, sys)
            #expect(Self.count(Self.panel(home, "queue-activation")) == 0)
            #expect(Self.panel(home, "queue-lapsed").contains("href=\"/admin/users/\(user)\""))
            let disabled = try await Self.submit(world, "/admin/users/\(user)/disable", from: "/admin/users/\(user)", session: sys)
            #expect(disabled.status == .ok && disabled.html.contains("已停用"))
            #expect(Self.count(Self.panel(try await Self.home(world, sys), "queue-lapsed")) == 0)
        }
    }

    @Test("a locked account waits on the security admin, who unlocks it from its page", arguments: Backend.all)
    func lockedAccount(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let sec = try await world.webLogin("adminSec")
            for _ in 1...5 { _ = try await world.login("unitB", password: "Wrong-pass1") }
            let unitB = world.userIds["unitB"]!
            let locked = Self.panel(try await Self.home(world, sec), "queue-locked")
            #expect(Self.count(locked) == 1 && locked.contains("href=\"/admin/users/\(unitB)\"") && locked.contains("unitB"))
            let done = try await Self.submit(world, "/admin/users/\(unitB)/unlock", from: "/admin/users/\(unitB)", session: sec)
            #expect(done.status == .ok && done.html.contains("已解除锁定"))
            #expect(Self.count(Self.panel(try await Self.home(world, sec), "queue-locked")) == 0)
            #expect(try await world.login("unitB", password: TestWorld.password("unitB")).status == .ok)
        }
    }

    @Test("a second-factor code that lapsed unused waits on the security admin, who issues another", arguments: Backend.all)
    func lapsedEnrolment(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let sec = try await world.webLogin("adminSec")
            let drc = world.userIds["drc"]!
            #expect(try await world.call(.POST, "/api/v1/admin/users/\(drc)/reset-totp", as: "adminSec").status == .ok)
            #expect(Self.count(Self.panel(try await Self.home(world, sec), "queue-enrolment")) == 0, "the code is in force")
            world.clock.set(CivilDate(2026, 3, 5), hour: 11)
            let lapsed = Self.panel(try await Self.home(world, sec), "queue-enrolment")
            #expect(Self.count(lapsed) == 1 && lapsed.contains("href=\"/admin/users/\(drc)\""))
            let done = try await Self.submit(world, "/admin/users/\(drc)/reset-totp", from: "/admin/users/\(drc)", session: sec)
            #expect(done.status == .ok && done.html.contains("id=\"issued-code\""))
            #expect(Self.count(Self.panel(try await Self.home(world, sec), "queue-enrolment")) == 0)
        }
    }

    @Test("the audit admin reviews the administrators' operations; a review leaves later ones waiting", arguments: Backend.all)
    func reviewEvents(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            _ = try await Self.propose(world, "newstaff3")
            _ = try await world.login("unitB", password: "Wrong-pass1")
            let aud = try await world.webLogin("adminAud")
            let sys = try await world.webLogin("adminSys")
            let waiting = Self.panel(try await Self.home(world, aud), "queue-events")
            #expect(Self.count(waiting) == 2 && waiting.contains("提出新建账号") && waiting.contains("登录失败"))
            #expect(try await world.page("/admin/events", session: sys).status == .forbidden)
            let page = try await world.page("/admin/events", session: aud)
            #expect(page.status == .ok && page.html.contains("newstaff3"))
            let viewed = try await AuditEntryModel.query(on: world.app.db).filter(\.$action == "view-audit").all()
            #expect(viewed.count == 1 && viewed[0].actorUserId == world.userIds["adminAud"], "reading is recorded")
            let through = try #require(page.html.range(of: "name=\"through\" value=\"")).upperBound
            let seq = String(page.html[through...].prefix { $0.isNumber })
            // Appended after the page was drawn: not covered by this review.
            _ = try await Self.propose(world, "newstaff4")
            let done = try await world.page(
                .POST, "/admin/events/review", session: aud, form: [("_csrf", try #require(page.csrf)), ("through", seq)])
            #expect(done.status == .ok && done.html.contains("已记录"))
            let after = Self.panel(try await Self.home(world, aud), "queue-events")
            #expect(Self.count(after) == 1 && after.contains("提出新建账号"))
            let again = try await world.page(
                .POST, "/admin/events/review", session: aud, form: [("_csrf", try #require(page.csrf)), ("through", seq)])
            #expect(again.status == .conflict, "a review cannot go back")
            #expect(try await AuditRecorder.verify(on: world.app.db).problem == nil)
        }
    }

    @Test("a vendor's home shows its contracted projects with stage and dates, says the unit acts, hides 涉密 ones", arguments: Backend.all)
    func vendorHome(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let contracted = try await RefusalTests.constructing(world)
            var secret = Walk(world)
            try await secret.create(Walk.draft(name: "涉密专网", yuan: 1_000_000, extra: ["classified": true]))
            for agency in ["drc", "fin", "bdb"] {
                try await world.must(
                    secret.projectId, "grant-classified-access", as: "unitA", ["userId": world.userIds[agency]!.uuidString])
            }
            try await secret.toReserve()
            try await secret.toPlanned(amountFen: 100_000_000)
            try await secret.toApproved(path: ["implementationPlan"], amountFen: 100_000_000)
            try await secret.toConstructing(budgetFen: 100_000_000, classified: true)
            var other = Walk(world, unit: "unitB")
            try await other.create(Walk.draft(name: "他人项目", yuan: 1_000_000))
            let vendor = try await world.webLogin("vendor")
            let home = try await Self.home(world, vendor)
            let projects = Self.panel(home, "projects-heading")
            #expect(projects.contains("href=\"/projects/\(contracted.projectId)\"") && projects.contains("建设中"))
            #expect(projects.contains("建设合同 HT-1") && projects.contains("免费维保期至2031年1月1日"))
            #expect(home.contains("id=\"vendor-note\"") && home.contains("由项目单位登记和报送"))
            #expect(!home.contains(secret.projectId) && !home.contains("涉密专网"))
            #expect(!home.contains(other.projectId) && !home.contains("他人项目"))
            #expect(home.contains("<strong id=\"project-count\">1</strong>"))
            // Named on it by the unit (第十七条), the vendor finds it among its contracted projects.
            try await world.must(secret.projectId, "grant-classified-access", as: "unitA", ["userId": world.userIds["vendor"]!.uuidString])
            let named = try await Self.home(world, vendor)
            #expect(named.contains("href=\"/projects/\(secret.projectId)\"") && named.contains("<strong id=\"project-count\">2</strong>"))
        }
    }
}
