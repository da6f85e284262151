import Fluent
import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// No administrator holds both factors of an account: a new account gets a one-time activation
/// code, its holder sets the password and receives the TOTP secret; `reset-totp` gives the
/// security administrator a code, never a secret. Administrator accounts need two administrators.
/// Holders change their own passwords. Administrators get no business data over the API.
@Suite("Account activation, password change and the two-person rule")
struct AccountActivationAndPasswordTests {
    static func activate(_ world: TestWorld, code: String, newPassword: String? = nil, currentPassword: String? = nil) async throws
        -> JSONReply
    {
        var body: [String: Any] = ["code": code]
        if let newPassword { body["newPassword"] = newPassword }
        if let currentPassword { body["currentPassword"] = currentPassword }
        return try await world.call(.POST, "/api/v1/auth/activate", json: body)
    }

    static func code(_ reply: JSONReply) -> String { ((reply["activation"] as? [String: Any])?["code"] as? String) ?? "" }

    /// An account made the only way there is: the system administrator proposes it and receives the
    /// first half of the code, a security administrator approves it and receives the second half;
    /// the holder types both.
    static func newAccount(
        _ world: TestWorld, _ username: String, org: String, roles: [String] = ["staff"],
        more: [String: Any] = [:]
    ) async throws -> (proposed: JSONReply, approved: JSONReply, code: String) {
        let body = ["username": username, "organisationId": world.orgId(of: org).uuidString, "roles": roles].merging(more) { a, _ in a }
        let proposed = try await world.call(.POST, "/api/v1/admin/users", as: "adminSys", json: body)
        let id = (proposed["proposal"] as? [String: Any])?["id"] as? String ?? ""
        let approved = try await world.call(.POST, "/api/v1/admin/account-proposals/\(id)/approve", as: "adminSec")
        return (proposed, approved, (proposed["activationFirstHalf"] as? String ?? "") + code(approved))
    }

    static func totp(_ reply: JSONReply, _ world: TestWorld) -> String {
        let secret = (reply["totp"] as? [String: Any])?["secret"] as? String ?? ""
        return TOTPCode.code(secret: TOTPCode.secret(base32: secret) ?? [], step: TOTPCode.step(at: world.clock.now.secondsSinceEpoch))
    }

    static func entries(_ world: TestWorld, _ action: String) async throws -> [AuditEntryModel] {
        try await AuditEntryModel.query(on: world.app.db).filter(\.$action == action).all()
    }

    @Test(
        "a new account gets an activation code, not a password or secret; its holder sets the password and receives the TOTP secret; the code is single-use and lapses",
        arguments: Backend.all)
    func activation(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let (proposed, created, code) = try await Self.newAccount(world, "drc2", org: "drc")
            #expect(proposed.status == .accepted && created.status == .created)
            // The name every page and list shows: bounded in characters and bytes, screened.
            for name in [String(repeating: "长", count: 51), "e" + String(repeating: "\u{301}", count: 200), "姓名\n伪造", "   "] {
                let body: [String: Any] = [
                    "username": "drc3", "displayName": name, "organisationId": world.orgId(of: "drc").uuidString, "roles": ["staff"],
                ]
                let refused = try await world.call(.POST, "/api/v1/admin/users", as: "adminSys", json: body)
                #expect(
                    refused.status == .badRequest && refused.violations.first?["field"] as? String == "displayName", "\(name.prefix(8))")
            }
            #expect(code.count == 64)
            for reply in [proposed, created] {
                #expect(reply["totp"] == nil && !String(buffer: reply.raw).contains("secret"), "no administrator is shown a TOTP secret")
            }
            #expect((created["user"] as? [String: Any])?["activationPending"] as? Bool == true)
            // Neither administrator's half activates the account.
            #expect(
                try await Self.activate(world, code: String(code.prefix(32)), newPassword: "Holder-pass-1").errorCode
                    == "ACTIVATION_INVALID")
            #expect(
                try await Self.activate(world, code: String(code.suffix(32)), newPassword: "Holder-pass-1").errorCode
                    == "ACTIVATION_INVALID")
            // Not activated: no password signs in, answered as any wrong password.
            let early = try await world.call(.POST, "/api/v1/auth/login", json: ["username": "drc2", "password": "Zhengxin@2026"])
            #expect(early.errorCode == "LOGIN_FAILED")
            // The holder's password must meet the rules; a refusal leaves the code usable.
            let weak = try await Self.activate(world, code: code, newPassword: "short")
            #expect(weak.status == .badRequest && weak.violations.first?["field"] as? String == "newPassword")
            #expect(
                try await Self.activate(world, code: "WRONG" + code.dropFirst(5), newPassword: "Holder-pass-1").errorCode
                    == "ACTIVATION_INVALID")
            let done = try await Self.activate(world, code: code.lowercased(), newPassword: "Holder-pass-1")
            #expect(done.status == .ok, "\(done.object)")
            #expect(((done["totp"] as? [String: Any])?["uri"] as? String)?.hasPrefix("otpauth://totp/") == true)
            let login = try await world.call(
                .POST, "/api/v1/auth/login", json: ["username": "drc2", "password": "Holder-pass-1", "totp": Self.totp(done, world)])
            #expect(login.status == .ok, "\(login.object)")
            #expect(
                try await Self.activate(world, code: code, newPassword: "Other-pass-12").errorCode == "ACTIVATION_INVALID", "single-use")
            let list = try await world.call(.GET, "/api/v1/admin/users", as: "adminSys").array.compactMap { $0 as? [String: Any] }
            #expect(list.first { $0["username"] as? String == "drc2" }?["activationPending"] as? Bool == false)
            // Only the digest is stored.
            let rows = try await AccountActivationModel.query(on: world.app.db).all()
            #expect(rows.allSatisfy { $0.tokenDigest.count == 64 && $0.tokenDigest != code })

            // A unit account needs no second factor; a code not used within 72 hours lapses.
            let unit = try await Self.newAccount(world, "mz1", org: "unitB")
            world.clock.set(CivilDate(2026, 3, 5), hour: 10, minute: 1)
            #expect(try await Self.activate(world, code: unit.code, newPassword: "Holder-pass-1").errorCode == "ACTIVATION_INVALID")
            let accepted = try await Self.entries(world, "activate-account").filter { $0.result == "accepted" }
            #expect(accepted.count == 1 && accepted.first?.actorUserId != world.userIds["adminSys"])
        }
    }

    @Test(
        "reset-totp gives the security administrator a code, never a secret; the holder re-enrols with it and the current password",
        arguments: Backend.all)
    func resetTOTP(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let drc = world.userIds["drc"]!.uuidString
            let reset = try await world.call(.POST, "/api/v1/admin/users/\(drc)/reset-totp", as: "adminSec")
            #expect(reset.status == .ok)
            #expect(reset["secret"] == nil && !String(buffer: reset.raw).contains("otpauth"))
            #expect((reset["activation"] as? [String: Any])?["purpose"] as? String == "enrol-totp")
            // The old device stops at once: sessions end, and the login asks for enrolment.
            #expect(try await world.call(.GET, "/api/v1/me", as: "drc").status == .unauthorized)
            world.clock.set(CivilDate(2026, 3, 2), hour: 10, minute: 5)
            let old = try await world.call(
                .POST, "/api/v1/auth/login",
                json: ["username": "drc", "password": TestWorld.password("drc"), "totp": world.totpCode("drc")])
            #expect(old.errorCode == "TOTP_REQUIRED")
            // The code alone (what the administrator holds) enrols nothing.
            let alone = try await Self.activate(world, code: Self.code(reset), newPassword: "Admin-chosen-1")
            #expect(alone.errorCode == "CURRENT_PASSWORD_WRONG")
            let done = try await Self.activate(world, code: Self.code(reset), currentPassword: TestWorld.password("drc"))
            #expect(done.status == .ok)
            let login = try await world.call(
                .POST, "/api/v1/auth/login",
                json: ["username": "drc", "password": TestWorld.password("drc"), "totp": Self.totp(done, world)])
            #expect(login.status == .ok)
            // Accounts without a second factor have nothing to reset.
            #expect(
                try await world.call(.POST, "/api/v1/admin/users/\(world.userIds["unitA"]!)/reset-totp", as: "adminSec").errorCode
                    == "TOTP_NOT_USED")
        }
    }

    @Test("a holder changes the password: current password required, rules apply, other sessions end, audited", arguments: Backend.all)
    func passwordChange(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let second = try await world.login("unitA", password: TestWorld.password("unitA"))["token"] as? String ?? ""
            let change = { (current: String, new: String) in
                try await world.call(.POST, "/api/v1/me/password", as: "unitA", json: ["currentPassword": current, "newPassword": new])
            }
            #expect(try await change("Wrong-pass-1", "Holder-pass-1").errorCode == "CURRENT_PASSWORD_WRONG")
            let weak = try await change(TestWorld.password("unitA"), "abcdefghij")
            #expect(weak.status == .badRequest && weak.violations.first?["field"] as? String == "newPassword")
            let done = try await change(TestWorld.password("unitA"), "Holder-pass-1")
            #expect(done.status == .ok && done["endedSessions"] as? Int == 1)
            #expect(try await world.call(.GET, "/api/v1/me", as: "unitA").status == .ok, "the session that asked stays")
            var other = HTTPHeaders()
            other.bearerAuthorization = BearerAuthorization(token: second)
            #expect(
                try await world.app.testing().sendRequest(.GET, "/api/v1/me", headers: other).status == .unauthorized, "other sessions end")
            #expect(
                try await world.call(.POST, "/api/v1/auth/login", json: ["username": "unitA", "password": TestWorld.password("unitA")])
                    .status == .unauthorized)
            #expect(
                try await world.call(.POST, "/api/v1/auth/login", json: ["username": "unitA", "password": "Holder-pass-1"]).status == .ok)
            let audited = try await Self.entries(world, "change-password")
            #expect(audited.filter { $0.result == "accepted" }.count == 1 && audited.filter { $0.result == "refused" }.count == 1)
        }
    }

    @Test("five wrong current passwords end every session of the account: a stolen session cannot guess on", arguments: Backend.all)
    func passwordGuessing(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            for _ in 1...5 {
                _ = try await world.call(
                    .POST, "/api/v1/me/password", as: "unitB", json: ["currentPassword": "Guess-pass-1", "newPassword": "Holder-pass-1"])
            }
            #expect(try await world.call(.GET, "/api/v1/me", as: "unitB").status == .unauthorized)
            #expect(try await world.login("unitB", password: TestWorld.password("unitB")).status == .ok, "the holder signs in again")
        }
    }

    @Test(
        "two-person rule: the system administrator only proposes an administrator account; a security administrator approves; both halves of the code are needed",
        arguments: Backend.all)
    func twoPersonRule(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let body: [String: Any] = [
                "username": "sec2", "organisationId": world.orgId(of: "adminSec").uuidString, "roles": ["securityAdmin"],
            ]
            let proposed = try await world.call(.POST, "/api/v1/admin/users", as: "adminSys", json: body)
            #expect(proposed.status == .accepted)
            #expect(try await UserModel.query(on: world.app.db).filter(\.$username == "sec2").first() == nil, "no account before approval")
            #expect(try await world.call(.POST, "/api/v1/admin/users", as: "adminSys", json: body).status == .conflict)
            let firstHalf = proposed["activationFirstHalf"] as? String ?? ""
            let proposal = (proposed["proposal"] as? [String: Any])?["id"] as? String ?? ""
            // Neither the proposer nor the auditor approves; the security administrator does.
            #expect(try await world.call(.POST, "/api/v1/admin/account-proposals/\(proposal)/approve", as: "adminSys").status == .forbidden)
            #expect(try await world.call(.POST, "/api/v1/admin/account-proposals/\(proposal)/approve", as: "adminAud").status == .forbidden)
            let listed = try await world.call(.GET, "/api/v1/admin/account-proposals", as: "adminSec").array.compactMap {
                $0 as? [String: Any]
            }
            #expect(listed.first?["status"] as? String == "pending")
            let approved = try await world.call(.POST, "/api/v1/admin/account-proposals/\(proposal)/approve", as: "adminSec")
            #expect(approved.status == .created, "\(approved.object)")
            #expect(
                try await world.call(.POST, "/api/v1/admin/account-proposals/\(proposal)/approve", as: "adminSec").errorCode
                    == "PROPOSAL_DECIDED")
            let secondHalf = Self.code(approved)
            // Each administrator's half alone is worthless.
            #expect(try await Self.activate(world, code: firstHalf, newPassword: "Holder-pass-1").errorCode == "ACTIVATION_INVALID")
            #expect(try await Self.activate(world, code: secondHalf, newPassword: "Holder-pass-1").errorCode == "ACTIVATION_INVALID")
            let done = try await Self.activate(world, code: firstHalf + secondHalf, newPassword: "Holder-pass-1")
            #expect(done.status == .ok && done["totp"] != nil)
            let login = try await world.call(
                .POST, "/api/v1/auth/login", json: ["username": "sec2", "password": "Holder-pass-1", "totp": Self.totp(done, world)])
            #expect(login.status == .ok)
            #expect(try await Self.entries(world, "propose-admin-account").first?.actorUserId == world.userIds["adminSys"])
            #expect(
                try await Self.entries(world, "approve-admin-account").filter { $0.result == "accepted" }.map(\.actorUserId) == [
                    world.userIds["adminSec"]
                ])
            #expect(
                try await Self.entries(world, "approve-admin-account").filter { $0.result == "forbidden" }.count == 2,
                "the refused attempts too")

            let again = try await world.call(
                .POST, "/api/v1/admin/users", as: "adminSys",
                json: ["username": "aud2", "organisationId": world.orgId(of: "adminSec").uuidString, "roles": ["auditAdmin"]])
            let rejectId = (again["proposal"] as? [String: Any])?["id"] as? String ?? ""
            #expect(
                try await world.call(.POST, "/api/v1/admin/account-proposals/\(rejectId)/reject", as: "adminSec")["status"] as? String
                    == "rejected")
            #expect(try await UserModel.query(on: world.app.db).filter(\.$username == "aud2").first() == nil)
        }
    }

    @Test("administrators get 403 ADMIN_NO_BUSINESS on business reads over the API, and it is audited", arguments: Backend.all)
    func noBusinessReads(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var walk = Walk(world)
            try await walk.create(Walk.draft(yuan: 3_000_000))
            let paths = [
                "/api/v1/projects", "/api/v1/projects/\(walk.projectId)", "/api/v1/projects/\(walk.projectId)/audit",
                "/api/v1/projects/\(walk.projectId)/documents", "/api/v1/projects/\(walk.projectId)/decisions",
                "/api/v1/projects/\(walk.projectId)/sharing", "/api/v1/projects/\(walk.projectId)/catalog.json",
                "/api/v1/units/\(world.orgId(of: "unitA"))/sharing", "/api/v1/annual-plans", "/api/v1/inbox", "/api/v1/overdue",
            ]
            for admin in AdministrationTests.admins {
                for path in paths {
                    let reply = try await world.call(.GET, path, as: admin)
                    #expect(reply.status == .forbidden && reply.errorCode == "ADMIN_NO_BUSINESS", "\(path) as \(admin): \(reply.status)")
                }
                #expect(try await world.call(.GET, "/api/v1/me", as: admin).status == .ok)
            }
            let refused = try await Self.entries(world, "admin-business-refused")
            #expect(refused.count == paths.count * 3)
        }
    }

    @Test(
        "the CLI path: an operator-set password signs in; an account needing TOTP still gets a code, not a secret", arguments: Backend.all)
    func operatorPath(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let org = try #require(try await OrganisationModel.find(world.orgId(of: "drc"), on: world.app.db))
            let created = try await UserAccounts.create(
                .init(username: "cli1", displayName: "cli1", password: "Operator-pass-1", organisation: org, roles: [.staff]),
                by: nil, client: "cli", app: world.app)
            #expect(created.activation?.purpose == "enrol-totp")
            let login = try await world.call(.POST, "/api/v1/auth/login", json: ["username": "cli1", "password": "Operator-pass-1"])
            #expect(login.errorCode == "TOTP_REQUIRED")
            let done = try await Self.activate(world, code: created.activation?.code ?? "", currentPassword: "Operator-pass-1")
            let totp = Self.totp(done, world)
            #expect(
                try await world.call(.POST, "/api/v1/auth/login", json: ["username": "cli1", "password": "Operator-pass-1", "totp": totp])
                    .status == .ok)
        }
    }

    @Test(
        "activation is throttled like login: oversized fields never stored, wrong codes slow the address, refusals it turns away write nothing, a real code still activates",
        arguments: Backend.all)
    func activationThrottle(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let account = try await Self.newAccount(world, "mz9", org: "unitB")
            let before = try await AuditEntryModel.query(on: world.app.db).count()
            let huge = String(repeating: "A", count: 100_000)
            let oversized = try await Self.activate(world, code: huge, newPassword: huge)
            #expect(
                oversized.status == .badRequest
                    && Set(oversized.violations.compactMap { $0["field"] as? String }) == ["code", "newPassword"])
            #expect(!String(buffer: oversized.raw).contains(String(repeating: "A", count: 200)), "not echoed")
            #expect(try await AuditEntryModel.query(on: world.app.db).count() == before, "nothing stored for an oversized field")
            let page = try await world.page("/activate?code=" + String(repeating: "B", count: 5_000))
            #expect(page.status == .ok && !page.html.contains(String(repeating: "B", count: 200)))

            let threshold = world.app.zhengxin.config.authentication.lockoutThreshold
            for attempt in 1...threshold {
                let wrong = try await Self.activate(world, code: "WRONGCODE\(attempt)", newPassword: "Holder-pass-1")
                #expect(wrong.errorCode == (attempt < threshold ? "ACTIVATION_INVALID" : "TOO_MANY_ATTEMPTS"), "attempt \(attempt)")
            }
            let recorded = try await AuditEntryModel.query(on: world.app.db).filter(\.$action == "activate-account").count()
            #expect(recorded == threshold)
            // Wrong codes are turned away with no entry written.
            for _ in 1...20 {
                let turned = try await Self.activate(world, code: "WRONGAGAIN", newPassword: "Holder-pass-1")
                #expect(turned.status == .tooManyRequests && turned.errorCode == "TOO_MANY_ATTEMPTS")
            }
            #expect(try await AuditEntryModel.query(on: world.app.db).filter(\.$action == "activate-account").count() == recorded)
            // The holder of a real code behind the same address is not kept out by others' guesses (no
            // guess finds a 160-bit code).
            let done = try await Self.activate(world, code: account.code, newPassword: "Holder-pass-1")
            #expect(done.status == .ok, "\(done.object)")
        }
    }

    @Test("pages: /activate sets the password with the form's own CSRF value; /account/password changes it", arguments: Backend.all)
    func pages(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let created = try await Self.newAccount(world, "fin2", org: "fin")
            let form = try await world.page("/activate")
            #expect(form.status == .ok)
            let cookie = try #require(form.headers[.setCookie].first { $0.hasPrefix(AccountPages.activationCookie + "=") })
            let key = String(cookie.dropFirst(AccountPages.activationCookie.count + 1).prefix { $0 != ";" })
            let csrf = try #require(form.csrf)
            let fields = [("code", created.code), ("newPassword", "Holder-pass-1")]
            // Without the form's cookie, or without its value, nothing happens.
            #expect(try await world.page(.POST, "/activate", form: fields + [("_csrf", csrf)]).status == .forbidden)
            #expect(
                try await world.page(.POST, "/activate", form: fields, headers: [("Cookie", "\(AccountPages.activationCookie)=\(key)")])
                    .status == .forbidden)
            let done = try await world.page(
                .POST, "/activate", form: fields + [("_csrf", csrf)], headers: [("Cookie", "\(AccountPages.activationCookie)=\(key)")])
            #expect(done.status == .ok && done.html.contains("otpauth://totp/"))

            let session = try await world.webLogin("unitA")
            let page = try await world.page("/account/password", session: session)
            let token = try #require(page.csrf)
            let wrong = try await world.page(
                .POST, "/account/password", session: session,
                form: [("currentPassword", "Wrong-pass-1"), ("newPassword", "Holder-pass-1"), ("_csrf", token)])
            #expect(wrong.status == .badRequest && wrong.html.contains("当前密码不正确"))
            let changed = try await world.page(
                .POST, "/account/password", session: session,
                form: [("currentPassword", TestWorld.password("unitA")), ("newPassword", "Holder-pass-1"), ("_csrf", token)])
            #expect(changed.status == .ok && changed.html.contains("密码已修改"))
            #expect(try await world.call(.GET, "/api/v1/me", as: "unitA").status == .unauthorized, "the API session ended")
            #expect(try await world.page("/", session: session).status == .ok, "the page's own session stays")
        }
    }
}
