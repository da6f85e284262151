import Testing

@testable import ZhengxinCore

/// Final acceptance: R-ACC-3 (第二十一条) sign-off by DRC, FIN and BDB; R-FUND-2 (第十一条) surplus and its return.
@Suite("Acceptance sign-off and surplus, R-ACC-3 / R-FUND-2")
struct AcceptanceSignOffTests {
    /// Applied for acceptance with 3,000,000.00元 disbursed of a 5,000,000.00元 budget.
    func applied() throws -> Scenario {
        var s = try Scenario.at(.constructing)
        try s.issueFundPlan(Fen(yuan: 4_000_000))
        try s.disburse(Fen(yuan: 3_000_000))
        try s.walk(to: .acceptanceApplied)
        return s
    }

    // R-ACC-3 第二十一条: accepted only after the third sign-off; surplus = budget − disbursed (R-FUND-2).
    @Test func acceptedOnlyAfterAllThreeSignOffs() throws {
        var s = try applied()
        try s.signOff(by: Actors.drc, on: CivilDate(2028, 4, 22))
        #expect(s.project.stage == .acceptanceApplied)
        try s.signOff(by: Actors.bdb, on: CivilDate(2028, 4, 25))
        #expect(s.project.stage == .acceptanceApplied)
        #expect(s.project.surplus == nil)
        try s.signOff(by: Actors.fin, on: CivilDate(2028, 4, 24))
        #expect(s.project.stage == .accepted)
        #expect(s.project.acceptedOn == CivilDate(2028, 4, 25), "the latest of the three dates")
        #expect(s.project.surplus?.amount == Fen(yuan: 2_000_000))
        #expect(Set(s.project.acceptanceSignOffs.map(\.agency)) == [.drc, .fin, .bdb])
    }

    // R-ACC-3 第二十一条: each agency signs off once.
    @Test func duplicateSignOffRefused() throws {
        var s = try applied()
        try s.signOff(by: Actors.drc)
        let again = s.attempt("sign-off-acceptance", by: Actors.drc, ["passed": true, "opinion": "同意", "signedOn": s.today.json])
        #expect(again.rules == ["R-ACC-3"])
        #expect(again.violations.first?.article == "第二十一条")
    }

    // R-ACC-3 第二十一条: only DRC, FIN and BDB staff sign off.
    @Test(arguments: [Actors.unit, Actors.aud, Actors.vendor, makeActor(.fin, org: Orgs.fin, user: 60, roles: [.viewer])])
    func onlyDRCFINAndBDBStaffSignOff(_ actor: Actor) throws {
        let s = try applied()
        #expect(s.attempt("sign-off-acceptance", by: actor, ["passed": true, "opinion": "同意", "signedOn": s.today.json]).isForbidden)
    }

    // R-ACC-3 第二十一条: a sign-off is dated on or after the application.
    @Test func signOffNotBeforeTheApplication() throws {
        let s = try applied()
        let d = s.attempt(
            "sign-off-acceptance", by: Actors.bdb, ["passed": true, "opinion": "同意", "signedOn": Timeline.trialEnd.addingDays(-1).json])
        #expect(d.violations.map(\.field) == ["signedOn"])
    }

    // R-ACC-3: a failed sign-off sends the project back to the trial run; it applies again.
    @Test func failedSignOffReturnsToTrialRunning() throws {
        var s = try applied()
        try s.signOff(by: Actors.drc)
        try s.signOff(by: Actors.fin, passed: false)
        #expect(s.project.stage == .trialRunning)
        #expect(s.project.acceptanceSignOffs.isEmpty)
        #expect(s.project.acceptanceApplication == nil)
        try s.act("apply-for-acceptance", by: Actors.unit, on: CivilDate(2028, 5, 10))
        for agency in [Actors.drc, Actors.fin, Actors.bdb] { try s.signOff(by: agency, on: CivilDate(2028, 5, 12)) }
        #expect(s.project.stage == .accepted)
    }

    // R-FUND-2 第十一条: the return recorded by FIN must equal the surplus exactly, once.
    @Test func surplusReturnMustEqualSurplus() throws {
        var s = try applied()
        try s.walk(to: .accepted)
        let surplus = try #require(s.project.surplus?.amount)
        #expect(surplus == Fen(yuan: 2_000_000))
        func ret(_ amount: Fen) -> JSON { ["amountFen": amount.json, "returnedOn": s.today.json, "voucherNumber": "TK-1"] }
        for wrong in [Fen(surplus.value - 1), Fen(surplus.value + 1)] {
            let d = s.attempt("record-surplus-return", by: Actors.fin, ret(wrong))
            #expect(d.rules == ["R-FUND-2"])
            #expect(d.violations.first?.field == "amountFen")
        }
        #expect(s.attempt("record-surplus-return", by: Actors.drc, ret(surplus)).isForbidden)
        try s.act("record-surplus-return", by: Actors.fin, ret(surplus))
        #expect(s.project.surplus?.returnedAmount == surplus)
        #expect(s.attempt("record-surplus-return", by: Actors.fin, ret(surplus)).rules == ["R-FUND-2"])
    }

    // R-FUND-2 第十一条: nothing to return when all of the budget was disbursed.
    @Test func noSurplusWhenFullyDisbursed() throws {
        var s = try Scenario.at(.constructing)
        try s.issueFundPlan(FundingTests.budget)
        try s.disburse(FundingTests.budget)
        try s.walk(to: .accepted)
        #expect(s.project.surplus?.amount == .zero)
        #expect(
            s.attempt("record-surplus-return", by: Actors.fin, ["amountFen": 1, "returnedOn": s.today.json, "voucherNumber": "v"]).rules
                == ["R-FUND-2", "R-FUND-2"], "no surplus, and 0.01元 is not the surplus")
    }

    // 第二十一条: the acceptance report is filed with the three agencies, once.
    @Test func acceptanceReportFiledOnce() throws {
        var s = try Scenario.at(.accepted)
        let filing = Lifecycle.availableActions(s.project, s.context(Actors.unit)).first { $0.action == "file-acceptance-report" }
        #expect(filing?.unmetConditions.map(\.rule) == ["R-ACC-3"], "no report uploaded yet")
        try s.attach(.acceptanceReport)
        let number = try #require(s.project.documents(of: .acceptanceReport).first?.number)
        #expect(
            s.attempt("file-acceptance-report", by: Actors.unit, ["documentNumber": 1]).rules == ["INPUT"], "document 1 is not the report")
        try s.act("file-acceptance-report", by: Actors.unit, ["documentNumber": number])
        #expect(s.project.acceptanceReportFiling?.documentNumber == number)
        #expect(s.attempt("file-acceptance-report", by: Actors.unit, ["documentNumber": number]).rules == ["R-ACC-3"])
    }
}
