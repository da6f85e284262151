import Foundation
import Testing
import Vapor
import ZhengxinCore

/// Catalog entry bodies for HTTP tests (R-SHR-1).
enum SharingFixtures {
    static func entry(
        code: String = "ZZWJW-0001", name: String = "居民电子健康档案", sharing: String = "unconditional", basis: String? = nil,
        open: String = "notOpen", openTo: [String]? = nil, method: String = "api", secret: Bool = false
    ) -> [String: Any] {
        var j: [String: Any] = [
            "code": code, "name": name, "provider": "市卫生健康委", "summary": "居民电子健康档案基本信息", "format": "数据库",
            "dataItems": [["name": "姓名"], ["name": "建档日期", "dataType": "日期型"]],
            "sharingType": sharing, "openType": open, "updateFrequency": "daily", "sharingMethod": method, "involvesSecrets": secret,
        ]
        if let basis { j["sharingBasis"] = basis }
        if let openTo { j["openTo"] = openTo }
        return j
    }
}

/// R-SHR-1..5 (第二十六条 to 第三十条) through the API, on every backend.
@Suite("Information resource sharing through the API")
struct SharingTests {
    static func figures(_ reply: JSONReply) -> [String: Any] { reply["figures"] as? [String: Any] ?? [:] }

    @Test("R-SHR-1/2/3/5: catalog, refusals, registration, exports without secret entries", arguments: Backend.all)
    func catalogToExport(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            let id = w.projectId
            // R-SHR-3: nothing to register yet.
            let empty = try await world.act(
                id, "confirm-catalog-registration", as: "bdb",
                ["platformId": "ZZ-DATA-1", "registeredOn": w.today, "connectedToExchangePlatform": true])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.ruleIds == ["R-SHR-3"])
            #expect(empty.violations.first?["article"] as? String == "第二十八条")
            try await world.must(id, "add-catalog-entry", as: "unitA", SharingFixtures.entry(code: "A", open: "unconditional"))
            try await world.must(
                id, "add-catalog-entry", as: "unitA",
                SharingFixtures.entry(code: "B", name: "医疗机构名录", sharing: "conditional", basis: "依申请共享", method: "file"))
            try await world.must(
                id, "add-catalog-entry", as: "unitA",
                SharingFixtures.entry(code: "S", name: "应急保障机密数据", sharing: "notShared", basis: "涉及国家秘密", secret: true))
            // Refusals: duplicate code, missing basis, exclusive opening, secret opened — each with rule and article.
            let dup = try await world.act(id, "add-catalog-entry", as: "unitA", SharingFixtures.entry(code: "A"))
            #expect(dup.status == .unprocessableEntity && dup.errorCode == "RULE_VIOLATION")
            #expect(dup.ruleIds == ["R-SHR-1"])
            let noBasis = try await world.act(id, "add-catalog-entry", as: "unitA", SharingFixtures.entry(code: "C", sharing: "notShared"))
            #expect(noBasis.ruleIds == ["R-SHR-1"])
            #expect(noBasis.violations.first?["article"] as? String == "第二十七条")
            #expect(noBasis.violations.first?["field"] as? String == "sharingBasis")
            let exclusive = try await world.act(
                id, "add-catalog-entry", as: "unitA", SharingFixtures.entry(code: "C", open: "conditional", openTo: ["某数据公司"]))
            #expect(exclusive.ruleIds == ["R-SHR-2"])
            #expect(exclusive.violations.first?["article"] as? String == "第二十八条")
            let secretOpen = try await world.act(
                id, "add-catalog-entry", as: "unitA", SharingFixtures.entry(code: "C", open: "unconditional", secret: true))
            #expect(secretOpen.ruleIds == ["R-SHR-5", "R-SHR-5"])
            let bad = try await world.act(id, "add-catalog-entry", as: "unitA", SharingFixtures.entry(code: "C", method: "email"))
            #expect(bad.status == .badRequest)
            let other = try await world.act(id, "add-catalog-entry", as: "bdb", SharingFixtures.entry(code: "C"))
            #expect(other.status == .forbidden)
            let entries = try await w.project().project["sharing"] as? [String: Any]
            #expect((entries?["entries"] as? [Any])?.count == 3, "refusals changed nothing")

            // R-SHR-3: BDB confirms; the secret entry is not registered.
            let confirmed = try await world.must(
                id, "confirm-catalog-registration", as: "bdb",
                ["platformId": "ZZ-DATA-1", "registeredOn": w.today, "connectedToExchangePlatform": true])
            let stored = ((confirmed.project["sharing"] as? [String: Any])?["entries"] as? [[String: Any]]) ?? []
            #expect(
                stored.filter { $0["registration"] != nil }.compactMap { ($0["fields"] as? [String: Any])?["code"] as? String } == [
                    "A", "B",
                ])

            // The JSON form.
            let json = try await world.call(.GET, "/api/v1/projects/\(id)/catalog.json", as: "unitA")
            #expect(json.status == .ok)
            #expect(json.raw.getString(at: 0, length: json.raw.readableBytes)?.contains("应急保障机密数据") == false)
            #expect(json["format"] as? String == "zhengxin-catalog/1")
            #expect((json["entries"] as? [[String: Any]])?.compactMap { $0["code"] as? String } == ["A", "B"])
            #expect((json["project"] as? [String: Any])?["unitName"] as? String == "市卫生健康委")

            // DCAT-AP JSON-LD.
            let ld = try await world.call(.GET, "/api/v1/projects/\(id)/catalog.jsonld", as: "drc")
            #expect(ld.status == .ok)
            let text = ld.raw.getString(at: 0, length: ld.raw.readableBytes) ?? ""
            #expect(!text.contains("应急保障机密数据") && !text.contains(":dataset:S\""))
            #expect(ld["@type"] as? String == "dcat:Catalog")
            #expect((ld["@context"] as? [String: Any])?["dcat"] as? String == "http://www.w3.org/ns/dcat#")
            let datasets = ld["dcat:dataset"] as? [[String: Any]] ?? []
            #expect(datasets.compactMap { $0["dct:identifier"] as? String } == ["A", "B"])
            for key in [
                "@id", "@type", "dct:title", "dct:identifier", "dct:publisher", "dct:accrualPeriodicity", "dcat:distribution",
                "dct:accessRights",
            ] {
                #expect(datasets.allSatisfy { $0[key] != nil }, "\(key)")
            }
            let dist = (datasets.first?["dcat:distribution"] as? [[String: Any]])?.first
            #expect(dist?["dct:format"] as? String == "数据库")
            #expect((dist?["dcat:accessService"] as? [String: Any])?["@type"] as? String == "dcat:DataService")
            let headers = try await world.app.testing().sendRequest(
                .GET, "/api/v1/projects/\(id)/catalog.jsonld",
                headers: ["Authorization": "Bearer \(world.tokens["unitA"]!)"])
            #expect(headers.headers.contentType?.subType == "ld+json")
        }
    }

    @Test("R-SHR-4: figures per project and per unit, scoped; feedback counted", arguments: Backend.all)
    func figuresAndScoping(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            let id = w.projectId
            let unitA = world.orgId(of: "unitA").uuidString, unitB = world.orgId(of: "unitB").uuidString
            let zero = try await world.call(.GET, "/api/v1/projects/\(id)/sharing", as: "unitA")
            #expect(zero.status == .ok)
            #expect(Self.figures(zero)["entries"] as? Int == 0)
            #expect(Self.figures(zero)["sharingRatioBasisPoints"] is NSNull)
            try await world.must(id, "add-catalog-entry", as: "unitA", SharingFixtures.entry(code: "A"))
            try await world.must(
                id, "add-catalog-entry", as: "unitA", SharingFixtures.entry(code: "B", sharing: "conditional", basis: "依申请"))
            try await world.must(
                id, "add-catalog-entry", as: "unitA", SharingFixtures.entry(code: "C", sharing: "notShared", basis: "法律规定"))
            try await world.must(
                id, "confirm-catalog-registration", as: "bdb",
                ["platformId": "ZZ-DATA-1", "registeredOn": w.today, "connectedToExchangePlatform": true, "entryCodes": ["A"]])
            // Feedback from the trial run on.
            try await world.must(id, "record-completion", as: "unitA", ["completedOn": w.today])
            try await world.must(id, "record-preliminary-acceptance", as: "unitA", ["heldOn": w.today, "passed": true, "notes": "合格"])
            let feedback: [String: Any] = [
                "entryCode": "A", "usedOn": w.today, "consumer": "市民政局", "purpose": "低保核验", "outcome": "satisfied",
            ]
            try await world.must(id, "record-sharing-feedback", as: "bdb", feedback)
            #expect(try await world.act(id, "record-sharing-feedback", as: "aud", feedback).status == .forbidden)
            var notShared = feedback
            notShared["entryCode"] = "C"
            #expect(try await world.act(id, "record-sharing-feedback", as: "unitA", notShared).ruleIds == ["R-SHR-3"])

            let project = try await world.call(.GET, "/api/v1/projects/\(id)/sharing", as: "fin")
            let f = Self.figures(project)
            #expect(
                f["entries"] as? Int == 3 && f["unconditional"] as? Int == 1 && f["conditional"] as? Int == 1 && f["notShared"] as? Int == 1
            )
            #expect(f["registeredEntries"] as? Int == 1 && f["feedbackCount"] as? Int == 1)
            #expect(f["sharingRatioBasisPoints"] as? Int == 6666 && f["registeredRatioBasisPoints"] as? Int == 3333)
            #expect(project["catalogRegistered"] as? Bool == true)

            // A second, classified project of unitA: the unit's named creator sees it, DRC only counts it.
            var secret = Walk(world)
            try await secret.create(Walk.draft(name: "涉密项目", yuan: 1_000_000, extra: ["classified": true]))
            let mine = try await world.call(.GET, "/api/v1/units/\(unitA)/sharing", as: "unitA")
            #expect(mine.status == .ok)
            #expect(Self.figures(mine)["projects"] as? Int == 2 && mine["hiddenClassifiedProjects"] as? Int == 0)
            #expect(Self.figures(mine)["entries"] as? Int == 3)
            let drc = try await world.call(.GET, "/api/v1/units/\(unitA)/sharing", as: "drc")
            #expect(drc.status == .ok && drc["unitName"] as? String == "市卫生健康委")
            #expect(Self.figures(drc)["projects"] as? Int == 1 && drc["hiddenClassifiedProjects"] as? Int == 1)
            #expect((drc["projects"] as? [[String: Any]])?.count == 1)

            // Scoping: another unit and a vendor see nothing of unitA's; unitB its own (empty).
            for path in [
                "/projects/\(id)/sharing", "/projects/\(id)/catalog.json", "/projects/\(id)/catalog.jsonld", "/units/\(unitA)/sharing",
            ] {
                #expect(try await world.call(.GET, "/api/v1" + path, as: "unitB").status == .notFound, "\(path)")
            }
            #expect(try await world.call(.GET, "/api/v1/units/\(unitA)/sharing", as: "vendor").status == .notFound)
            #expect(try await world.call(.GET, "/api/v1/units/\(unitA)/sharing").status == .unauthorized)
            #expect(
                try await world.call(.GET, "/api/v1/units/\(world.orgId(of: "drc").uuidString)/sharing", as: "drc").status == .notFound,
                "not a unit")
            #expect(try await world.call(.GET, "/api/v1/units/not-a-uuid/sharing", as: "drc").status == .notFound)
            let own = try await world.call(.GET, "/api/v1/units/\(unitB)/sharing", as: "unitB")
            #expect(
                own.status == .ok && Self.figures(own)["projects"] as? Int == 0 && Self.figures(own)["sharingRatioBasisPoints"] is NSNull)
        }
    }

    @Test("R-SHR-1: update and withdraw through the API; OpenAPI describes the endpoints", arguments: Backend.all)
    func updateWithdrawAndDocument(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            let id = w.projectId
            try await world.must(id, "add-catalog-entry", as: "unitA", SharingFixtures.entry(code: "A"))
            try await world.must(id, "update-catalog-entry", as: "unitA", SharingFixtures.entry(code: "A", name: "居民健康档案(新版)"))
            let missing = try await world.act(id, "update-catalog-entry", as: "unitA", SharingFixtures.entry(code: "Z"))
            #expect(missing.status == .badRequest)
            try await world.must(id, "withdraw-catalog-entry", as: "unitA", ["code": "A", "reason": "系统整合"])
            let again = try await world.act(id, "withdraw-catalog-entry", as: "unitA", ["code": "A", "reason": "x"])
            #expect(again.ruleIds == ["R-SHR-1"])
            let json = try await world.call(.GET, "/api/v1/projects/\(id)/catalog.json", as: "bdb")
            #expect((json["entries"] as? [Any])?.isEmpty == true)
            let audit = try await world.call(.GET, "/api/v1/projects/\(id)/audit", as: "unitA")
            let actions: [String] = audit.array.compactMap { ($0 as? [String: Any])?["action"] as? String }
            #expect(actions.contains("withdraw-catalog-entry"))

            let doc = try await world.call(.GET, "/api/v1/openapi.json")
            let paths = doc["paths"] as? [String: Any] ?? [:]
            for path in [
                "/api/v1/projects/{projectId}/sharing", "/api/v1/units/{unitId}/sharing", "/api/v1/projects/{projectId}/catalog.json",
                "/api/v1/projects/{projectId}/catalog.jsonld", "/api/v1/projects/{projectId}/actions/add-catalog-entry",
            ] {
                #expect(paths[path] != nil, "\(path)")
            }
            let schemas = (doc["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
            for name in ["CatalogEntryFields", "SharingFigures", "SharingType", "CatalogRegistrationRequest", "UnitSharingView"] {
                #expect(schemas[name] != nil, "\(name)")
            }
        }
    }
}
