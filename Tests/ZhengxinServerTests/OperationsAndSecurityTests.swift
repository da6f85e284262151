import Foundation
import Testing
import Vapor
import ZhengxinCore

/// 运行维护 (R-OM-1, R-OM-2; 第二十二条 to 第二十五条) and 网络与信息安全 (R-SEC-1..3; 第三十二条 to 第三十四条)
/// through the API, on each database: accepted → operating, the yearly O&M fee, the security records,
/// and the refusals with their rule ids.
@Suite("Operations and security through the API")
struct OperationsAndSecurityTests {
    /// The number of the latest document of `kind` in a project reply.
    static func documentNumber(_ reply: JSONReply, _ kind: String) -> Int? {
        (reply.project["documents"] as? [[String: Any]])?.last { $0["kind"] as? String == kind }?["number"] as? Int
    }

    static func arrangement(_ mode: String, on date: String, extra: [String: Any] = [:]) -> [String: Any] {
        var body: [String: Any] = ["organisation": "市卫生健康委信息中心", "rules": "《运行维护管理制度》", "mode": mode, "effectiveFrom": date]
        for (k, v) in extra { body[k] = v }
        return body
    }

    static func assessment(_ date: String) -> [String: Any] {
        ["assessedOn": date, "result": "pass", "body": "河南省信息安全测评中心", "reportNumber": "CP-1"]
    }

    /// During construction: 等级保护 level 3 filed and assessed, crypto planned in the 实施方案 and built.
    static func securityDuringConstruction(_ world: TestWorld, _ w: Walk) async throws {
        let id = w.projectId
        let bad = try await world.act(id, "record-graded-protection", as: "unitA", ["level": 6, "filingNumber": "F", "filedOn": w.today])
        #expect(bad.status == .badRequest)
        #expect(bad.violations.first?["field"] as? String == "level")
        let unfiled = try await world.act(id, "record-security-assessment", as: "unitA", assessment(w.today))
        #expect(unfiled.status == .unprocessableEntity)
        #expect(unfiled.ruleIds == ["R-SEC-1"])
        #expect(unfiled.violations.first?["article"] as? String == "第三十三条")
        #expect(
            try await world.act(id, "record-graded-protection", as: "bdb", ["level": 3, "filingNumber": "F", "filedOn": w.today]).status
                == .forbidden)
        try await world.must(
            id, "record-graded-protection", as: "unitA", ["level": 3, "filingNumber": "41010013001-00001", "filedOn": w.today])
        try await world.must(id, "record-security-assessment", as: "unitA", assessment(w.today))
        let unplanned = try await world.act(id, "record-crypto-built", as: "unitA", ["on": w.today, "summary": "SM2/SM3/SM4"])
        #expect(unplanned.ruleIds == ["R-SEC-2"])
        #expect(unplanned.violations.first?["article"] as? String == "第三十二条")
        let design = try #require(documentNumber(try await w.project(), "implementationPlan"))
        try await world.must(id, "record-crypto-plan", as: "unitA", ["designDocumentNumber": design, "summary": "密码应用方案"])
        try await world.must(id, "record-crypto-built", as: "unitA", ["on": w.today, "summary": "SM2/SM3/SM4"])
    }

    @Test("R-OM-1, R-SEC-1..3: accepted → operating with O&M and security on record", arguments: Backend.all)
    func acceptedToOperating(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            try await Self.securityDuringConstruction(world, w)
            try await w.toAccepted()
            let id = w.projectId
            // 第二十一条: the acceptance report is filed first.
            let unfiled = try await world.act(id, "start-operations", as: "unitA", Self.arrangement("selfManaged", on: w.today))
            #expect(unfiled.status == .unprocessableEntity)
            #expect(unfiled.ruleIds == ["R-ACC-3"])
            let report = try await w.upload("acceptanceReport")
            try await world.must(
                id, "file-acceptance-report", as: "unitA", ["documentNumber": try #require(Self.documentNumber(report, "acceptanceReport"))]
            )
            // 第二十四条: outsourced O&M needs a government procurement; centralized names its institution.
            let bare = try await world.act(id, "start-operations", as: "unitA", Self.arrangement("outsourced", on: w.today))
            #expect(bare.status == .unprocessableEntity)
            #expect(bare.ruleIds == ["R-OM-1"])
            #expect(bare.violations.first?["article"] as? String == "第二十四条")
            let central = try await world.act(id, "start-operations", as: "unitA", Self.arrangement("centralized", on: w.today))
            #expect(central.ruleIds == ["R-OM-1"])
            #expect(
                try await world.act(id, "start-operations", as: "fin", Self.arrangement("selfManaged", on: w.today)).status == .forbidden)
            let bought: [String: Any] = [
                "method": "competitiveConsultation", "supplier": "某运维服务公司", "amountFen": 50_000_000,
                "awardedOn": w.today, "contractNumber": "YW-1",
            ]
            let started = try await world.must(
                id, "start-operations", as: "unitA", Self.arrangement("outsourced", on: w.today, extra: ["procurement": bought]))
            #expect(started.stage == "operating")
            let operations = started.project["operations"] as? [String: Any]
            let current = (operations?["arrangements"] as? [[String: Any]])?.last
            #expect(current?["mode"] as? String == "outsourced")
            #expect((current?["procurement"] as? [String: Any])?["supplier"] as? String == "某运维服务公司")
            // 同步运行, and the records as the API shows them.
            let running = try await world.must(id, "record-crypto-running", as: "unitA", ["on": w.today, "summary": "密码保障系统运行正常"])
            let security = running.project["security"] as? [String: Any]
            #expect((security?["gradedProtection"] as? [String: Any])?["level"] as? Int == 3)
            #expect((security?["assessments"] as? [Any])?.count == 1)
            let crypto = security?["crypto"] as? [String: Any]
            #expect(crypto?["planned"] != nil && crypto?["built"] != nil && crypto?["running"] != nil)
            let keyProducts = security?["keyProducts"] as? [[String: Any]]
            #expect(keyProducts?.map { $0["name"] as? String } == ["数据库"], "R-SEC-3: the reviewed key-product list")
            #expect(keyProducts?.first?["secureAndControllable"] as? Bool == true)
            try await world.must(id, "record-crypto-assessment", as: "unitA", Self.assessment(w.today))
        }
    }

    @Test("R-OM-2: yearly O&M fee after the warranty, FIN review, refusals (第二十五条)", arguments: Backend.all)
    func operationsFee(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            try await w.toAccepted()
            let id = w.projectId
            let report = try await w.upload("acceptanceReport")
            try await world.must(
                id, "file-acceptance-report", as: "unitA", ["documentNumber": try #require(Self.documentNumber(report, "acceptanceReport"))]
            )
            try await world.must(id, "start-operations", as: "unitA", Self.arrangement("selfManaged", on: w.today))
            // The walk's contract warranty ends 2031-01-01: 2031 is not wholly after it, 2032 is.
            world.clock.set(CivilDate(2031, 6, 1))
            let fee: (Int, Int64) -> [String: Any] = { ["year": $0, "amountFen": $1, "basis": "运维费标准"] }
            let inside = try await world.act(id, "apply-for-operations-fee", as: "unitA", fee(2031, 20_000_000))
            #expect(inside.status == .unprocessableEntity)
            #expect(inside.ruleIds == ["R-OM-2"])
            #expect(inside.violations.first?["article"] as? String == "第二十五条")
            #expect(inside.violations.first?["field"] as? String == "year")
            #expect(try await world.act(id, "apply-for-operations-fee", as: "fin", fee(2032, 1)).status == .forbidden)
            try await world.must(id, "apply-for-operations-fee", as: "unitA", fee(2032, 20_000_000))
            let twice = try await world.act(id, "apply-for-operations-fee", as: "unitA", fee(2032, 10_000_000))
            #expect(twice.ruleIds == ["R-OM-2"])
            let review: (Int64) -> [String: Any] = {
                ["applicationNumber": 1, "approvedAmountFen": $0, "budgetReference": "郑财预〔2032〕3号", "reviewedOn": "2031-06-01"]
            }
            let over = try await world.act(id, "approve-operations-fee", as: "fin", review(20_000_001))
            #expect(over.status == .unprocessableEntity)
            #expect(over.ruleIds == ["R-OM-2"])
            #expect(over.violations.first?["field"] as? String == "approvedAmountFen")
            #expect(try await world.act(id, "approve-operations-fee", as: "unitA", review(1)).status == .forbidden)
            let approved = try await world.must(id, "approve-operations-fee", as: "fin", review(18_000_000))
            let application = ((approved.project["operations"] as? [String: Any])?["feeApplications"] as? [[String: Any]])?.first
            #expect(application?["status"] as? String == "approved")
            #expect(application?["approvedAmount"] as? Int == 18_000_000)
            #expect(application?["budgetReference"] as? String == "郑财预〔2032〕3号")
            #expect(
                try await world.act(id, "reject-operations-fee", as: "fin", ["applicationNumber": 1, "reason": "x"]).ruleIds == ["R-OM-2"])
        }
    }

    @Test("R-OM-2 not accepted / acceptance-overdue (第二十二条), R-SEC-2 built before acceptance (第三十二条)", arguments: Backend.all)
    func refusalsBeforeAcceptance(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            let id = w.projectId
            let design = try #require(Self.documentNumber(try await w.project(), "implementationPlan"))
            try await world.must(id, "record-crypto-plan", as: "unitA", ["designDocumentNumber": design, "summary": "密码应用方案"])
            try await world.must(id, "record-completion", as: "unitA", ["completedOn": w.today])
            let completed = CivilDate(iso: w.today)!
            try await world.must(id, "record-preliminary-acceptance", as: "unitA", ["heldOn": w.today, "passed": true, "notes": "合格"])
            w.advance(months: 3)
            let apply = try await world.act(id, "apply-for-acceptance", as: "unitA")
            #expect(apply.status == .unprocessableEntity)
            let sec = apply.violations.filter { $0["rule"] as? String == "R-SEC-2" }
            #expect(sec.count == 1)
            #expect(sec.first?["article"] as? String == "第三十二条")
            let fee: [String: Any] = ["year": completed.year + 5, "amountFen": 1_000_000, "basis": "标准"]
            let notAccepted = try await world.act(id, "apply-for-operations-fee", as: "unitA", fee)
            #expect(notAccepted.status == .unprocessableEntity)
            #expect(notAccepted.ruleIds.contains("R-OM-2"))
            #expect(!notAccepted.violations.contains { $0["article"] as? String == "第二十二条" })
            world.clock.set(completed.addingMonths(6).addingDays(1))
            let overdue = try await world.act(id, "apply-for-operations-fee", as: "unitA", fee)
            #expect(overdue.violations.first?["rule"] as? String == "R-OM-2")
            #expect(overdue.violations.first?["article"] as? String == "第二十二条")
            #expect(try await w.project().stage == "trial_running")
        }
    }
}
