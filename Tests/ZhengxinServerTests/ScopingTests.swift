import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

/// Who sees and does what (第三条, 第五条; 第十七条 for 涉密).
@Suite("Scoping by organisation and role")
struct ScopingTests {
    @Test("a unit gets 404 for another unit's project, everywhere", arguments: Backend.all)
    func otherUnit(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            let id = w.projectId
            for path in ["", "/actions", "/documents", "/audit"] {
                #expect(try await world.call(.GET, "/api/v1/projects/\(id)\(path)", as: "unitB").status == .notFound)
            }
            let act = try await world.act(id, "declare", as: "unitB")
            #expect(act.status == .notFound)
            #expect(act.errorCode == "NOT_FOUND")
            let upload = try await world.call(
                .POST, "/api/v1/projects/\(id)/documents?kind=other&filename=a.txt", as: "unitB", raw: Data("hello".utf8),
                contentType: "text/plain")
            #expect(upload.status == .notFound)
            #expect(try await world.call(.GET, "/api/v1/projects", as: "unitB").array.isEmpty)
            #expect(try await world.call(.GET, "/api/v1/projects", as: "unitA").array.count == 1)
            #expect(try await world.call(.GET, "/api/v1/projects", as: "unitA2").array.count == 1)
            #expect(try await w.project().stage == "draft")
        }
    }

    // Opening a record (unsealing a 涉密 one) takes time an unknown id does not; a unit's statement finds
    // only its unit's rows (ProjectQueries.Reach), so another unit's 404 cannot be told from an unknown
    // id's by its time. A record that cannot be opened shows this without timing anything: its own
    // unit fails on it, another unit never reaches it.
    @Test("another unit's project is refused before its record is opened", arguments: Backend.all)
    func otherUnitRefusedBeforeOpening(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            let id = w.projectId
            let sql = world.app.db as! any SQLDatabase
            try await sql.raw("UPDATE projects SET record = 'not a record' WHERE id = \(bind: try #require(UUID(uuidString: id)))").run()
            #expect(try await world.call(.GET, "/api/v1/projects/\(id)", as: "unitB").status == .notFound)
            #expect(try await world.call(.GET, "/api/v1/projects/\(id)/documents", as: "unitB").status == .notFound)
            #expect(try await world.act(id, "declare", as: "unitB").status == .notFound)
            // Its own unit opens it, and fails on it.
            let own = try await world.call(.GET, "/api/v1/projects/\(id)", as: "unitA").status
            #expect(own != .ok && own != .notFound, "\(own)")
        }
    }

    @Test("agencies see all projects but get 403 for another agency's action", arguments: Backend.all)
    func agencies(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            try await world.must(w.projectId, "declare", as: "unitA")
            for agency in ["drc", "fin", "bdb", "aud"] {
                #expect(try await world.call(.GET, "/api/v1/projects", as: agency).array.count == 1)
                #expect(try await world.call(.GET, "/api/v1/projects/\(w.projectId)", as: agency).status == .ok)
            }
            for user in ["drc", "fin", "aud", "unitA", "drcViewer"] {
                let reply = try await world.act(w.projectId, "start-technical-review", as: user)
                #expect(reply.status == .forbidden, "\(user)")
                #expect(reply.errorCode == "FORBIDDEN")
            }
            let create = try await world.call(.POST, "/api/v1/projects", as: "drc", json: Walk.draft(yuan: 1))
            #expect(create.status == .forbidden)
            let plan = try await world.call(
                .POST, "/api/v1/annual-plans", as: "unitA", json: ["year": 2027, "title": "x", "lines": [] as [Any]])
            #expect(plan.status == .forbidden)
            // Refused attempts are on the audit record too.
            let audit = try await world.call(.GET, "/api/v1/projects/\(w.projectId)/audit", as: "aud")
            let results = audit.array.compactMap { ($0 as? [String: Any])?["result"] as? String }
            #expect(results.filter { $0 == "forbidden" }.count == 5)
            #expect(results.filter { $0 == "accepted" }.count == 2)
        }
    }

    @Test("a vendor sees only the projects it is contracted on; a 涉密 project only named users", arguments: Backend.all)
    func vendorAndClassified(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let contracted = try await RefusalTests.constructing(world)
            var other = Walk(world)
            try await other.create(Walk.draft(yuan: 1_000_000))
            let vendorList = try await world.call(.GET, "/api/v1/projects", as: "vendor")
            #expect(vendorList.array.count == 1)
            #expect(try await world.call(.GET, "/api/v1/projects/\(other.projectId)", as: "vendor").status == .notFound)
            #expect(try await world.call(.GET, "/api/v1/projects/\(contracted.projectId)", as: "vendor").status == .ok)
            #expect(try await world.call(.GET, "/api/v1/projects/\(contracted.projectId)/audit", as: "vendor").status == .forbidden)

            var secret = Walk(world)
            try await secret.create(Walk.draft(name: "涉密专网", yuan: 1_000_000, extra: ["classified": true]))
            #expect(try await world.call(.GET, "/api/v1/projects/\(secret.projectId)", as: "unitA2").status == .notFound)
            #expect(try await world.call(.GET, "/api/v1/projects/\(secret.projectId)", as: "drc").status == .notFound)
            #expect(try await world.call(.GET, "/api/v1/projects", as: "drc").array.count == 2)
            // Only an existing, active business account of an organisation that sees the project once named
            // can be named (not another unit's user, not a vendor without a contract on it); an unnamed caller
            // learns nothing whatever id it sends.
            for grantee in [UUID(), world.userIds["adminSec"]!, world.userIds["unitB"]!, world.userIds["vendor"]!].map(\.uuidString) {
                let refused = try await world.act(secret.projectId, "grant-classified-access", as: "unitA", ["userId": grantee])
                #expect(
                    refused.status == .unprocessableEntity && refused.ruleIds == ["R-CON-5"]
                        && refused.violations.first?["field"] as? String == "userId")
                #expect(
                    try await world.act(secret.projectId, "grant-classified-access", as: "unitA2", ["userId": grantee]).status == .notFound)
            }
            try await world.must(secret.projectId, "grant-classified-access", as: "unitA", ["userId": world.userIds["drc"]!.uuidString])
            #expect(try await world.call(.GET, "/api/v1/projects/\(secret.projectId)", as: "drc").status == .ok)
        }
    }

    @Test("no token, a bad token, or an expired session gets 401", arguments: Backend.all)
    func authentication(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            #expect(try await world.call(.GET, "/api/v1/projects").status == .unauthorized)
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: "forged")
            let forged = try await world.app.testing().sendRequest(.GET, "/api/v1/projects", headers: headers)
            #expect(forged.status == .unauthorized)
            let wrong = try await world.call(.POST, "/api/v1/auth/login", json: ["username": "drc", "password": "nope"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.errorCode == "LOGIN_FAILED")
            let me = try await world.call(.GET, "/api/v1/me", as: "unitA")
            #expect(me["organisationType"] as? String == "UNIT")
            world.clock.set(CivilDate(2046, 3, 3))
            #expect(try await world.call(.GET, "/api/v1/me", as: "unitA").status == .unauthorized)
        }
    }
}
