import Foundation
import Testing
import Vapor
import ZhengxinCore

/// Refusals through the API of R-GEN-1 and R-CHG-1 (sources, edits after declaration), R-PLAN-1 (the
/// annual plan), R-INC-1 and R-FUND-2 (incidents, surplus funds).
@Suite("Refusals: edits after declaration, the annual plan, incidents and surplus funds")
struct EditPlanAndIncidentRefusalTests {
    @Test("R-GEN-1 unknown source; R-CHG-1 no direct edit after declaration (第六条, 第十九条)", arguments: Backend.all)
    func sourceAndEdits(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let unknown = try await world.call(
                .POST, "/api/v1/projects", as: "unitA", json: Walk.draft(yuan: 1_000_000, source: "aFriendSaidSo"))
            #expect(unknown.status == .badRequest)
            #expect(unknown.violations.first?["field"] as? String == "source")
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            try await world.must(w.projectId, "update", as: "unitA", Walk.draft(name: "改名", yuan: 2_000_000))
            try await world.must(w.projectId, "declare", as: "unitA")
            let edit = try await world.act(w.projectId, "update", as: "unitA", Walk.draft(yuan: 9_000_000))
            #expect(edit.status == .conflict)
            #expect(edit.violations.first?["article"] as? String == "第十九条")
            #expect((try await w.project().project["totalInvestment"] as? Int) == 200_000_000)
        }
    }

    @Test("R-PLAN-1: only reserve-pool projects enter the annual plan, issued once (第八条)", arguments: Backend.all)
    func annualPlan(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            let early = try await world.call(
                .POST, "/api/v1/annual-plans", as: "drc",
                json: ["year": 2027, "title": "计划", "lines": [["projectId": w.projectId, "plannedAmountFen": 100]]])
            #expect(early.status == .unprocessableEntity)
            #expect(early.ruleIds == ["R-PLAN-1"])
            try await w.toReserve()
            let plan = try await world.call(
                .POST, "/api/v1/annual-plans", as: "drc",
                json: ["year": 2027, "title": "计划", "lines": [["projectId": w.projectId, "plannedAmountFen": 100]]])
            let planId = plan["id"] as? String ?? ""
            #expect(
                try await world.call(
                    .POST, "/api/v1/annual-plans/\(planId)/issue", as: "drc", json: ["documentNumber": "1号", "issuedOn": w.today]
                ).status == .ok)
            let again = try await world.call(
                .POST, "/api/v1/annual-plans/\(planId)/issue", as: "drc", json: ["documentNumber": "1号", "issuedOn": w.today])
            #expect(again.ruleIds.contains("R-PLAN-1"))
            #expect(try await w.project().stage == "planned")
            #expect(try await world.call(.GET, "/api/v1/annual-plans/\(planId)", as: "unitB").object["lines"] as? [Any] != nil)
            #expect((try await world.call(.GET, "/api/v1/annual-plans/\(planId)", as: "unitB").object["lines"] as? [Any])?.isEmpty == true)
        }
    }

    @Test(
        "R-INC-1 and R-FUND-2: incident answered, suspension blocks payment, surplus returned exactly (第十八条, 第十一条)", arguments: Backend.all)
    func incidentAndSurplus(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            let noIncident = try await world.act(
                w.projectId, "order-rectification", as: "drc", ["incidentNumber": 1, "requirements": "整改", "deadline": "2026-12-31"])
            #expect(noIncident.status == .badRequest)
            #expect(noIncident.violations.first?["field"] as? String == "incidentNumber")
            try await world.must(
                w.projectId, "report-incident", as: "unitA", ["kind": "seriousDelay", "description": "进度滞后三个月", "occurredOn": w.today])
            try await world.must(
                w.projectId, "order-rectification", as: "drc", ["incidentNumber": 1, "requirements": "限期追回进度", "deadline": "2026-12-31"])
            let answered = try await world.act(
                w.projectId, "order-rectification", as: "drc", ["incidentNumber": 1, "requirements": "再次", "deadline": "2026-12-31"])
            #expect(answered.status == .unprocessableEntity)
            #expect(Set(answered.ruleIds) == ["R-INC-1"])
            // The rectification's deadline has not passed: construction is suspended on a new report.
            let early = try await world.act(w.projectId, "suspend-construction", as: "drc", ["incidentNumber": 1, "reason": "整改不到位"])
            #expect(early.ruleIds == ["R-INC-1", "R-INC-1"])
            try await world.must(
                w.projectId, "report-incident", as: "unitA", ["kind": "majorLoss", "description": "投资损失扩大", "occurredOn": w.today])
            try await world.must(w.projectId, "suspend-construction", as: "drc", ["incidentNumber": 2, "reason": "投资重大损失,暂停建设"])
            let paid = try await world.act(
                w.projectId, "disburse", as: "fin", ["amountFen": 1, "paidOn": w.today, "voucherNumber": "ZF-9"])
            #expect(paid.ruleIds == ["R-FUND-3"])
            try await world.must(w.projectId, "resume-construction", as: "drc", ["reason": "整改到位"])
            try await w.toAccepted()
            let wrong = try await world.act(
                w.projectId, "record-surplus-return", as: "fin", ["amountFen": 1, "returnedOn": w.today, "voucherNumber": "TH-1"])
            #expect(wrong.ruleIds == ["R-FUND-2"])
            let surplus = (try await w.project().project["surplus"] as? [String: Any])?["amount"] as? Int ?? 0
            try await world.must(
                w.projectId, "record-surplus-return", as: "fin", ["amountFen": surplus, "returnedOn": w.today, "voucherNumber": "TH-1"])
        }
    }
}
