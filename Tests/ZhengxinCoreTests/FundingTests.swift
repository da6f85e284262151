import Testing

@testable import ZhengxinCore

/// Money: R-FUND-1 (第十一条) fund plans and disbursements; R-FUND-3 (第二十二条, 第三十六条) when nothing may be paid.
@Suite("Funding, R-FUND-1 第十一条 / R-FUND-3")
struct FundingTests {
    static let budget = Fen(yuan: 5_000_000)

    func fundPlan(_ s: Scenario, _ amount: Fen) -> Decision {
        s.attempt(
            "issue-fund-plan", by: Actors.drc, ["amountFen": amount.json, "documentNumber": "郑发改投资〔2027〕8号", "issuedOn": s.today.json])
    }

    // R-FUND-1 第十一条: cumulative fund plans may reach the approved budget exactly, not one fen more.
    @Test func fundPlansCumulativeExactlyBudgetThenOneFenMoreRefused() throws {
        var s = try Scenario.at(.approved)
        #expect(s.project.approvedBudget == Self.budget)
        try s.issueFundPlan(Fen(Self.budget.value - 100))
        #expect(fundPlan(s, Fen(101)).rules == ["R-FUND-1"])
        try s.issueFundPlan(Fen(100))
        #expect(s.project.totalFundPlans == Self.budget)
        let over = fundPlan(s, Fen(1))
        #expect(over.rules == ["R-FUND-1"])
        #expect(over.violations.first?.article == "第十一条")
        #expect(over.violations.first?.field == "amountFen")
    }

    // R-FUND-1 第十一条: fund plans only for approved projects, only by DRC.
    @Test func fundPlansOnlyByDRCAfterApproval() throws {
        let planned = try Scenario.at(.approving)
        let early = fundPlan(planned, Fen(1))
        #expect(early.rules.first == Lifecycle.stageRule)  // and R-FUND-1: no approved budget yet
        #expect(RefusalKind(early.violations) == .wrongStage)
        let s = try Scenario.at(.approved)
        #expect(
            s.attempt("issue-fund-plan", by: Actors.fin, ["amountFen": 1, "documentNumber": "x", "issuedOn": s.today.json]).isForbidden)
    }

    // Amounts from outside: negative, zero and above the policy maximum are INPUT errors, not rule violations.
    @Test(arguments: [Int64(0), -1, -500, Policy.zhengzhou2020.maximumAmount.value + 1])
    func badAmountsAreInputErrors(_ fen: Int64) throws {
        var s = try Scenario.at(.constructing)
        #expect(fundPlan(s, Fen(fen)).violations.map(\.field) == ["amountFen"])
        #expect(fundPlan(s, Fen(fen)).rules == ["INPUT"])
        try s.issueFundPlan(Fen(1_000))
        #expect(s.disbursement(Fen(fen)).rules == ["INPUT"])
        #expect(s.disbursement(Fen(fen)).violations.map(\.field) == ["amountFen"])
    }

    // R-FUND-1 第十一条: cumulative disbursements may reach cumulative plans exactly, not one fen more.
    // R-FUND-1 第十一条: a fund plan is issued on or after the approval that fixed the 概算, and money is
    // paid on or after the first plan: the day before is refused on its field, the day itself accepted.
    @Test func plansFollowTheApprovalAndPaymentsFollowThePlan() throws {
        var s = try Scenario.at(.constructing)
        let approved = try #require(s.project.approvals.last?.approvedOn)
        let early = s.attempt(
            "issue-fund-plan", by: Actors.drc, ["amountFen": 1_000, "documentNumber": "d", "issuedOn": approved.addingDays(-1).json])
        #expect(early.rules == ["R-FUND-1"] && early.violations.first?.field == "issuedOn")
        try s.issueFundPlan(Fen(1_000), on: approved)
        #expect(s.disbursement(Fen(1), on: approved.addingDays(-1)).violations.map(\.field) == ["paidOn"])
        #expect(s.disbursement(Fen(1), on: approved).isAccepted)
    }

    @Test func disbursementsCumulativeExactlyPlansThenOneFenMoreRefused() throws {
        var s = try Scenario.at(.constructing)
        #expect(s.disbursement(Fen(1)).rules == ["R-FUND-1"], "nothing planned yet")
        try s.issueFundPlan(Fen(300_000))
        try s.issueFundPlan(Fen(200_000))
        let over = s.disbursement(Fen(500_001))
        #expect(over.rules == ["R-FUND-1"])
        #expect(over.violations.first?.field == "amountFen")
        try s.disburse(Fen(250_000))
        #expect(s.disbursement(Fen(250_001)).rules == ["R-FUND-1"])
        try s.disburse(Fen(250_000))
        #expect(s.project.totalDisbursed == Fen(500_000))
        #expect(s.disbursement(Fen(1)).rules == ["R-FUND-1"])
        try s.issueFundPlan(Fen(1))
        try s.disburse(Fen(1))
        #expect(s.project.disbursements.map(\.number) == [1, 2, 3])
    }

    // R-FUND-1 第十一条 (第五条): disbursement is FIN's.
    @Test func disbursementIsFINs() throws {
        var s = try Scenario.at(.constructing)
        try s.issueFundPlan(Fen(1_000))
        #expect(s.attempt("disburse", by: Actors.drc, ["amountFen": 1, "paidOn": s.today.json, "voucherNumber": "v"]).isForbidden)
        #expect(s.attempt("disburse", by: Actors.aud, ["amountFen": 1, "paidOn": s.today.json, "voucherNumber": "v"]).isForbidden)
    }

    // R-FUND-3 第三十六条: not while suspended (here through DRC's real suspension).
    @Test func disbursementRefusedWhileSuspended() throws {
        var s = try Scenario.at(.constructing)
        try s.issueFundPlan(Fen(1_000))
        try s.act("report-incident", by: Actors.unit, ["kind": "seriousDelay", "description": "逾期", "occurredOn": s.today.json])
        try s.act("suspend-construction", by: Actors.drc, ["incidentNumber": 1, "reason": "严重逾期"])
        let d = s.disbursement(Fen(1))
        #expect(d.rules == ["R-FUND-3"])
        #expect(d.violations.first?.article == "第三十六条")
        try s.act("resume-construction", by: Actors.drc, ["reason": "整改完成"])
        #expect(s.disbursement(Fen(1)).isAccepted)
    }

    // R-FUND-3 第三十六条: not once terminated, nor under a 暂缓拨付 sanction (odd states set directly).
    @Test func disbursementRefusedWhenTerminatedOrOnFundingHold() throws {
        var s = try Scenario.at(.constructing)
        try s.issueFundPlan(Fen(1_000))
        var terminated = s
        terminated.project.stage = .terminated
        #expect(terminated.disbursement(Fen(1)).rules == ["R-FUND-3"])
        var held = s
        held.project.fundingHold = true
        #expect(held.disbursement(Fen(1)).rules == ["R-FUND-3"])
        held.project.stage = .terminated
        #expect(held.disbursement(Fen(1)).rules == ["R-FUND-3", "R-FUND-3"], "every ground listed")
    }

    // R-FUND-3 / R-ACC-4 第二十二条: completion 2028-01-15 → deadline 2028-07-15; paying on it is fine, the next day not.
    @Test func disbursementRefusedOnceAcceptanceOverdue() throws {
        var s = try Scenario.at(.trialRunning)
        try s.issueFundPlan(Fen(1_000))
        #expect(AcceptanceClock.deadline(s.project, s.policy) == Timeline.acceptanceDeadline)
        #expect(s.disbursement(Fen(1), on: Timeline.acceptanceDeadline).isAccepted)
        let late = s.disbursement(Fen(1), on: Timeline.acceptanceDeadline.addingDays(1))
        #expect(late.rules == ["R-FUND-3"])
        #expect(late.violations.first?.article == "第二十二条")
        // A delay report does not lift it: FIN pays nothing until acceptance (第二十二条).
        try s.act(
            "file-delay-report", by: Actors.unit, ["reasons": "等待审计", "plannedAcceptanceOn": "2028-09-30"],
            on: Timeline.acceptanceDeadline.addingDays(1))
        #expect(s.disbursement(Fen(1)).rules == ["R-FUND-3"])
    }

    // R-FUND-3 / R-ACC-4 第二十二条: no clock before completion; none after acceptance.
    @Test func disbursementNotOverdueBeforeCompletionOrAfterAcceptance() throws {
        var s = try Scenario.at(.constructing)
        try s.issueFundPlan(Fen(1_000))
        #expect(s.disbursement(Fen(1), on: CivilDate(2030, 1, 1)).isAccepted, "no completion, no clock")
        let accepted = try Scenario.at(.accepted)
        #expect(!AcceptanceClock.isOverdue(accepted.project, today: CivilDate(2030, 1, 1), accepted.policy))
        #expect(accepted.disbursement(Fen(1)).rules == [Lifecycle.stageRule])
    }
}
