import Fluent
import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// 三权分立 over HTTP: each administrator has its own endpoints and nothing else; none takes a
/// business action; every administrator action is audited.
@Suite("Administration (三权分立)")
struct AdministrationTests {
    static let admins = ["adminSys", "adminSec", "adminAud"]

    func entries(_ world: TestWorld, _ action: String, by user: String) async throws -> [AuditEntryModel] {
        try await AuditEntryModel.query(on: world.app.db).filter(\.$action == action).filter(\.$actorUserId == world.userIds[user]!).all()
    }

    @Test(
        "the system administrator stops and restarts business accounts only; an administrator's is the operator's", arguments: Backend.all)
    func accountsStoppedAndRestarted(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            // 三权分立: the system administrator alone cannot shut out the audit or security administrator.
            for admin in ["adminAud", "adminSec"] {
                let refused = try await world.call(.POST, "/api/v1/admin/users/\(world.userIds[admin]!)/disable", as: "adminSys")
                #expect(refused.status == .forbidden)
                #expect(String(buffer: refused.raw).contains("zhengxin disable-user"))
            }
            #expect(try await world.call(.GET, "/api/v1/admin/audit", as: "adminAud").status == .ok)
            let refusals = try await entries(world, "disable-user", by: "adminSys")
            #expect(refusals.count == 2 && refusals.allSatisfy { $0.result == "forbidden" })

            let unitB = world.userIds["unitB"]!.uuidString
            #expect(try await world.call(.POST, "/api/v1/admin/users/\(unitB)/enable", as: "adminSys").status == .conflict)
            #expect(try await world.call(.POST, "/api/v1/admin/users/\(unitB)/disable", as: "adminSys").status == .ok)
            let login = ["username": "unitB", "password": TestWorld.password("unitB")]
            #expect(try await world.call(.POST, "/api/v1/auth/login", json: login).status == .unauthorized)
            let enabled = try await world.call(.POST, "/api/v1/admin/users/\(unitB)/enable", as: "adminSys")
            #expect(enabled.status == .ok)
            #expect(enabled["active"] as? Bool == true)
            #expect(try await world.call(.POST, "/api/v1/auth/login", json: login).status == .ok)
            #expect(try await entries(world, "enable-user", by: "adminSys").count == 1)
            // An activation code does not outlive a stop: enabling does not bring it back.
            let fresh = try await AccountActivationAndPasswordTests.newAccount(world, "unit3", org: "unitB")
            let freshId = try #require(try await UserModel.query(on: world.app.db).filter(\.$username == "unit3").first()?.requireID())
            #expect(try await world.call(.POST, "/api/v1/admin/users/\(freshId)/disable", as: "adminSys").status == .ok)
            #expect(try await world.call(.POST, "/api/v1/admin/users/\(freshId)/enable", as: "adminSys").status == .ok)
            let reused = try await world.call(.POST, "/api/v1/auth/activate", json: ["code": fresh.code, "newPassword": "Abcdefgh1!"])
            #expect(reused.status != .ok)
            #expect(
                try await world.call(.POST, "/api/v1/admin/users/\(world.userIds["adminAud"]!)/enable", as: "adminSys").status
                    == .forbidden)

            // The operator's CLI (UserActivity, by no one) stops and restarts an administrator, audited as the CLI's.
            let auditor = try #require(try await UserModel.find(world.userIds["adminAud"]!, on: world.app.db))
            try await UserActivity.set(auditor, active: false, by: nil, client: "cli", at: world.clock.now, app: world.app)
            #expect(try await world.call(.GET, "/api/v1/admin/audit", as: "adminAud").status == .unauthorized)
            try await UserActivity.set(auditor, active: true, by: nil, client: "cli", at: world.clock.now, app: world.app)
            #expect(try await UserModel.find(world.userIds["adminAud"]!, on: world.app.db)?.active == true)
            let cli = try await AuditEntryModel.query(on: world.app.db).filter(\.$clientAddress == "cli").sort(\.$seq).all().map(\.action)
            #expect(cli.suffix(2) == ["disable-user", "enable-user"])
        }
    }

    @Test("every other role gets 403 on the administrators' endpoints; anonymous 401; refusals audited", arguments: Backend.all)
    func forbiddenMatrix(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let target = try await UserModel(
                username: "target", displayName: "target", passwordHash: try world.app.password.hash(TestWorld.password("target")),
                organisationId: world.orgId(of: "unitB"), roles: [.staff])
            try await target.create(on: world.app.db)
            let t = target.id!.uuidString
            let newUser: [String: Any] = [
                "username": "matrixUser", "password": "Matrix-pass1", "organisationId": world.orgId(of: "unitB").uuidString,
                "roles": ["staff"],
            ]
            let endpoints: [(HTTPMethod, String, [String: Any]?, Set<String>)] = [
                (.GET, "/api/v1/admin/users", nil, ["adminSys", "adminSec"]),
                (.POST, "/api/v1/admin/users", newUser, ["adminSys"]),
                (.POST, "/api/v1/admin/organisations", ["name": "矩阵机构", "type": "UNIT"], ["adminSys"]),
                (.POST, "/api/v1/admin/users/\(t)/unlock", nil, ["adminSec"]),
                (.POST, "/api/v1/admin/users/\(t)/reset-totp", nil, ["adminSec"]),
                (.POST, "/api/v1/admin/users/\(t)/disable", nil, ["adminSys"]),
                (.GET, "/api/v1/admin/audit", nil, ["adminAud"]),
                (.POST, "/api/v1/policies", [:], ["adminSec"]),
            ]
            for (method, path, body, allowed) in endpoints {
                for caller in TestWorld.accounts.map(\.username) {
                    let reply = try await world.call(method, path, as: caller, json: body)
                    if allowed.contains(caller) {
                        #expect(
                            ![401, 403, 404].contains(reply.status.code) && reply.status.code < 500,
                            "\(method) \(path) as \(caller): \(reply.status)")
                    } else {
                        #expect(reply.status == .forbidden, "\(method) \(path) as \(caller): \(reply.status)")
                    }
                }
                #expect(try await world.call(method, path, json: body).status == .unauthorized)
            }
            let refused = try await AuditEntryModel.query(on: world.app.db).filter(\.$result == "forbidden").filter(
                \.$actorUserId == world.userIds["unitA"]!
            ).count()
            #expect(refused >= 7)
        }
    }

    @Test("administrators take no business action: project creation, annual plans, every lifecycle action", arguments: Backend.all)
    func noBusiness(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var walk = Walk(world)
            try await walk.create(Walk.draft(yuan: 3_000_000))
            for admin in Self.admins {
                #expect(try await world.call(.POST, "/api/v1/projects", as: admin, json: Walk.draft(yuan: 3_000_000)).status == .forbidden)
                let plan: [String: Any] = ["year": 2028, "title": "管理员计划", "lines": [[String: Any]]()]
                #expect(try await world.call(.POST, "/api/v1/annual-plans", as: admin, json: plan).status == .forbidden)
                for rule in Lifecycle.catalog {
                    let reply = try await world.act(walk.projectId, rule.spec.name, as: admin)
                    #expect(reply.status == .forbidden, "\(rule.spec.name) as \(admin): \(reply.status)")
                }
            }
        }
    }

    @Test(
        "system administrator: organisations and users, with 三权分立 and an activation code instead of a password or TOTP secret",
        arguments: Backend.all)
    func systemAdministrator(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let org = try await world.call(.POST, "/api/v1/admin/organisations", as: "adminSys", json: ["name": "市民政局", "type": "UNIT"])
            #expect(org.status == .created)
            let orgId = org["id"] as? String ?? ""
            #expect(
                try await world.call(.POST, "/api/v1/admin/organisations", as: "adminSys", json: ["name": "市民政局", "type": "UNIT"]).status
                    == .conflict)
            func create(_ username: String, roles: [String] = ["staff"], org: String? = nil) async throws -> JSONReply {
                try await world.call(
                    .POST, "/api/v1/admin/users", as: "adminSys",
                    json: ["username": username, "organisationId": org ?? orgId, "roles": roles])
            }
            #expect(try await create("mz1").status == .accepted, "proposed; created on a security administrator's approval")
            #expect(try await create("mz1").status == .conflict)
            for roles in [["systemAdmin", "staff"], ["securityAdmin", "auditAdmin"], ["auditAdmin", "viewer"], ["boss"]] {
                #expect(try await create("mixed", roles: roles).status == .badRequest, "\(roles)")
            }
            // The password rules apply where the holder sets it (AccountActivationAndPasswordTests); the
            // administrators get half a code each and no TOTP secret.
            let agency = try await AccountActivationAndPasswordTests.newAccount(world, "drc2", org: "drc")
            #expect(agency.approved.status == .created)
            #expect(agency.approved["totp"] == nil && agency.proposed["totp"] == nil && agency.code.count == 64)
            let code = agency.code
            let activated = try await world.call(.POST, "/api/v1/auth/activate", json: ["code": code, "newPassword": "Abcdefgh1!"])
            let secret = (activated["totp"] as? [String: Any])?["secret"] as? String ?? ""
            let totp = TOTPCode.code(
                secret: TOTPCode.secret(base32: secret) ?? [], step: TOTPCode.step(at: world.clock.now.secondsSinceEpoch))
            #expect(
                try await world.call(.POST, "/api/v1/auth/login", json: ["username": "drc2", "password": "Abcdefgh1!", "totp": totp]).status
                    == .ok)

            let unitB = world.userIds["unitB"]!.uuidString
            #expect(try await world.call(.POST, "/api/v1/admin/users/\(unitB)/disable", as: "adminSys").status == .ok)
            #expect(try await world.call(.GET, "/api/v1/me", as: "unitB").status == .unauthorized)
            #expect(
                try await world.call(.POST, "/api/v1/auth/login", json: ["username": "unitB", "password": TestWorld.password("unitB")])
                    .status == .unauthorized)
            #expect(
                try await world.call(.POST, "/api/v1/admin/users/\(world.userIds["adminSys"]!)/disable", as: "adminSys").status == .conflict
            )
            let list = try await world.call(.GET, "/api/v1/admin/users", as: "adminSys")
            let listed = list.array.compactMap { $0 as? [String: Any] }
            #expect(listed.contains { $0["username"] as? String == "unitB" && $0["active"] as? Bool == false })
            #expect(!String(buffer: list.raw).contains("passwordHash"))
            #expect(try await entries(world, "create-org", by: "adminSys").count == 1)
            #expect(try await entries(world, "propose-admin-account", by: "adminSys").count == 2)
            #expect(try await entries(world, "disable-user", by: "adminSys").count == 1)
        }
    }

    @Test("security administrator: unlocks an account and resets a TOTP device (the holder re-enrols)", arguments: Backend.all)
    func securityAdministrator(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            for _ in 1...5 {
                _ = try await world.call(.POST, "/api/v1/auth/login", json: ["username": "unitB", "password": "Wrong-pass1"])
            }
            let users = try await world.call(.GET, "/api/v1/admin/users", as: "adminSec").array.compactMap { $0 as? [String: Any] }
            #expect(users.first { $0["username"] as? String == "unitB" }?["lockedUntil"] != nil)
            #expect(try await world.login("unitB", password: TestWorld.password("unitB")).status == .locked)
            let unitB = world.userIds["unitB"]!.uuidString
            #expect(try await world.call(.POST, "/api/v1/admin/users/\(unitB)/unlock", as: "adminSec").status == .ok)
            #expect(try await world.login("unitB", password: TestWorld.password("unitB")).status == .ok)

            let drc = world.userIds["drc"]!.uuidString
            let reset = try await world.call(.POST, "/api/v1/admin/users/\(drc)/reset-totp", as: "adminSec")
            #expect(reset.status == .ok)
            world.clock.set(CivilDate(2026, 3, 2), hour: 10, minute: 5)
            let old = try await world.call(
                .POST, "/api/v1/auth/login",
                json: ["username": "drc", "password": TestWorld.password("drc"), "totp": world.totpCode("drc")])
            #expect(old.errorCode == "TOTP_REQUIRED")
            let code = (reset["activation"] as? [String: Any])?["code"] as? String ?? ""
            let enrolled = try await world.call(
                .POST, "/api/v1/auth/activate", json: ["code": code, "currentPassword": TestWorld.password("drc")])
            let fresh = TOTPCode.code(
                secret: TOTPCode.secret(base32: (enrolled["totp"] as? [String: Any])?["secret"] as? String ?? "") ?? [],
                step: TOTPCode.step(at: world.clock.now.secondsSinceEpoch))
            #expect(
                try await world.call(
                    .POST, "/api/v1/auth/login", json: ["username": "drc", "password": TestWorld.password("drc"), "totp": fresh]
                ).status == .ok)
            #expect(try await entries(world, "unlock-account", by: "adminSec").count == 1)
            #expect(try await entries(world, "reset-totp", by: "adminSec").count == 1)
        }
    }

    @Test("audit administrator: the whole record, paged and filtered; reading it is audited", arguments: Backend.all)
    func auditAdministrator(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var walk = Walk(world)
            try await walk.create(Walk.draft(yuan: 3_000_000))
            let all = try await world.call(.GET, "/api/v1/admin/audit?perPage=500", as: "adminAud")
            #expect(all.status == .ok)
            let total = all["total"] as? Int ?? 0
            #expect(total >= TestWorld.accounts.count + 1)
            let page2 = try await world.call(.GET, "/api/v1/admin/audit?perPage=2&page=2", as: "adminAud")
            #expect((page2["items"] as? [Any])?.count == 2)
            #expect(page2["page"] as? Int == 2)
            let logins = try await world.call(.GET, "/api/v1/admin/audit?action=login", as: "adminAud")
            #expect(logins["total"] as? Int == TestWorld.accounts.count)
            let byUnit = try await world.call(.GET, "/api/v1/admin/audit?actorUserId=\(world.userIds["unitA"]!)", as: "adminAud")
            let actions = ((byUnit["items"] as? [[String: Any]]) ?? []).compactMap { $0["action"] as? String }
            #expect(Set(actions) == ["login", "create"])
            let byProject = try await world.call(.GET, "/api/v1/admin/audit?projectId=\(walk.projectId)", as: "adminAud")
            #expect(byProject["total"] as? Int == 1)
            #expect(try await world.call(.GET, "/api/v1/admin/audit?projectId=nope", as: "adminAud").status == .badRequest)
            #expect(try await entries(world, "view-audit", by: "adminAud").count == 5)
        }
    }
}
