import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// Runs AuthorisationMatrix and the IDOR attempts across units, vendors and 涉密.
@Suite("Authorisation matrix")
struct AuthorisationMatrixTests {
    /// The ids the matrix placeholders stand for.
    struct Places {
        var project: String
        var unit: String
        var plan: String
        var user = ""

        func fill(_ path: String) -> String {
            path.replacingOccurrences(of: "{project}", with: project).replacingOccurrences(of: "{unit}", with: unit)
                .replacingOccurrences(of: "{plan}", with: plan).replacingOccurrences(of: "{user}", with: user)
                .replacingOccurrences(of: "{proposal}", with: "00000000-0000-0000-0000-000000000000")  // no such proposal
        }
    }

    static func send(
        _ row: MatrixRow, _ places: Places, as caller: String?, in world: TestWorld,
        actionBody: MatrixRow.Body? = nil
    ) async throws -> JSONReply {
        let path = places.fill(row.path)
        let body = row.path.contains("/actions/") ? (actionBody ?? row.body) : row.body
        switch body {
        case .none: return try await world.call(row.method, path, as: caller)
        case .json(let text): return try await world.call(row.method, path, as: caller, raw: Data(places.fill(text).utf8))
        case .upload(let text, let type): return try await world.call(row.method, path, as: caller, raw: Data(text.utf8), contentType: type)
        }
    }

    /// Every refusal comes in the one error shape with a code and a Chinese message.
    static func hasErrorShape(_ reply: JSONReply) -> Bool {
        guard let error = reply["error"] as? [String: Any] else { return false }
        return error["code"] is String && (error["message"] as? String).map { !$0.isEmpty } == true && error["violations"] is [Any]
    }

    @Test("every endpoint × every role gets the status in the table", arguments: Backend.all)
    func matrix(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            let plans = try await world.call(.GET, "/api/v1/annual-plans", as: "drc").array
            let planId = (plans.first as? [String: Any])?["id"] as? String ?? ""
            // The administrators' target: an agency account (TOTP) of its own, so disabling it spares the callers.
            let target = UserModel(
                username: "matrixTarget", displayName: "matrixTarget",
                passwordHash: try world.app.password.hash(TestWorld.password("matrixTarget")),
                organisationId: world.orgId(of: "drc"), roles: [.staff])
            try await target.create(on: world.app.db)
            try await TestWorld.enrolTOTP(target.id!, username: "matrixTarget", on: world.app.db)
            let places = Places(
                project: w.projectId, unit: world.orgId(of: "unitA").uuidString, plan: planId,
                user: target.id!.uuidString)
            var failures: [String] = []
            for row in AuthorisationMatrix.endpoints + [AuthorisationMatrix.logout] {
                for caller in AuthorisationMatrix.everyCaller {
                    let reply = try await Self.send(row, places, as: caller, in: world)
                    let expected = row.expectation(for: caller)
                    if !expected.admits(reply.status) {
                        failures.append("\(row.method) \(row.path) as \(caller ?? "anonymous"): \(reply.status.code), expected \(expected)")
                    }
                    if reply.status.code >= 400 && !Self.hasErrorShape(reply) {
                        failures.append(
                            "\(row.method) \(row.path) as \(caller ?? "anonymous"): \(reply.status.code) not in the error shape")
                    }
                    // 三权分立: a business route refuses an administrator for being one, not for anything else.
                    if row.business, let caller, AuthorisationMatrix.administrators.contains(caller),
                        reply.errorCode != AdministratorScope.code
                    {
                        failures.append(
                            "\(row.method) \(row.path) as \(caller): \(reply.errorCode ?? "no code"), expected \(AdministratorScope.code)")
                    }
                }
            }
            #expect(failures.isEmpty, "\(failures.count) cells differ:\n\(failures.joined(separator: "\n"))")
            // Logged out everywhere: the sessions are gone, not just the replies.
            for caller in AuthorisationMatrix.everyCaller.compactMap({ $0 }) {
                #expect(try await world.call(.GET, "/api/v1/me", as: caller).status == .unauthorized, "\(caller)")
            }
        }
    }

    @Test("the table covers every route the server has", arguments: [Backend.sqlite])
    func coverage(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let tabled = Set(
                (AuthorisationMatrix.endpoints + [AuthorisationMatrix.logout]).map { row in
                    "\(row.method) " + Self.shape(row.path.components(separatedBy: "?")[0])
                }
            ).union(
                (WebAuthorisationMatrix.rows + [WebAuthorisationMatrix.logout]).map { row in  // pages: their own table
                    "\(row.method) " + Self.shape(row.path.components(separatedBy: "?")[0])
                })
            let routes = world.app.routes.all.map { route in
                "\(route.method) /" + route.path.map { $0.description.hasPrefix(":") ? "*" : $0.description }.joined(separator: "/")
            }
            let missing = routes.filter { !tabled.contains($0) }
            #expect(missing.isEmpty, "routes without a row in AuthorisationMatrix: \(missing)")
        }
    }

    /// A table path with its placeholders and concrete segments (a document number, an id) turned into
    /// "*", as the router shows parameters; actions are one route, `:action`.
    static func shape(_ path: String) -> String {
        var parts = path.split(separator: "/").map(String.init)
        for (i, part) in parts.enumerated()
        where part.hasPrefix("{") || (i > 0 && ["documents", "decisions"].contains(parts[i - 1])) || UUID(uuidString: part) != nil {
            parts[i] = "*"
        }
        if let i = parts.firstIndex(of: "actions"), i + 1 < parts.count { parts[i + 1] = "*" }
        return "/" + parts.joined(separator: "/")
    }

    @Test(
        "IDOR: another unit, an uncontracted vendor and users not named on a 涉密 project get 404 everywhere and change nothing",
        arguments: Backend.all)
    func idor(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let contracted = try await RefusalTests.constructing(world)
            var other = Walk(world)
            try await other.create(Walk.draft(name: "未签约项目", yuan: 1_000_000))
            var secret = Walk(world)
            try await secret.create(Walk.draft(name: "涉密专网", yuan: 1_000_000, extra: ["classified": true]))
            let plans = try await world.call(.GET, "/api/v1/annual-plans", as: "drc").array
            let planId = (plans.first as? [String: Any])?["id"] as? String ?? ""
            let attempts: [(String, Walk)] = [
                ("unitB", contracted), ("unitB", other), ("unitB", secret), ("vendor", other), ("vendor", secret),
                ("unitA2", secret), ("drc", secret), ("aud", secret), ("drcViewer", secret),
            ]
            let blobs = try Self.blobCount(world)
            for (caller, walk) in attempts {
                let before = try await Self.snapshot(walk, world)
                let places = Places(project: walk.projectId, unit: world.orgId(of: "unitA").uuidString, plan: planId)
                for row in AuthorisationMatrix.endpoints where row.projectScoped {
                    // A well-formed body: if scoping failed, the action would really happen.
                    let reply = try await Self.send(row, places, as: caller, in: world, actionBody: .json("{}"))
                    #expect(reply.status == .notFound, "\(row.method) \(row.path) as \(caller) on \(walk.projectId): \(reply.status)")
                    #expect(["NOT_FOUND", "UNKNOWN_ACTION"].contains(reply.errorCode ?? ""), "\(row.path) as \(caller)")
                }
                HostileInputTests.expectSame(before, try await Self.snapshot(walk, world), "\(caller) on \(walk.projectId)")
            }
            // Nothing of theirs reached the document store either.
            #expect(try Self.blobCount(world) == blobs)
        }
    }

    @Test(
        "scoped lists: a unit sees only its own plan lines; 涉密 projects are counted, never shown, to those not named",
        arguments: Backend.all)
    func scopedLists(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let contracted = try await RefusalTests.constructing(world)
            var secret = Walk(world)
            try await secret.create(Walk.draft(name: "涉密专网", yuan: 1_000_000, extra: ["classified": true]))
            let planId =
                (try await world.call(.GET, "/api/v1/annual-plans", as: "drc").array.first as? [String: Any])?["id"] as? String ?? ""
            let lines = { (user: String) async throws -> Int in
                ((try await world.call(.GET, "/api/v1/annual-plans/\(planId)", as: user)["lines"]) as? [Any])?.count ?? -1
            }
            #expect(try await lines("drc") == 1)
            #expect(try await lines("unitA") == 1)
            #expect(try await lines("unitB") == 0)
            #expect(try await lines("vendor") == 1)  // contracted on it
            let unitPath = "/api/v1/units/\(world.orgId(of: "unitA").uuidString)/sharing"
            for user in ["unitA2", "drc", "aud"] {
                let figures = try await world.call(.GET, unitPath, as: user)
                let ids = (figures["projects"] as? [[String: Any]] ?? []).compactMap { $0["projectId"] as? String }
                #expect(figures["hiddenClassifiedProjects"] as? Int == 1, "\(user)")
                #expect(!ids.contains(secret.projectId) && ids.contains(contracted.projectId), "\(user)")
            }
            let own = try await world.call(.GET, unitPath, as: "unitA")
            #expect(own["hiddenClassifiedProjects"] as? Int == 0)
            for user in ["unitA2", "drc", "vendor"] {
                let list = try await world.call(.GET, "/api/v1/projects", as: user).array.compactMap {
                    ($0 as? [String: Any])?["id"] as? String
                }
                #expect(!list.contains(secret.projectId), "\(user)")
            }
        }
    }

    /// The project as its owner sees it and its audit record as the auditor sees it.
    static func snapshot(_ walk: Walk, _ world: TestWorld) async throws -> String {
        let project = try await world.call(.GET, "/api/v1/projects/\(walk.projectId)", as: "unitA")
        let audit = try await world.call(.GET, "/api/v1/projects/\(walk.projectId)/audit", as: "unitA")
        #expect(project.status == .ok && audit.status == .ok)
        return HostileInputTests.canonical(project) + "\n" + HostileInputTests.canonical(audit)
    }

    static func blobCount(_ world: TestWorld) throws -> Int {
        let root = world.app.zhengxin.config.dataDirectory + "/documents"
        return (FileManager.default.enumerator(atPath: root)?.allObjects.count) ?? 0
    }
}
