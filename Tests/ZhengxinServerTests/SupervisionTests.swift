import Foundation
import Testing
import Vapor
import ZhengxinCore

/// R-SUP-1..3 (第三十五条 to 第三十九条) over HTTP: inspection → finding → rectification → escalation →
/// sanctions that take effect (R-FUND-3, suspended, terminated), refusals with rule ids, scoping.
@Suite("Supervision through the API")
struct SupervisionTests {
    static func oversight(_ kind: String = "inspection", heldOn: String, deadline: String, scope: String? = nil) -> [String: Any] {
        var body: [String: Any] = [
            "kind": kind, "heldOn": heldOn, "subject": "建设资金使用情况", "conclusion": "存在问题",
            "findings": [["description": "资金未专款专用", "basis": "第十一条", "deadline": deadline]],
        ]
        if let scope { body["auditScope"] = scope }
        return body
    }

    static func sanction(_ kind: String, _ findings: [Int] = [1]) -> [String: Any] {
        ["kind": kind, "findingNumbers": findings, "reason": "整改后仍不符合要求", "documentNumber": "郑发改通报〔2027〕3号"]
    }

    func disburse(_ world: TestWorld, _ w: Walk) async throws -> JSONReply {
        try await world.act(w.projectId, "disburse", as: "fin", ["amountFen": 1_000_000, "paidOn": w.today, "voucherNumber": "ZF-9"])
    }

    @Test("R-SUP-1/2: inspection to termination, each sanction taking effect (第三十五条, 第三十六条, 第二十二条)", arguments: Backend.all)
    func inspectionToTermination(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            let id = w.projectId
            let deadline = world.clock.now.beijingDate.addingDays(30).description
            let recorded = try await world.must(id, "record-oversight", as: "drc", Self.oversight(heldOn: w.today, deadline: deadline))
            let findings = (recorded.project["supervision"] as? [String: Any])?["findings"] as? [[String: Any]] ?? []
            #expect(findings.map { $0["status"] as? String } == ["open"])
            #expect(findings.first?["deadline"] as? String == deadline)

            try await world.must(id, "report-rectification", as: "unitA", ["findingNumber": 1, "description": "已整改"])
            let byFin = try await world.act(id, "close-finding", as: "fin", ["findingNumber": 1, "note": "n"])
            #expect(byFin.status == .unprocessableEntity)
            #expect(byFin.ruleIds == ["R-SUP-1", "R-SUP-1"])
            try await world.must(id, "escalate-finding", as: "drc", ["findingNumber": 1, "reason": "整改后仍不符合要求"])

            // 暂缓拨付: FIN's disbursement refused under R-FUND-3 until DRC lifts it.
            let held = try await world.must(id, "apply-sanction", as: "drc", Self.sanction("fundingHold"))
            #expect(held.project["fundingHold"] as? Bool == true)
            let refused = try await disburse(world, w)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.errorCode == "RULE_VIOLATION")
            #expect(refused.ruleIds == ["R-FUND-3"])
            #expect(refused.violations.first?["article"] as? String == "第三十六条")
            #expect(try await world.act(id, "apply-sanction", as: "aud", Self.sanction("publicCriticism")).status == .forbidden)
            let otherLifts = try await world.act(id, "lift-sanction", as: "fin", ["sanctionNumber": 1, "reason": "r"])
            #expect(otherLifts.ruleIds == ["R-SUP-2", "R-SUP-2"])
            let lifted = try await world.must(id, "lift-sanction", as: "drc", ["sanctionNumber": 1, "reason": "已整改到位"])
            #expect(lifted.project["fundingHold"] as? Bool == false)
            try await world.must(id, "disburse", as: "fin", ["amountFen": 1_000_000, "paidOn": w.today, "voucherNumber": "ZF-9"])

            // 暂停项目建设, then 终止项目: final.
            let suspended = try await world.must(id, "apply-sanction", as: "drc", Self.sanction("suspension"))
            #expect(suspended.stage == "suspended")
            #expect(try await disburse(world, w).ruleIds == ["R-FUND-3"])
            let terminated = try await world.must(id, "apply-sanction", as: "drc", Self.sanction("termination"))
            #expect(terminated.stage == "terminated")
            let lift = try await world.act(id, "lift-sanction", as: "drc", ["sanctionNumber": 3, "reason": "r"])
            #expect(lift.status == .conflict)
            #expect(lift.errorCode == "WRONG_STAGE")
            #expect(lift.ruleIds == ["R-STAGE", "R-SUP-2"])
            let sanctions = (try await w.project().project["supervision"] as? [String: Any])?["sanctions"] as? [[String: Any]] ?? []
            #expect(sanctions.map { $0["kind"] as? String } == ["fundingHold", "suspension", "termination"])
            #expect(sanctions.map { $0["liftedOn"] != nil } == [true, false, false])
            try await world.must(
                id, "refer-for-accountability", as: "drc",
                [
                    "ground": "breachOfMeasures", "subject": "信息中心主任张伟", "conduct": "拒不整改,造成损失浪费",
                    "referredTo": "市纪委监委", "referredOn": w.today, "findingNumbers": [1],
                ])
        }
    }

    @Test("R-SUP-1/2/3 refusals with rule ids; deadline day vs day after; unitB sees nothing", arguments: Backend.all)
    func refusals(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            let id = w.projectId
            let deadlineDate = world.clock.now.beijingDate.addingDays(10)
            let bad = try await world.act(id, "record-oversight", as: "fin", Self.oversight(heldOn: w.today, deadline: w.today))
            #expect(bad.status == .badRequest)
            #expect(bad.errorCode == "INVALID_INPUT")
            #expect(bad.violations.first?["field"] as? String == "findings[0].deadline")
            let audInspects = try await world.act(
                id, "record-oversight", as: "aud", Self.oversight(heldOn: w.today, deadline: deadlineDate.description))
            #expect(audInspects.ruleIds == ["R-SUP-1"])
            #expect(audInspects.violations.first?["article"] as? String == "第三十五条")
            try await world.must(
                id, "record-oversight", as: "aud",
                Self.oversight("audit", heldOn: w.today, deadline: deadlineDate.description, scope: "financialDiscipline"))
            try await world.must(
                id, "record-oversight", as: "fin",
                Self.oversight("performanceEvaluation", heldOn: w.today, deadline: deadlineDate.description))

            let early = try await world.act(id, "apply-sanction", as: "fin", Self.sanction("fundingHold", [2]))
            #expect(early.status == .unprocessableEntity)
            #expect(early.ruleIds == ["R-SUP-2", "R-SUP-2"])
            let actions = try await world.call(.GET, "/api/v1/projects/\(id)/actions", as: "fin")
            let line = (actions["actions"] as? [[String: Any]])?.first { $0["action"] as? String == "apply-sanction" }
            #expect((line?["unmetConditions"] as? [[String: Any]])?.compactMap { $0["rule"] as? String } == ["R-SUP-2"])

            // On the deadline day the unit is still in time; the day after FIN may act on 拒不整改.
            world.clock.set(deadlineDate)
            #expect(
                try await world.act(id, "escalate-finding", as: "fin", ["findingNumber": 2, "reason": "逾期"]).ruleIds == [
                    "R-SUP-1", "R-SUP-1",
                ])
            world.clock.set(deadlineDate.addingDays(1))
            let holds = try await world.must(id, "apply-sanction", as: "fin", Self.sanction("fundingHold", [2]))
            let findings = (holds.project["supervision"] as? [String: Any])?["findings"] as? [[String: Any]] ?? []
            #expect(findings.map { $0["status"] as? String } == ["open", "escalated"])
            #expect(
                try await world.act(id, "apply-sanction", as: "fin", Self.sanction("termination", [1])).ruleIds == ["R-SUP-2"],
                "AUD's finding is not FIN's ground")
            let referral: [String: Any] = [
                "ground": "breachOfMeasures", "subject": "张伟", "conduct": "c", "referredTo": "市纪委监委", "referredOn": w.today,
            ]
            #expect(try await world.act(id, "refer-for-accountability", as: "fin", referral).ruleIds == ["R-SUP-3"])

            // Another unit: the project does not exist for it.
            #expect(try await world.call(.GET, "/api/v1/projects/\(id)", as: "unitB").status == .notFound)
            #expect(
                try await world.act(id, "report-rectification", as: "unitB", ["findingNumber": 1, "description": "x"]).status == .notFound)
            try await world.must(id, "report-rectification", as: "unitA", ["findingNumber": 1, "description": "已整改"])
        }
    }
}
