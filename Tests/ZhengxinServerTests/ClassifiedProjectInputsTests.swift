import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// R-CON-5 (第十七条) against every input that names a project: a 涉密 project the caller is not named
/// on is indistinguishable from an unknown id — in answers, in refusals, in plans and in the audit
/// record — whichever route or field names it. The routes and fields come from the OpenAPI document,
/// so a new one cannot skip the check.
@Suite("Inputs naming a project: an unnamed 涉密 project is an unknown id")
struct ClassifiedProjectInputsTests {
    static let secretName = "市委要害部门指挥调度专网"
    static let secretYuan: Int64 = 3_210_987

    /// A second DRC user, named on nothing.
    static func withStranger(_ world: TestWorld) async throws -> TestWorld {
        let user = UserModel(
            username: "drc2", displayName: "drc2", passwordHash: try world.app.password.hash(TestWorld.password("drc2")),
            organisationId: world.orgId(of: "drc"), roles: [.staff])
        try await user.create(on: world.app.db)
        try await TestWorld.enrolTOTP(user.id!, username: "drc2", on: world.app.db)
        var tokens = world.tokens
        tokens["drc2"] = try await world.login("drc2", password: TestWorld.password("drc2"))["token"] as? String
        var userIds = world.userIds
        userIds["drc2"] = user.id!
        return TestWorld(app: world.app, clock: world.clock, backend: world.backend, tokens: tokens, orgIds: world.orgIds, userIds: userIds)
    }

    /// unitA's 涉密 project in the reserve pool, with "drc" and "bdb" named on it.
    static func secretInReserve(_ world: TestWorld) async throws -> (walk: Walk, code: String) {
        var w = Walk(world)
        try await w.create(Walk.draft(name: secretName, yuan: secretYuan, extra: ["classified": true]))
        for agency in ["drc", "bdb"] {
            try await world.must(w.projectId, "grant-classified-access", as: "unitA", ["userId": world.userIds[agency]!.uuidString])
        }
        try await w.toReserve()
        let code = try await world.call(.GET, "/api/v1/projects/\(w.projectId)", as: "unitA").project["code"] as? String ?? "?"
        return (w, code)
    }

    static func text(_ reply: JSONReply) -> String { String(buffer: reply.raw) }

    /// What a reply says, with the id it was asked about written as ID.
    static func said(_ reply: JSONReply, about id: String) -> String {
        let parsed = try? JSONSerialization.jsonObject(with: Data(buffer: reply.raw), options: [.fragmentsAllowed])
        let canonical = parsed.flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys, .fragmentsAllowed]) }
        let body = canonical.map { String(decoding: $0, as: UTF8.self) } ?? text(reply)
        return "\(reply.status.code) " + body.replacingOccurrences(of: id, with: "ID").replacingOccurrences(of: id.lowercased(), with: "ID")
    }

    /// Bodies for the operations whose request body names a project by id; `id` goes where it does.
    static let operationsWithBodyNamingProject: Set<String> = ["POST /api/v1/annual-plans"]

    static func body(_ operation: String, naming id: String, amount: Int64) -> [String: Any]? {
        switch operation {
        case "POST /api/v1/annual-plans":
            return ["year": 2027, "title": "2027年度计划", "lines": [["projectId": id, "plannedAmountFen": amount]]]
        default: return nil
        }
    }

    /// Query parameters naming a project, and why they need no check here.
    static let queryNamingProjectExempt: [String: String] = [
        "GET /api/v1/admin/audit": "审计管理员读取审计记录;涉密项目的条目以密文保存,只显示〔涉密项目内容,已加密存储〕"
    ]

    /// The JSON schema at `value`, with `$ref`s followed, holds a property named projectId.
    static func namesProject(_ value: Any?, _ schemas: [String: Any], depth: Int = 0) -> Bool {
        guard depth < 12, let object = value as? [String: Any] else { return false }
        if let ref = object["$ref"] as? String {
            return namesProject(schemas[String(ref.split(separator: "/").last ?? "")], schemas, depth: depth + 1)
        }
        if let properties = object["properties"] as? [String: Any] {
            if properties["projectId"] != nil { return true }
            if properties.values.contains(where: { namesProject($0, schemas, depth: depth + 1) }) { return true }
        }
        return namesProject(object["items"], schemas, depth: depth + 1)
            || ((object["allOf"] ?? object["oneOf"] ?? object["anyOf"]) as? [Any] ?? []).contains {
                namesProject($0, schemas, depth: depth + 1)
            }
    }

    @Test("every route and field that names a project answers an unnamed 涉密 id as an unknown one", arguments: Backend.all)
    func everyInputNamingAProject(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { base in
            let world = try await Self.withStranger(base)
            let (secret, code) = try await Self.secretInReserve(world)
            let unknown = UUID().uuidString
            let doc = try await world.call(.GET, "/api/v1/openapi.json")
            let paths = doc["paths"] as? [String: [String: Any]] ?? [:]
            let schemas = (doc["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
            var checkedPaths = 0
            var bodies: Set<String> = []
            for (template, operations) in paths.sorted(by: { $0.key < $1.key }) {
                for (method, spec) in operations {
                    let op = "\(method.uppercased()) \(template)"
                    let spec = spec as? [String: Any] ?? [:]
                    let params = spec["parameters"] as? [[String: Any]] ?? []
                    if params.contains(where: { $0["name"] as? String == "projectId" && $0["in"] as? String == "query" }) {
                        #expect(
                            Self.queryNamingProjectExempt[op] != nil,
                            "\(op): a query parameter names a project; check it as GET does and add it here")
                    }
                    let body =
                        ((spec["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"] as? [String: Any]
                    if Self.namesProject(body?["schema"], schemas) {
                        bodies.insert(op)
                        guard Self.operationsWithBodyNamingProject.contains(op) else {
                            Issue.record("\(op): its body names a project; add it to body(_:naming:amount:)")
                            continue
                        }
                        for amount in [Int64(1), Self.secretYuan * 100, Self.secretYuan * 100 + 1, 1_000_000_000_000_000] {
                            let seen = try await world.call(
                                HTTPMethod(rawValue: method.uppercased()), template, as: "drc2",
                                json: Self.body(op, naming: secret.projectId, amount: amount))
                            let none = try await world.call(
                                HTTPMethod(rawValue: method.uppercased()), template, as: "drc2",
                                json: Self.body(op, naming: unknown, amount: amount))
                            #expect(Self.said(seen, about: secret.projectId) == Self.said(none, about: unknown), "\(op) amount \(amount)")
                            #expect(!Self.text(seen).contains(Self.secretName) && !Self.text(seen).contains(code), "\(op)")
                        }
                    }
                    guard template.contains("{projectId}") else { continue }
                    checkedPaths += 1
                    let filled = { (id: String) in
                        template.replacingOccurrences(of: "{projectId}", with: id)
                            .replacingOccurrences(of: #"\{[A-Za-z]+\}"#, with: "1", options: .regularExpression)
                    }
                    let method = HTTPMethod(rawValue: method.uppercased())
                    let seen = try await world.call(
                        method, filled(secret.projectId), as: "drc2", json: method == .GET ? nil : [String: Any]())
                    let none = try await world.call(method, filled(unknown), as: "drc2", json: method == .GET ? nil : [String: Any]())
                    #expect(Self.said(seen, about: secret.projectId) == Self.said(none, about: unknown), "\(op)")
                    #expect(seen.status == .notFound, "\(op): \(seen.status)")
                }
            }
            #expect(bodies == Self.operationsWithBodyNamingProject, "every known body still names a project in the document")
            #expect(checkedPaths > 60, "the document lists the project routes (\(checkedPaths))")
        }
    }

    @Test(
        "R-CON-5: plans show a 涉密 line only to those named on it; its refusals and plans are sealed in the audit record",
        arguments: Backend.all)
    func plansAndTheirAuditRecord(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { base in
            let world = try await Self.withStranger(base)
            let (secret, code) = try await Self.secretInReserve(world)
            var open = Walk(world, unit: "unitB")
            try await open.create(Walk.draft(name: "教育资源公共服务平台", yuan: 2_000_000))
            try await open.toReserve()
            let secretFen = Self.secretYuan * 100 - 1
            // The stranger's attempt is answered as for an unknown id (the first test) and sealed on the record.
            let attempt = try await world.call(
                .POST, "/api/v1/annual-plans", as: "drc2",
                json: ["year": 2027, "title": "计划", "lines": [["projectId": secret.projectId, "plannedAmountFen": secretFen]]])
            #expect(attempt.status == .badRequest)
            let plan = try await world.call(
                .POST, "/api/v1/annual-plans", as: "drc",
                json: [
                    "year": 2027, "title": "2027年度计划",
                    "lines": [
                        ["projectId": secret.projectId, "plannedAmountFen": secretFen],
                        ["projectId": open.projectId, "plannedAmountFen": 2_000_000_00],
                    ],
                ])
            #expect(plan.status == .created, "\(plan.violations)")
            let planId = plan["id"] as? String ?? ""
            for user in ["drc2", "fin", "aud", "bdb", "drcViewer"] {
                for path in ["/api/v1/annual-plans", "/api/v1/annual-plans/\(planId)"] {
                    let reply = try await world.call(.GET, path, as: user)
                    let shown = path.hasSuffix(planId) ? reply.object : (reply.array.first as? [String: Any] ?? [:])
                    let ids = (shown["lines"] as? [[String: Any]] ?? []).compactMap { $0["projectId"] as? String }
                    let expectSecret = user == "bdb"  // named on it
                    #expect(ids.contains(secret.projectId) == expectSecret, "\(user) \(path)")
                    #expect(ids.contains(open.projectId), "\(user) \(path)")
                    #expect(shown["restrictedLines"] as? Int == (expectSecret ? nil : 1), "\(user) \(path)")
                    if !expectSecret {
                        #expect(
                            !Self.text(reply).contains(secret.projectId) && !Self.text(reply).contains(String(secretFen)), "\(user) \(path)"
                        )
                    }
                }
            }
            let unitB = try await world.call(.GET, "/api/v1/annual-plans/\(planId)", as: "unitB")
            #expect((unitB["lines"] as? [Any])?.count == 1 && unitB["restrictedLines"] == nil, "a unit is told nothing of others' lines")
            let named = try await world.call(.GET, "/api/v1/annual-plans/\(planId)", as: "drc")
            #expect((named["lines"] as? [Any])?.count == 2)

            // The audit administrator reads no word of it; neither does the database in the clear.
            let audit = try await world.call(.GET, "/api/v1/admin/audit?perPage=500", as: "adminAud")
            #expect(audit.status == .ok)
            // (Which project an entry is filed under stays readable to the auditor, as for every entry.)
            for needle in [Self.secretName, code, String(secretFen), "3,210,986.99"] {
                #expect(!Self.text(audit).contains(needle), "audit administrator reads \(needle)")
            }
            let sql = world.app.db as! any SQLDatabase
            let rows = try await sql.raw("SELECT summary, before, after, violations FROM audit_entries WHERE project_id IS NULL").all()
            #expect(rows.count >= 3)
            for row in rows {
                let texts = try ["summary", "before", "after", "violations"].map { try row.decode(column: $0, as: String.self) }.joined(
                    separator: "|")
                for needle in [Self.secretName, code, secret.projectId, String(secretFen)] {
                    #expect(!texts.contains(needle), "an audit entry holds \(needle) in the clear")
                }
            }
            // Named readers see the project's own record opened, as before.
            let own = try await world.call(.GET, "/api/v1/projects/\(secret.projectId)/audit", as: "unitA")
            #expect(Self.text(own).contains(Self.secretName))
        }
    }

    @Test("paging from outside is bounded before arithmetic: the largest page answers 400, not a crash", arguments: Backend.all)
    func auditPagingIsBounded(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            for query in [
                "page=9223372036854775807&perPage=500", "page=-9223372036854775808", "page=0", "perPage=0", "perPage=501", "page=abc",
                "perPage=99999999999999999999999", "page=1000001", "action=" + String(repeating: "x", count: 101),
                "before=0", "before=-1", "before=x", "before=9223372036854775808", "before=5&page=2",
            ] {
                let reply = try await world.call(.GET, "/api/v1/admin/audit?\(query)", as: "adminAud")
                #expect(reply.status == .badRequest, "\(query): \(reply.status)")
                #expect(reply.errorCode == "INVALID_INPUT" || reply.errorCode != nil, "\(query)")
            }
            let last = try await world.call(.GET, "/api/v1/admin/audit?page=1000000&perPage=500", as: "adminAud")
            #expect(last.status == .ok)
            #expect((last["items"] as? [Any])?.isEmpty == true)
            let after = try await world.call(.GET, "/api/v1/admin/audit?page=1&perPage=1", as: "adminAud")
            #expect(after.status == .ok, "still serving")
        }
    }

    @Test("a refused declaration body is on the audit record; −2^63−1 names its field; a repeated key is refused", arguments: Backend.all)
    func unreadableDeclarationIsAudited(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let sql = world.app.db as! any SQLDatabase
            func refusedCreates() async throws -> Int {
                try await sql.raw("SELECT COUNT(*) AS n FROM audit_entries WHERE action = 'create' AND result = 'refused'").first()!.decode(
                    column: "n", as: Int.self)
            }
            let before = try await refusedCreates()
            let malformed = try await world.call(.POST, "/api/v1/projects", as: "unitA", raw: Data("{\"name\": ".utf8))
            #expect(malformed.status == .badRequest)
            var draft = String(data: try JSONSerialization.data(withJSONObject: Walk.draft(yuan: 1_000_000)), encoding: .utf8)!
            draft = draft.replacingOccurrences(of: "\"totalInvestmentFen\":100000000", with: "\"totalInvestmentFen\":-9223372036854775809")
            let huge = try await world.call(.POST, "/api/v1/projects", as: "unitA", raw: Data(draft.utf8))
            #expect(huge.status == .badRequest)
            #expect(huge.violations.first?["field"] as? String == "totalInvestmentFen", "\(huge.violations)")
            let twice = try await world.call(
                .POST, "/api/v1/projects", as: "unitA",
                raw: Data(
                    #"{"name":"项目","source":"unitDeclaration","planYear":2027,"category":"businessSystem","totalInvestmentFen":100,"content":"c","goals":"g","classified":false,"classified":true}"#
                        .utf8))
            #expect(twice.status == .badRequest)
            #expect(twice.violations.first?["field"] as? String == "classified")
            #expect(try await refusedCreates() == before + 3)
            let listed = try await world.call(.GET, "/api/v1/projects", as: "unitA")
            #expect(listed.array.isEmpty, "nothing was created")
        }
    }
}
