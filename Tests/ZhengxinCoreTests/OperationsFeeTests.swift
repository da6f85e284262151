import Testing

@testable import ZhengxinCore

/// R-OM-2 (第二十五条, 第二十二条): the yearly O&M fee after the free warranty, reviewed by FIN.
@Suite("Operations fee, R-OM-2")
struct OperationsFeeTests {
    /// In operation with one construction contract whose warranty ends on `warrantyEnd`.
    func operating(warrantyEnd: CivilDate) throws -> Scenario {
        var s = try Scenario.omOperating()
        s.project.constructionContracts[0].warrantyEnd = warrantyEnd
        return s
    }

    func approve(_ s: Scenario, number: Int = 1, _ amount: Fen, on date: CivilDate? = nil) -> Decision {
        s.attempt(
            "approve-operations-fee", by: Actors.fin,
            [
                "applicationNumber": number, "approvedAmountFen": amount.json,
                "budgetReference": "郑财预〔2030〕12号", "reviewedOn": (date ?? s.today).json,
            ], on: date)
    }

    // 第十五条 保修期限: the free warranty ends with the latest construction contract's.
    @Test func warrantyEndIsTheLatestContractsWarranty() throws {
        var s = try operating(warrantyEnd: CivilDate(2029, 6, 30))
        var second = s.project.constructionContracts[0]
        second.number = 2
        second.warrantyEnd = CivilDate(2030, 1, 1)
        s.project.constructionContracts.append(second)
        #expect(OperationsFeeRules.warrantyEnd(s.project) == CivilDate(2030, 1, 1))
        #expect(OperationsFeeRules.firstFeeYear(s.project) == 2031)
        #expect(s.attempt("apply-for-operations-fee", by: Actors.unit, OMPayloads.fee(2030), on: CivilDate(2030, 3, 1)).rules == ["R-OM-2"])
    }

    // Year Y only if warrantyEnd < Y-01-01: ending 2029-12-31 allows 2030, ending 2030-01-01 does not.
    @Test func warrantyYearBoundary() throws {
        let endsNewYearsEve = try operating(warrantyEnd: CivilDate(2029, 12, 31))
        let d = endsNewYearsEve.attempt("apply-for-operations-fee", by: Actors.unit, OMPayloads.fee(2030), on: CivilDate(2029, 10, 1))
        #expect(d.isAccepted)
        #expect(d.project?.operations.feeApplications.first?.status == .pending)
        let endsNewYearsDay = try operating(warrantyEnd: CivilDate(2030, 1, 1))
        let refused = endsNewYearsDay.attempt("apply-for-operations-fee", by: Actors.unit, OMPayloads.fee(2030), on: CivilDate(2029, 10, 1))
        #expect(refused.rules == ["R-OM-2"])
        #expect(refused.violations.first?.article == "第二十五条")
        #expect(refused.violations.first?.field == "year")
        #expect(
            endsNewYearsDay.attempt("apply-for-operations-fee", by: Actors.unit, OMPayloads.fee(2031), on: CivilDate(2030, 10, 1))
                .isAccepted)
    }

    // 按年度: this year or (policy) one ahead, never a past year.
    @Test func yearWindowFollowsThePolicy() throws {
        var s = try operating(warrantyEnd: CivilDate(2028, 12, 31))
        #expect(
            s.attempt("apply-for-operations-fee", by: Actors.unit, OMPayloads.fee(2029), on: CivilDate(2030, 1, 1)).rules == ["R-OM-2"],
            "past year")
        #expect(s.attempt("apply-for-operations-fee", by: Actors.unit, OMPayloads.fee(2030), on: CivilDate(2030, 1, 1)).isAccepted)
        #expect(s.attempt("apply-for-operations-fee", by: Actors.unit, OMPayloads.fee(2031), on: CivilDate(2030, 1, 1)).isAccepted)
        #expect(s.attempt("apply-for-operations-fee", by: Actors.unit, OMPayloads.fee(2032), on: CivilDate(2030, 1, 1)).rules == ["R-OM-2"])
        var params = OperationsSecurityParameters.zhengzhou2020
        params.operationsFeeYearsAhead = 2
        s.policy.operationsAndSecurity = params
        #expect(s.attempt("apply-for-operations-fee", by: Actors.unit, OMPayloads.fee(2032), on: CivilDate(2030, 1, 1)).isAccepted)
    }

    // One live application per year; a rejected one may be made again.
    @Test func duplicateYearRefusedUnlessRejected() throws {
        var s = try operating(warrantyEnd: CivilDate(2029, 12, 31))
        try s.act("apply-for-operations-fee", by: Actors.unit, OMPayloads.fee(2030), on: CivilDate(2029, 10, 1))
        let again = s.attempt("apply-for-operations-fee", by: Actors.unit, OMPayloads.fee(2030))
        #expect(again.rules == ["R-OM-2"])
        #expect(again.violations.first?.field == "year")
        #expect(s.attempt("reject-operations-fee", by: Actors.fin, ["applicationNumber": 1, "reason": " "]).rules == ["INPUT"])
        try s.act("reject-operations-fee", by: Actors.fin, ["applicationNumber": 1, "reason": "依据标准不明确"])
        #expect(s.project.operations.feeApplications[0].status == .rejected)
        #expect(s.project.operations.feeApplications[0].rejectionReason == "依据标准不明确")
        try s.act("apply-for-operations-fee", by: Actors.unit, OMPayloads.fee(2030, Fen(yuan: 150_000)))
        try s.act(
            "approve-operations-fee", by: Actors.fin,
            [
                "applicationNumber": 2, "approvedAmountFen": Fen(yuan: 150_000).json,
                "budgetReference": "2030年部门预算", "reviewedOn": s.today.json,
            ])
        #expect(s.attempt("apply-for-operations-fee", by: Actors.unit, OMPayloads.fee(2030)).rules == ["R-OM-2"])
    }

    // FIN approves at most the amount requested; the approved amount goes into that year's budget.
    @Test func approvedAmountAtMostRequested() throws {
        var s = try operating(warrantyEnd: CivilDate(2029, 12, 31))
        try s.act("apply-for-operations-fee", by: Actors.unit, OMPayloads.fee(2030, Fen(200_000_00)), on: CivilDate(2029, 10, 1))
        let over = approve(s, Fen(200_000_01))
        #expect(over.rules == ["R-OM-2"])
        #expect(over.violations.first?.field == "approvedAmountFen")
        #expect(approve(s, Fen(0)).rules == ["INPUT"])
        #expect(approve(s, number: 7, Fen(1)).violations.map(\.field) == ["applicationNumber"])
        #expect(approve(s, Fen(1), on: CivilDate(2029, 9, 30)).violations.map(\.field) == ["reviewedOn"], "not before the application")
        #expect(
            s.attempt(
                "approve-operations-fee", by: Actors.unit,
                [
                    "applicationNumber": 1, "approvedAmountFen": 1, "budgetReference": "x",
                    "reviewedOn": s.today.json,
                ]
            ).isForbidden)
        let exact = try #require(approve(s, Fen(200_000_00)).project)
        #expect(exact.operations.feeApplications[0].approvedAmount == Fen(200_000_00))
        s.project = exact
        #expect(s.project.operations.budgeted(year: 2030) == Fen(200_000_00))
        #expect(s.project.operations.feeApplications[0].budgetReference == "郑财预〔2030〕12号")
        #expect(approve(s, Fen(1)).rules == ["R-OM-2"], "nothing pending")
        #expect(s.attempt("reject-operations-fee", by: Actors.fin, ["applicationNumber": 1, "reason": "x"]).rules == ["R-OM-2"])
    }

    @Test func lessThanRequestedIsApproved() throws {
        var s = try operating(warrantyEnd: CivilDate(2029, 12, 31))
        try s.act("apply-for-operations-fee", by: Actors.unit, OMPayloads.fee(2030, Fen(200_000_00)), on: CivilDate(2029, 10, 1))
        let d = approve(s, Fen(180_000_00))
        #expect(d.project?.operations.budgeted(year: 2030) == Fen(180_000_00))
        #expect(d.project?.operations.budgeted(year: 2031) == Fen.zero)
    }

    // Not accepted: refused with R-OM-2 (第二十五条); past completion + 6 months also 第二十二条 — the day after, not on it.
    @Test func notAcceptedAndOverdueBoundary() throws {
        let s = try Scenario.at(.trialRunning)
        let onDeadline = s.attempt("apply-for-operations-fee", by: Actors.unit, OMPayloads.fee(2031), on: Timeline.acceptanceDeadline)
        #expect(onDeadline.rules.allSatisfy { $0 == "R-OM-2" })
        #expect(onDeadline.violations.map(\.article).contains("第二十五条"))
        #expect(!onDeadline.violations.map(\.article).contains("第二十二条"))
        let dayAfter = s.attempt(
            "apply-for-operations-fee", by: Actors.unit, OMPayloads.fee(2031), on: Timeline.acceptanceDeadline.addingDays(1))
        #expect(dayAfter.violations.first?.article == "第二十二条")
        #expect(dayAfter.violations.first?.rule == "R-OM-2")
        // FIN's approval asks the same of the project.
        let ctx = s.context(Actors.fin, on: Timeline.acceptanceDeadline.addingDays(1))
        #expect(OperationsFeeRules.fundingConditions(s.project, ctx).map(\.article) == ["第二十二条", "第二十五条"])
        #expect(
            OperationsFeeRules.fundingConditions(s.project, s.context(Actors.fin, on: Timeline.acceptanceDeadline)).map(\.article) == [
                "第二十五条"
            ])
    }

    // Accepted but O&M not recorded yet: R-OM-2 citing 第二十三条.
    @Test func acceptedButNotOperating() throws {
        let s = try Scenario.at(.accepted)
        let d = s.attempt("apply-for-operations-fee", by: Actors.unit, OMPayloads.fee(2031), on: CivilDate(2030, 6, 1))
        #expect(d.rules == ["R-OM-2"])
        #expect(d.violations.first?.article == "第二十三条")
    }

    @Test func onlyTheUnitAppliesOnlyFINReviews() throws {
        let s = try operating(warrantyEnd: CivilDate(2029, 12, 31))
        #expect(s.attempt("apply-for-operations-fee", by: Actors.fin, OMPayloads.fee(2030)).isForbidden)
        #expect(s.attempt("apply-for-operations-fee", by: Actors.otherUnit, OMPayloads.fee(2030)).isForbidden)
        #expect(s.attempt("reject-operations-fee", by: Actors.drc, ["applicationNumber": 1, "reason": "x"]).isForbidden)
        let avail = Lifecycle.availableActions(s.project, s.context(Actors.fin))
        let approveLine = try #require(avail.first { $0.action == "approve-operations-fee" })
        #expect(!approveLine.open)
        #expect(approveLine.unmetConditions.map(\.rule) == ["R-OM-2"])
    }

    // For the deadline scan: which year still awaits an application.
    @Test func yearAwaitingApplication() throws {
        var s = try operating(warrantyEnd: CivilDate(2029, 12, 31))
        let policy = s.policy
        #expect(OperationsFeeRules.yearAwaitingApplication(s.project, today: CivilDate(2028, 6, 1), policy) == nil, "2030 is not yet open")
        #expect(OperationsFeeRules.yearAwaitingApplication(s.project, today: CivilDate(2029, 6, 1), policy) == 2030)
        try s.act("apply-for-operations-fee", by: Actors.unit, OMPayloads.fee(2030), on: CivilDate(2029, 6, 1))
        #expect(OperationsFeeRules.yearAwaitingApplication(s.project, today: CivilDate(2029, 6, 1), policy) == nil)
        #expect(OperationsFeeRules.yearAwaitingApplication(s.project, today: CivilDate(2030, 1, 1), policy) == 2031)
        #expect(OperationsFeeRules.yearAwaitingApplication(try Scenario.at(.accepted).project, today: CivilDate(2031, 1, 1), policy) == nil)
    }

    @Test func inputErrorsNameTheField() throws {
        let s = try operating(warrantyEnd: CivilDate(2029, 12, 31))
        var body = OMPayloads.fee(2030)
        body["basis"] = ""
        #expect(
            s.attempt("apply-for-operations-fee", by: Actors.unit, body, on: CivilDate(2029, 10, 1)).violations.map(\.field) == ["basis"])
        #expect(
            s.attempt("apply-for-operations-fee", by: Actors.unit, OMPayloads.fee(2030, Fen(-1)), on: CivilDate(2029, 10, 1)).violations
                .map(\.field) == ["amountFen"])
    }
}
