import Fluent
import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// R-POL-1 over HTTP: a county's own version judged side by side with the city's.
@Suite("Policy versions over HTTP")
struct PolicyVersionTests {
    /// Adds an organisation and a user, and logs in.
    static func addUser(_ world: TestWorld, username: String, org: String, type: OrganisationType, jurisdiction: String, roles: Set<Role>)
        async throws -> String
    {
        let organisation = OrganisationModel(name: org, type: type, jurisdiction: jurisdiction)
        try await organisation.create(on: world.app.db)
        try await UserModel(
            username: username, displayName: username, passwordHash: try world.app.password.hash("pw-\(username)"),
            organisationId: organisation.id!, roles: roles
        ).create(on: world.app.db)
        let user = try await UserModel.query(on: world.app.db).filter(\.$username == username).first()!
        if RoleRules.requiresSecondFactor(organisation: type, roles: roles) {  // 等保三级: agencies and administrators use TOTP
            try await TestWorld.enrolTOTP(user.id!, username: username, on: world.app.db)
        }
        let reply = try await world.login(username, password: "pw-\(username)")
        return reply["token"] as? String ?? ""
    }

    static func policyJSON(id: String, jurisdiction: String, from: String, tier2Fen: Int64, tier3Fen: Int64 = 5_000_000_000) -> [String:
        Any]
    {
        [
            "id": id, "title": "\(id) 政务信息化项目管理办法", "jurisdiction": jurisdiction, "effectiveFrom": from,
            "tier2Threshold": tier2Fen, "tier3Threshold": tier3Fen, "executiveMeetingSuggestion": 5_000_000_000,
            "declarationDeadlineMonth": 6, "declarationDeadlineDay": 30, "changeFilingPercent": 15,
            "minimumTrialRunMonths": 3, "acceptanceWindowMonths": 6, "maximumAmount": 1_000_000_000_000_000,
        ]
    }

    func send(_ world: TestWorld, _ method: HTTPMethod, _ path: String, token: String, json: Any? = nil) async throws -> JSONReply {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: token)
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
            headers.contentType = .json
        }
        let response = try await world.app.testing().sendRequest(method, path, headers: headers, body: body)
        let parsed = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) ?? [:]
        return JSONReply(
            status: response.status, object: parsed as? [String: Any] ?? [:], array: parsed as? [Any] ?? [], raw: response.body)
    }

    func tier(_ reply: JSONReply) -> Int? { (reply.object["derived"] as? [String: Any])?["tier"] as? Int }

    @Test("county and city projects of 800万元 judged under their own versions, pinned at declaration", arguments: Backend.all)
    func sideBySide(_ backend: Backend) async throws {
        try await TestWorld.with(backend, at: CivilDate(2026, 3, 2)) { world in
            let admin = try await Self.addUser(
                world, username: "secadmin", org: "市大数据局安全管理", type: .bdb, jurisdiction: PolicyBook.city, roles: [.securityAdmin])
            let county = try await Self.addUser(
                world, username: "zmUnit", org: "中牟县卫生健康委员会", type: .unit, jurisdiction: "zhongmou", roles: [.staff])
            let countyPolicy = Self.policyJSON(
                id: "zhongmou-2026", jurisdiction: "zhongmou", from: "2026-01-01", tier2Fen: 500_000_000, tier3Fen: 3_000_000_000)
            #expect(try await world.call(.POST, "/api/v1/policies", as: "drc", json: countyPolicy).status == .forbidden)
            var broken = countyPolicy
            broken["tier2Threshold"] = 3_000_000_000
            #expect(try await send(world, .POST, "/api/v1/policies", token: admin, json: broken).status == .badRequest)
            #expect(try await send(world, .POST, "/api/v1/policies", token: admin, json: countyPolicy).status == .created)
            #expect(try await send(world, .POST, "/api/v1/policies", token: admin, json: countyPolicy).status == .badRequest)

            let countyProject = try await send(world, .POST, "/api/v1/projects", token: county, json: Walk.draft(yuan: 8_000_000))
            var city = Walk(world)
            try await city.create(Walk.draft(yuan: 8_000_000))
            #expect(tier(countyProject) == 2)
            #expect(tier(try await city.project()) == 1)
            // The label comes from the version that judged the project (R-POL-1, 第九条).
            #expect((countyProject.object["derived"] as? [String: Any])?["tierTitle"] as? String == "二类(500万元至3000万元)")
            #expect(((try await city.project()).object["derived"] as? [String: Any])?["tierTitle"] as? String == "一类(1000万元以下)")
            let countyId = countyProject.project["id"] as? String ?? ""
            #expect(
                try await send(world, .POST, "/api/v1/projects/\(countyId)/actions/declare", token: county, json: [String: Any]()).status
                    == .ok)
            try await world.must(city.projectId, "declare", as: "unitA")

            // A city revision from 1 April: the project declared in March keeps the 2020 version.
            let revision = Self.policyJSON(
                id: "zhengzhou-2026-rev", jurisdiction: PolicyBook.city, from: "2026-04-01", tier2Fen: 500_000_000)
            #expect(try await send(world, .POST, "/api/v1/policies", token: admin, json: revision).status == .created)
            world.clock.set(CivilDate(2026, 4, 1))
            var later = Walk(world)
            try await later.create(Walk.draft(name: "新办法下的项目", yuan: 8_000_000))
            try await world.must(later.projectId, "declare", as: "unitA")
            #expect(tier(try await later.project()) == 2)
            #expect((try await later.project()).project["policyId"] as? String == "zhengzhou-2026-rev")
            #expect(tier(try await city.project()) == 1)
            #expect((try await city.project()).project["policyId"] as? String == Policy.zhengzhou2020.id)
            let versions = try await world.call(.GET, "/api/v1/policies", as: "unitA")
            #expect(versions.array.count == 3)
        }
    }
}
