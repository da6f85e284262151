import Testing

@testable import ZhengxinCore

/// Changes, 第十九条: R-CHG-1 (through the system), R-CHG-2 (unit adjustment with filing), R-CHG-3 (re-approval).
/// Approved budget 5,000,000.00元 = 500,000,000 fen; 15% is exactly 75,000,000 fen.
@Suite("Changes, R-CHG-1..3 第十九条")
struct ChangeTests {
    static let budget = Fen(500_000_000)

    func change(adjusted: Int, newTotal: Fen = budget, reason: ChangeReason = .technologyOptimisation, goalsUnchanged: Bool = true) -> JSON
    {
        [
            "description": "调整技术方案", "reason": reason.rawValue, "newTotalFen": newTotal.json,
            "adjustedAmountFen": adjusted, "goalsUnchanged": goalsUnchanged,
        ]
    }

    func propose(_ s: inout Scenario, _ json: JSON) throws -> ChangeRequest {
        try s.act("propose-change", by: Actors.unit, json)
        return try #require(s.project.changes.last)
    }

    // R-CHG-2: 100 × adjusted == 15 × budget is still filing, and takes effect when filed.
    @Test func exactlyFifteenPercentIsFiledAndTakesEffect() throws {
        var s = try Scenario.at(.constructing)
        #expect(s.project.approvedBudget == Self.budget)
        let c = try propose(&s, change(adjusted: 75_000_000, newTotal: Fen(480_000_000)))
        #expect(c.route == .filing)
        #expect(c.status == .filed)
        #expect(c.reApprovalGrounds.isEmpty)
        #expect(c.previousTotal == Self.budget)
        #expect(s.project.totalInvestment == Fen(480_000_000))
        #expect(s.project.approvedBudget == Self.budget)
    }

    // R-CHG-2/3: one fen over 15% goes to DRC re-approval, with the R-CHG-2 ground on record.
    @Test func oneFenOverFifteenPercentNeedsReApproval() throws {
        var s = try Scenario.at(.constructing)
        let c = try propose(&s, change(adjusted: 75_000_001, newTotal: Fen(480_000_000)))
        #expect(c.route == .reApproval)
        #expect(c.status == .pendingApproval)
        #expect(c.reApprovalGrounds.map(\.rule) == ["R-CHG-2"])
        #expect(c.reApprovalGrounds.first?.article == "第十九条")
        #expect(s.project.totalInvestment == Self.budget, "not in effect before approval")
    }

    // R-CHG-2 第十九条: the amount adjusted is at least the total's fall or rise. A cut of 5,000,000.00元 to
    // 3,000,000.00元 (40%) declared as adjusting 0 would else be filed with no DRC decision.
    @Test func adjustedAmountCoversTheTotalsMove() throws {
        var s = try Scenario.at(.constructing)
        let cut = s.attempt("propose-change", by: Actors.unit, change(adjusted: 0, newTotal: Fen(300_000_000)))
        #expect(cut.rules == ["R-CHG-2"])
        #expect(cut.violations.first?.article == "第十九条")
        #expect(cut.violations.first?.field == "adjustedAmountFen")
        #expect(s.project.changes.isEmpty, "a refusal records no change")
        // One fen short of the fall is refused; the fall itself is filed (20,000,000 fen is within 15%).
        #expect(s.attempt("propose-change", by: Actors.unit, change(adjusted: 19_999_999, newTotal: Fen(480_000_000))).rules == ["R-CHG-2"])
        #expect(try propose(&s, change(adjusted: 20_000_000, newTotal: Fen(480_000_000))).route == .filing)
        // Back up by the same 20,000,000 fen: the rise too is counted, 40,000,000 fen in all, still within 15%.
        #expect(s.attempt("propose-change", by: Actors.unit, change(adjusted: 0, newTotal: Self.budget)).rules == ["R-CHG-2"])
        #expect(try propose(&s, change(adjusted: 20_000_000, newTotal: Self.budget)).route == .filing)
        // A 40% cut declared truthfully goes to re-approval.
        let truthful = try propose(&s, change(adjusted: 200_000_000, newTotal: Fen(300_000_000)))
        #expect(truthful.route == .reApproval)
        #expect(s.project.totalInvestment == Self.budget)
    }

    // R-CHG-2 第十九条: where DRC approved less than the unit asked, the total moves from the 概算: a
    // schedule change that brings the asked 5,000,000.00元 down to the approved 4,500,000.00元 moves nothing.
    @Test func totalMovesFromTheApprovedBudgetWhenLower() throws {
        var s = try Scenario.at(.constructing)
        s.project.approvedBudget = Fen(450_000_000)
        let c = try propose(&s, change(adjusted: 0, newTotal: Fen(450_000_000), reason: .scheduleAdjustment))
        #expect(c.route == .filing)
        #expect(s.attempt("propose-change", by: Actors.unit, change(adjusted: 0, newTotal: Fen(440_000_000))).rules == ["R-CHG-2"])
    }

    // R-CHG-2 (interpretation, against splitting): adjusted amounts add up over filed changes.
    @Test func cumulativeTenThenSixPercentNeedsReApproval() throws {
        var s = try Scenario.at(.constructing)
        #expect(try propose(&s, change(adjusted: 50_000_000)).route == .filing)
        let second = try propose(&s, change(adjusted: 30_000_000))
        #expect(second.route == .reApproval)
        #expect(second.reApprovalGrounds.map(\.rule) == ["R-CHG-2"])
    }

    // R-CHG-2 第十九条: 10% + 5% is exactly 15%: filing; one fen more is not.
    @Test func cumulativeTenThenFivePercentIsStillFiling() throws {
        var s = try Scenario.at(.constructing)
        #expect(try propose(&s, change(adjusted: 50_000_000)).route == .filing)
        try s.act("acknowledge-change-filing", by: Actors.drc, ["changeNumber": 1])  // acknowledged still counts
        #expect(s.project.changes[0].status == .acknowledged)
        #expect(try propose(&s, change(adjusted: 25_000_000)).route == .filing)
        #expect(try propose(&s, change(adjusted: 1)).route == .reApproval)
    }

    // R-CHG-2: each condition of filing that fails is a ground for re-approval.
    @Test func overBudgetGoalsChangedOrOtherReasonNeedReApproval() throws {
        var s = try Scenario.at(.constructing)
        let over = try propose(&s, change(adjusted: 1_000, newTotal: Fen(Self.budget.value + 1)))
        #expect(over.route == .reApproval)
        try s.act("reject-change", by: Actors.drc, ["changeNumber": over.number, "reason": "超概算"])
        let goals = try propose(&s, change(adjusted: 1_000, goalsUnchanged: false))
        #expect(goals.route == .reApproval)
        try s.act("reject-change", by: Actors.drc, ["changeNumber": goals.number, "reason": "目标变化"])
        let other = try propose(&s, change(adjusted: 1_000, reason: .other))
        #expect(other.route == .reApproval)
        try s.act("reject-change", by: Actors.drc, ["changeNumber": other.number, "reason": "理由不符"])
        let all = try propose(&s, change(adjusted: 100_000_000, newTotal: Fen(600_000_000), reason: .other, goalsUnchanged: false))
        #expect(all.reApprovalGrounds.map(\.rule) == ["R-CHG-2", "R-CHG-2", "R-CHG-2", "R-CHG-2"])
    }

    // R-CHG-2 第十九条 (一)(二)(三): each listed situation permits filing.
    @Test(arguments: [ChangeReason.newDeployment, .technologyOptimisation, .scheduleAdjustment])
    func eachOfTheThreeSituationsPermitsFiling(_ reason: ChangeReason) throws {
        var s = try Scenario.at(.approved)
        #expect(try propose(&s, change(adjusted: 0, reason: reason)).route == .filing)
    }

    // R-CHG-3: a pending change blocks any new proposal until DRC decides.
    @Test func pendingChangeBlocksANewProposal() throws {
        var s = try Scenario.at(.constructing)
        _ = try propose(&s, change(adjusted: 1, reason: .other))
        let d = s.attempt("propose-change", by: Actors.unit, change(adjusted: 1))
        #expect(d.rules == ["R-CHG-3"])
        try s.act("reject-change", by: Actors.drc, ["changeNumber": 1, "reason": "不同意"])
        #expect(s.attempt("propose-change", by: Actors.unit, change(adjusted: 1)).isAccepted)
    }

    // R-CHG-3: approval puts the change into effect: total and approved budget.
    @Test func approveChangeUpdatesTotalAndApprovedBudget() throws {
        var s = try Scenario.at(.constructing)
        _ = try propose(&s, change(adjusted: 100_000_000, newTotal: Fen(600_000_000)))
        try s.act("approve-change", by: Actors.drc, ["changeNumber": 1, "documentNumber": "郑发改审批〔2027〕20号", "approvedOn": s.today.json])
        #expect(s.project.totalInvestment == Fen(600_000_000))
        #expect(s.project.approvedBudget == Fen(600_000_000))
        #expect(s.project.changes[0].status == .approved)
        #expect(s.project.changes[0].newApprovedBudget == Fen(600_000_000))
        #expect(
            s.attempt("approve-change", by: Actors.drc, ["changeNumber": 1, "documentNumber": "x", "approvedOn": s.today.json]).rules == [
                "R-CHG-3", "R-CHG-3",
            ])
    }

    // R-CHG-3 第十九条: DRC may fix the new budget, not below the new total.
    @Test func approveChangeWithExplicitBudget() throws {
        var s = try Scenario.at(.constructing)
        _ = try propose(&s, change(adjusted: 100_000_000, newTotal: Fen(450_000_000), reason: .other))
        let low = s.attempt(
            "approve-change", by: Actors.drc,
            ["changeNumber": 1, "documentNumber": "d", "approvedOn": s.today.json, "newApprovedBudgetFen": 449_999_999])
        #expect(low.rules == ["R-CHG-3"])
        try s.act(
            "approve-change", by: Actors.drc,
            ["changeNumber": 1, "documentNumber": "d", "approvedOn": s.today.json, "newApprovedBudgetFen": 450_000_000])
        #expect(s.project.approvedBudget == Fen(450_000_000))
        #expect(s.project.totalInvestment == Fen(450_000_000))
    }

    // R-CHG-3 / R-FUND-1 第十一条: a new approved budget below the fund plans already issued is refused.
    @Test func newApprovedBudgetBelowFundPlansRefused() throws {
        var s = try Scenario.at(.constructing)
        try s.issueFundPlan(Fen(400_000_000))
        _ = try propose(&s, change(adjusted: 150_000_000, newTotal: Fen(350_000_000)))
        let d = s.attempt(
            "approve-change", by: Actors.drc,
            ["changeNumber": 1, "documentNumber": "d", "approvedOn": s.today.json, "newApprovedBudgetFen": 350_000_000])
        #expect(d.rules == ["R-FUND-1"])
        #expect(d.violations.first?.field == "newApprovedBudgetFen")
        #expect(
            s.attempt(
                "approve-change", by: Actors.drc,
                ["changeNumber": 1, "documentNumber": "d", "approvedOn": s.today.json, "newApprovedBudgetFen": 400_000_000]
            ).isAccepted)
    }

    // R-CHG-3: rejection leaves total and approved budget as they were.
    @Test func rejectChangeLeavesTotalAndBudget() throws {
        var s = try Scenario.at(.constructing)
        _ = try propose(&s, change(adjusted: 100_000_000, newTotal: Fen(600_000_000)))
        #expect(s.attempt("reject-change", by: Actors.unit, ["changeNumber": 1, "reason": "r"]).isForbidden)
        try s.act("reject-change", by: Actors.drc, ["changeNumber": 1, "reason": "不予批准"])
        #expect(s.project.changes[0].status == .rejected)
        #expect(s.project.totalInvestment == Self.budget)
        #expect(s.project.approvedBudget == Self.budget)
    }

    // R-CHG-2: DRC acknowledges filings only, once.
    @Test func acknowledgeOnlyFiledChanges() throws {
        var s = try Scenario.at(.constructing)
        _ = try propose(&s, change(adjusted: 1, reason: .other))
        #expect(s.attempt("acknowledge-change-filing", by: Actors.drc, ["changeNumber": 1]).rules == ["R-CHG-2"])
        #expect(s.attempt("acknowledge-change-filing", by: Actors.drc, ["changeNumber": 7]).violations.map(\.field) == ["changeNumber"])
    }

    // R-CHG-1: changes are proposed only between approval and completion.
    @Test func noChangeProposalsBeforeApprovalOrAfterCompletion() throws {
        for stage in [Stage.approving, .completed] {
            let s = try Scenario.at(stage)
            #expect(s.attempt("propose-change", by: Actors.unit, change(adjusted: 1)).rules == [Lifecycle.stageRule])
        }
        let s = try Scenario.at(.constructing)
        #expect(s.attempt("propose-change", by: Actors.unit, change(adjusted: -1)).violations.map(\.field) == ["adjustedAmountFen"])
    }
}
