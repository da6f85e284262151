import Foundation
import Testing
import Vapor
import ZhengxinCore

/// Each rule refusing through the API: the error shape, the rule id and article, and nothing changed.
@Suite("Refusals through the API")
struct RefusalTests {
    /// A project walked to construction, for rules that apply there.
    static func constructing(_ world: TestWorld, yuan: Int64 = 8_000_000) async throws -> Walk {
        var w = Walk(world)
        try await w.create(Walk.draft(yuan: yuan))
        try await w.toReserve()
        try await w.toPlanned(amountFen: yuan * 100)
        try await w.toApproved(path: ["implementationPlan"], amountFen: yuan * 100)
        try await w.toConstructing(budgetFen: yuan * 100)
        return w
    }

    @Test("R-DEC-1: 30 June 23:59:59 accepted, 1 July 00:00 refused (第七条)", arguments: Backend.all)
    func declarationDeadline(_ backend: Backend) async throws {
        try await TestWorld.with(backend, at: CivilDate(2026, 6, 30)) { world in
            var onTime = Walk(world)
            try await onTime.create(Walk.draft(yuan: 1_000_000, planYear: 2027))
            var late = Walk(world)
            try await late.create(Walk.draft(yuan: 1_000_000, planYear: 2027))
            world.clock.set(CivilDate(2026, 6, 30), hour: 23, minute: 59, second: 59)
            try await world.must(onTime.projectId, "declare", as: "unitA")
            world.clock.set(CivilDate(2026, 7, 1), hour: 0)
            let refused = try await world.act(late.projectId, "declare", as: "unitA")
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.errorCode == "RULE_VIOLATION")
            #expect(refused.ruleIds == ["R-DEC-1"])
            #expect(refused.violations.first?["article"] as? String == "第七条")
            #expect(try await late.project().stage == "draft")
            try await world.must(late.projectId, "record-declaration-exception", as: "drc", ["reason": "市政府专题会议要求"])
            try await world.must(late.projectId, "declare", as: "unitA")
        }
    }

    @Test("R-REV-1/R-REV-2: review opinion refusals (第七条, 第二十七条)", arguments: Backend.all)
    func reviewOpinion(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(
                Walk.draft(
                    yuan: 1_000_000, extra: ["ownInfrastructure": ["items": ["机房"], "justification": "涉及专网", "sharingPlan": "接入共享平台"]]))
            try await world.must(w.projectId, "declare", as: "unitA")
            try await world.must(w.projectId, "start-technical-review", as: "bdb")
            let missing = try await world.act(
                w.projectId, "issue-review-opinion", as: "bdb",
                ["findings": Array(Walk.findings.prefix(4)), "conclusion": "pass", "comment": "x"])
            #expect(missing.status == .badRequest)
            #expect(missing.errorCode == "INVALID_INPUT")
            let own = try await world.act(
                w.projectId, "issue-review-opinion", as: "bdb", ["findings": Walk.findings, "conclusion": "pass", "comment": "x"])
            #expect(own.status == .unprocessableEntity)
            #expect(own.ruleIds == ["R-REV-2"])
            try await world.must(
                w.projectId, "issue-review-opinion", as: "bdb",
                ["findings": Walk.findings, "conclusion": "pass", "comment": "x", "ownInfrastructureAccepted": true])
        }
    }

    @Test("R-GEN-2 and R-APP-1/2/3 refusals (第六条, 第九条, 第二十六条)", arguments: Backend.all)
    func approvalOrder(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 60_000_000))
            try await world.must(w.projectId, "declare", as: "unitA")
            try await world.must(w.projectId, "start-technical-review", as: "bdb")
            try await world.must(
                w.projectId, "issue-review-opinion", as: "bdb", ["findings": Walk.findings, "conclusion": "pass", "comment": "同意"])
            try await world.must(w.projectId, "mark-major", as: "drc", ["major": true, "reason": "关系全市"])
            let noMeeting = try await world.act(
                w.projectId, "admit-to-reserve-pool", as: "drc", ["approvedOn": w.today, "documentNumber": "1号"])
            #expect(noMeeting.ruleIds == ["R-GEN-2"])
            try await world.must(
                w.projectId, "record-executive-meeting", as: "drc", ["meetingOn": w.today, "minutesReference": "纪要", "agreed": true])
            try await world.must(w.projectId, "admit-to-reserve-pool", as: "drc", ["approvedOn": w.today, "documentNumber": "1号"])
            try await w.toPlanned(amountFen: 6_000_000_000)
            let noDoc = try await world.act(w.projectId, "apply-for-approval", as: "unitA")
            #expect(noDoc.ruleIds == ["R-APP-1"])
            _ = try await w.upload("projectProposal")
            try await world.must(w.projectId, "apply-for-approval", as: "unitA")
            // A feasibility study without its sharing chapter, approved out of order.
            _ = try await world.call(
                .POST, "/api/v1/projects/\(w.projectId)/documents?kind=feasibilityStudy&filename=fs.pdf&sharingChapter=applicationAnalysis",
                as: "unitA", raw: Data("%PDF-1.4 fs\n%%EOF\n".utf8), contentType: "application/pdf")
            let outOfOrder = try await world.act(
                w.projectId, "approve-document", as: "drc",
                ["kind": "feasibilityStudy", "documentNumber": "2号", "approvedOn": w.today, "approvedAmountFen": 6_000_000_000])
            #expect(outOfOrder.status == .unprocessableEntity)
            #expect(outOfOrder.ruleIds == ["R-APP-2"])
            try await world.must(
                w.projectId, "approve-document", as: "drc",
                ["kind": "projectProposal", "documentNumber": "1号", "approvedOn": w.today, "approvedAmountFen": 6_000_000_000])
            let chapter = try await world.act(
                w.projectId, "approve-document", as: "drc",
                ["kind": "feasibilityStudy", "documentNumber": "2号", "approvedOn": w.today, "approvedAmountFen": 6_000_000_000])
            #expect(chapter.ruleIds == ["R-APP-3", "R-APP-3"])
            #expect(try await w.project().project["approvals"] as? [Any] != nil)
            #expect((try await w.project().project["approvals"] as? [Any])?.count == 1)
        }
    }

    @Test("R-FUND-1/R-FUND-3: fund plans, disbursements, overdue acceptance (第十一条, 第二十二条)", arguments: Backend.all)
    func money(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await Self.constructing(world)
            let budget: Int64 = 800_000_000
            // Half planned, a quarter paid by the walk.
            let overPlan = try await world.act(
                w.projectId, "issue-fund-plan", as: "drc", ["amountFen": budget / 2 + 1, "documentNumber": "2号", "issuedOn": w.today])
            #expect(overPlan.ruleIds == ["R-FUND-1"])
            try await world.must(
                w.projectId, "issue-fund-plan", as: "drc", ["amountFen": budget / 2, "documentNumber": "2号", "issuedOn": w.today])
            let overPaid = try await world.act(
                w.projectId, "disburse", as: "fin", ["amountFen": budget * 3 / 4 + 1, "paidOn": w.today, "voucherNumber": "ZF-2"])
            #expect(overPaid.ruleIds == ["R-FUND-1"])
            let negative = try await world.act(
                w.projectId, "disburse", as: "fin", ["amountFen": -5, "paidOn": w.today, "voucherNumber": "ZF-2"])
            #expect(negative.status == .badRequest)
            let overflow = try await world.call(
                .POST, "/api/v1/projects/\(w.projectId)/actions/disburse", as: "fin",
                raw: Data(#"{"amountFen": 99999999999999999999, "paidOn": "2026-03-02", "voucherNumber": "x"}"#.utf8))
            #expect(overflow.status == .badRequest)
            // Completed; six months to the day, then one day over.
            try await world.must(w.projectId, "record-completion", as: "unitA", ["completedOn": w.today])
            let completed = world.clock.now.beijingDate
            world.clock.set(completed.addingMonths(6))
            try await world.must(w.projectId, "disburse", as: "fin", ["amountFen": 1, "paidOn": w.today, "voucherNumber": "ZF-3"])
            world.clock.set(completed.addingMonths(6).addingDays(1))
            let overdue = try await world.act(
                w.projectId, "disburse", as: "fin", ["amountFen": 1, "paidOn": w.today, "voucherNumber": "ZF-4"])
            #expect(overdue.ruleIds == ["R-FUND-3"])
            #expect(overdue.violations.first?["article"] as? String == "第二十二条")
            let view = try await w.project()
            #expect((view.object["derived"] as? [String: Any])?["acceptanceOverdue"] as? Bool == true)
            #expect((view.project["disbursements"] as? [Any])?.count == 2)
        }
    }

    @Test("R-CON-1..5: construction prerequisites all listed at once (第十二条 to 第十七条)", arguments: Backend.all)
    func constructionPrerequisites(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 3_000_000, extra: ["classified": true]))
            for agency in ["drc", "bdb", "fin"] {
                try await world.must(w.projectId, "grant-classified-access", as: "unitA", ["userId": world.userIds[agency]!.uuidString])
            }
            try await w.toReserve()
            try await w.toPlanned(amountFen: 300_000_000)
            try await w.toApproved(path: ["implementationPlan"], amountFen: 300_000_000)
            try await world.must(w.projectId, "start-procurement", as: "unitA")
            let early = try await world.act(w.projectId, "start-construction", as: "unitA", ["startedOn": w.today])
            #expect(Set(early.ruleIds) == ["R-CON-1", "R-CON-2", "R-CON-3", "R-CON-4", "R-CON-5"])
            #expect(early.violations.count == 6)
            var clauses = Walk.allClauses
            clauses.removeFirst(2)
            let contract = try await world.act(
                w.projectId, "record-construction-contract", as: "unitA",
                [
                    "contractNumber": "HT", "contractor": "c", "amountFen": 100, "signedOn": w.today, "warrantyEnd": "2030-01-01",
                    "clauses": clauses,
                ])
            #expect(contract.ruleIds == ["R-CON-3", "R-CON-3"])
            let works = try await world.act(
                w.projectId, "record-procurement", as: "unitA",
                [
                    "category": "works", "method": "competitiveNegotiation", "amountFen": 100, "supplier": "s", "awardedOn": w.today,
                    "items": [["name": "机房改造", "productClass": "service", "domesticIP": true, "secureAndControllable": true]],
                ])
            #expect(works.ruleIds == ["R-CON-2"])
            #expect(works.violations.first?["article"] as? String == "第十三条")
        }
    }

    @Test("R-CHG-2/3: exactly 15% filed, one fen more needs re-approval (第十九条)", arguments: Backend.all)
    func changes(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await Self.constructing(world, yuan: 10_000_000 - 1)
            let budget: Int64 = 999_999_900
            let filed = try await world.must(
                w.projectId, "propose-change", as: "unitA",
                [
                    "description": "优化技术方案", "reason": "technologyOptimisation", "newTotalFen": budget,
                    "adjustedAmountFen": budget * 15 / 100, "goalsUnchanged": true,
                ])
            #expect(((filed.project["changes"] as? [[String: Any]])?.last?["route"] as? String) == "filing")
            let next = try await world.must(
                w.projectId, "propose-change", as: "unitA",
                [
                    "description": "再调整", "reason": "scheduleAdjustment", "newTotalFen": budget, "adjustedAmountFen": 1,
                    "goalsUnchanged": true,
                ])
            let change = (next.project["changes"] as? [[String: Any]])?.last
            #expect(change?["route"] as? String == "reApproval")
            #expect(change?["status"] as? String == "pendingApproval")
            let blocked = try await world.act(
                w.projectId, "propose-change", as: "unitA",
                [
                    "description": "第三次", "reason": "scheduleAdjustment", "newTotalFen": budget, "adjustedAmountFen": 1,
                    "goalsUnchanged": true,
                ])
            #expect(blocked.ruleIds == ["R-CHG-3"])
            try await world.must(
                w.projectId, "approve-change", as: "drc", ["changeNumber": 2, "documentNumber": "变更批复1号", "approvedOn": w.today])
        }
    }

    @Test("R-ACC-2/3/4: trial run to the day, documents, delay report (第二十条 to 第二十二条)", arguments: Backend.all)
    func acceptance(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await Self.constructing(world)
            try await w.recordSecurity()
            try await world.must(w.projectId, "record-completion", as: "unitA", ["completedOn": w.today])
            let completed = world.clock.now.beijingDate
            try await world.must(
                w.projectId, "record-preliminary-acceptance", as: "unitA", ["heldOn": w.today, "passed": true, "notes": "合格"])
            world.clock.set(completed.addingMonths(3).addingDays(-1))
            let early = try await world.act(w.projectId, "apply-for-acceptance", as: "unitA")
            #expect(Set(early.ruleIds) == ["R-ACC-2", "R-ACC-3", "R-SHR-3", "R-SEC-3"])
            #expect(early.ruleIds.filter { $0 == "R-ACC-3" }.count == 4)
            try await world.must(w.projectId, "add-catalog-entry", as: "unitA", SharingFixtures.entry())
            try await world.must(
                w.projectId, "confirm-catalog-registration", as: "bdb",
                ["platformId": "P", "registeredOn": w.today, "connectedToExchangePlatform": true])
            try await world.must(w.projectId, "record-product-security-review", as: "unitA", ["reviewedOn": w.today, "conclusion": "安全可靠"])
            for kind in ["constructionSummary", "financialReport", "auditReport", "securityRiskAssessment"] { _ = try await w.upload(kind) }
            world.clock.set(completed.addingMonths(6).addingDays(1))
            let overdue = try await world.act(w.projectId, "apply-for-acceptance", as: "unitA")
            #expect(overdue.ruleIds == ["R-ACC-4"])
            try await world.must(
                w.projectId, "file-delay-report", as: "unitA",
                ["reasons": "等待审计报告", "plannedAcceptanceOn": completed.addingMonths(8).description])
            try await world.must(w.projectId, "apply-for-acceptance", as: "unitA")
            try await world.must(w.projectId, "sign-off-acceptance", as: "drc", ["passed": true, "opinion": "同意", "signedOn": w.today])
            let twice = try await world.act(
                w.projectId, "sign-off-acceptance", as: "drc", ["passed": true, "opinion": "同意", "signedOn": w.today])
            #expect(twice.ruleIds == ["R-ACC-3"])
            #expect(try await w.project().stage == "acceptance_applied")
        }
    }
}
