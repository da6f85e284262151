import Testing

@testable import ZhengxinCore

/// Approval by tier: R-APP-1 (第八条, 第九条), R-APP-2 (第九条, 第十条), R-APP-3 (第二十六条).
@Suite("Approval, R-APP-1..3")
struct ApprovalTests {
    static let tier1 = NewProject(total: Fen(yuan: 5_000_000))
    static let tier2 = NewProject(total: Fen(yuan: 20_000_000))
    static let tier3 = NewProject(total: Fen(yuan: 60_000_000))

    func approve(_ s: Scenario, _ kind: DocumentKind, amount: Fen? = nil, on date: CivilDate = Timeline.approvedOn) -> Decision {
        s.attempt(
            "approve-document", by: Actors.drc, Payloads.approval(kind, amount: amount ?? s.project.totalInvestment, on: date),
            on: Timeline.approvedOn)
    }

    // R-APP-1 第九条: tier 1 approves one 实施方案; the last approval fixes 概算总投资 (R-APP-2 第十条).
    @Test func tierOneApprovesImplementationPlanAndFixesBudget() throws {
        var s = try Scenario.at(.approving, Self.tier1)
        #expect(s.attempt("approve-document", by: Actors.fin, Payloads.approval(.implementationPlan, amount: Fen(1))).isForbidden)
        let budget = Fen(yuan: 4_800_000)
        try s.act("approve-document", by: Actors.drc, Payloads.approval(.implementationPlan, amount: budget), on: Timeline.approvedOn)
        #expect(s.project.stage == .approved)
        #expect(s.project.approvedBudget == budget)
        #expect(s.project.approvals.map(\.kind) == [.implementationPlan])
        #expect(s.project.approvals[0].approvedBy == Actors.drc.userId)
    }

    // R-APP-2 第九条: 可研 before 初设; dates never go backwards; budget only at the end.
    @Test func tierTwoApprovesInOrderWithNonDecreasingDates() throws {
        var s = try Scenario.at(.approving, Self.tier2)
        let outOfOrder = approve(s, .preliminaryDesign)
        #expect(outOfOrder.rules == ["R-APP-2"])
        #expect(approve(s, .implementationPlan).rules == ["R-APP-2"], "not on the tier-2 path without DRC's ruling")
        try s.act(
            "approve-document", by: Actors.drc, Payloads.approval(.feasibilityStudy, amount: s.project.totalInvestment),
            on: Timeline.approvedOn)
        #expect(s.project.stage == .approving)
        #expect(s.project.approvedBudget == nil)
        let earlier = approve(s, .preliminaryDesign, on: Timeline.approvedOn.addingDays(-1))
        #expect(earlier.rules == ["R-APP-2"])
        #expect(earlier.violations.first?.field == "approvedOn")
        let p = try #require(approve(s, .preliminaryDesign, on: Timeline.approvedOn).project)
        #expect(p.stage == .approved)
        #expect(p.approvedBudget == s.project.totalInvestment)
    }

    // R-APP-1 第九条: DRC accepts 建设内容单一、技术方案简单 → one 实施方案 for tier 2.
    @Test func tierTwoSimpleContentUsesImplementationPlan() throws {
        var s = try Scenario.at(.planned, Self.tier2)
        try s.act("rule-on-simple-content", by: Actors.drc, ["accepted": true, "reason": "内容单一、技术简单"], on: Timeline.applied)
        #expect(ApprovalPath.documents(for: s.project, s.policy) == [.implementationPlan])
        try s.attach(.implementationPlan)
        try s.act("apply-for-approval", by: Actors.unit)
        try s.act(
            "approve-document", by: Actors.drc, Payloads.approval(.implementationPlan, amount: s.project.totalInvestment),
            on: Timeline.approvedOn)
        #expect(s.project.stage == .approved)
    }

    // R-APP-1 第九条: the simple-content ruling exists only for tier 2.
    @Test(arguments: [ApprovalTests.tier1, ApprovalTests.tier3])
    func simpleContentRulingRefusedOutsideTierTwo(_ o: NewProject) throws {
        let s = try Scenario.at(.planned, o)
        let d = s.attempt("rule-on-simple-content", by: Actors.drc, ["accepted": true, "reason": "r"])
        #expect(d.rules == ["R-APP-1"])
        #expect(d.violations.first?.article == "第九条")
    }

    // R-APP-2 第九条: the path is fixed once the first approval is given.
    @Test func simpleContentRulingRefusedAfterFirstApproval() throws {
        var s = try Scenario.at(.approving, Self.tier2)
        try s.act(
            "approve-document", by: Actors.drc, Payloads.approval(.feasibilityStudy, amount: s.project.totalInvestment),
            on: Timeline.approvedOn)
        #expect(s.attempt("rule-on-simple-content", by: Actors.drc, ["accepted": true, "reason": "r"]).rules == ["R-APP-2"])
    }

    // R-APP-1/2 第九条: tier 3 needs 建议书 → 可研 → 初设.
    @Test func tierThreeApprovesThreeDocumentsInOrder() throws {
        var s = try Scenario.at(.approving, Self.tier3)
        #expect(approve(s, .feasibilityStudy).rules == ["R-APP-2"])
        #expect(approve(s, .implementationPlan).rules == ["R-APP-2"])
        for kind in [DocumentKind.projectProposal, .feasibilityStudy] {
            try s.act(
                "approve-document", by: Actors.drc, Payloads.approval(kind, amount: s.project.totalInvestment), on: Timeline.approvedOn)
            #expect(s.project.stage == .approving)
        }
        #expect(approve(s, .projectProposal).rules == ["R-APP-2"], "no approving a step twice")
        try s.act(
            "approve-document", by: Actors.drc, Payloads.approval(.preliminaryDesign, amount: s.project.totalInvestment),
            on: Timeline.approvedOn)
        #expect(s.project.approvals.map(\.kind) == [.projectProposal, .feasibilityStudy, .preliminaryDesign])
        #expect(s.project.stage == .approved)
    }

    // R-APP-1 第八条: the application and each approval need their document on record.
    @Test func missingDocumentRefused() throws {
        let planned = try Scenario.at(.planned, Self.tier2)
        let apply = planned.attempt("apply-for-approval", by: Actors.unit)
        #expect(apply.rules == ["R-APP-1"])
        var s = planned
        try s.attach(.feasibilityStudy)
        try s.act("apply-for-approval", by: Actors.unit)
        try s.act(
            "approve-document", by: Actors.drc, Payloads.approval(.feasibilityStudy, amount: s.project.totalInvestment),
            on: Timeline.approvedOn)
        #expect(approve(s, .preliminaryDesign).rules == ["R-APP-1"])
    }

    // R-APP-3 第二十六条: every missing part of the sharing chapter is listed, one violation each.
    @Test(arguments: [Set<SharingChapterPart>(), [.applicationAnalysis], [.resourceCatalog, .sharingOpenList]])
    func sharingChapterMissingPartsListed(_ parts: Set<SharingChapterPart>) throws {
        var s = try Scenario.at(.planned, Self.tier2)
        try s.attach(.feasibilityStudy, parts: parts)
        let d = s.attempt("apply-for-approval", by: Actors.unit)
        #expect(d.rules == Array(repeating: "R-APP-3", count: 3 - parts.count))
        #expect(d.violations.allSatisfy { $0.article == "第二十六条" })
        try s.attach(.feasibilityStudy)  // a complete new version: the latest one counts
        try s.act("apply-for-approval", by: Actors.unit)
    }

    // R-APP-3 第二十六条: each document is checked when it is approved.
    @Test func sharingChapterCheckedAgainAtApproval() throws {
        var s = try Scenario.at(.approving, Self.tier2)
        try s.attach(.preliminaryDesign, parts: [.applicationAnalysis, .resourceCatalog])
        try s.act(
            "approve-document", by: Actors.drc, Payloads.approval(.feasibilityStudy, amount: s.project.totalInvestment),
            on: Timeline.approvedOn)
        #expect(approve(s, .preliminaryDesign).rules == ["R-APP-3"])
    }

    // R-APP-3 第二十六条: a consulting evaluation must give an opinion on the sharing chapter.
    @Test func consultingEvaluationWithoutSharingOpinionRefused() throws {
        var s = try Scenario.at(.approving, Self.tier1)
        try s.attach(.consultingEvaluation, evaluates: .implementationPlan)
        #expect(approve(s, .implementationPlan).rules == ["R-APP-3"])
        try s.attach(.consultingEvaluation, evaluates: .implementationPlan, opinion: false)
        #expect(approve(s, .implementationPlan).rules == ["R-APP-3", "R-APP-3"])
        var fixed = try Scenario.at(.approving, Self.tier1)
        try fixed.attach(.consultingEvaluation, evaluates: .implementationPlan, opinion: true)
        #expect(approve(fixed, .implementationPlan).isAccepted)
    }

    // R-APP-3 第二十六条: a consulting evaluation says what it evaluates (INPUT).
    @Test func consultingEvaluationMustNameTheEvaluatedDocument() throws {
        let s = try Scenario.at(.approving, Self.tier1)
        let d = s.attempt("attach-document", by: Actors.unit, Payloads.document(.consultingEvaluation))
        #expect(d.rules == ["INPUT"])
        #expect(d.violations.first?.field == "evaluates")
    }

    // R-APP-1 第三条: the unit compiles its documents; DRC adds the 咨询评估报告 it commissions and other
    // material, never the documents its own approval rests on. Other agencies attach nothing.
    @Test func documentsComeFromWhoSuppliesThem() throws {
        let s = try Scenario.at(.approving, Self.tier1)
        let drcPlan = s.attempt("attach-document", by: Actors.drc, Payloads.document(.implementationPlan))
        #expect(drcPlan.rules == ["R-APP-1"])
        #expect(drcPlan.violations.first?.article == "第三条" && drcPlan.violations.first?.field == "kind")
        #expect(
            s.attempt(
                "attach-document", by: Actors.drc, Payloads.document(.consultingEvaluation, evaluates: .implementationPlan, opinion: true)
            )
            .isAccepted)
        #expect(s.attempt("attach-document", by: Actors.drc, Payloads.document(.other)).isAccepted)
        #expect(s.attempt("attach-document", by: Actors.unit, Payloads.document(.implementationPlan)).isAccepted)
        #expect(s.attempt("attach-document", by: Actors.fin, Payloads.document(.other)).isForbidden)
        #expect(DocumentKind.allCases.filter { $0.isSupplied(by: .drc) } == [.consultingEvaluation, .other])
    }

    // R-APP-1 第九条: an approved amount in a higher tier would have needed that tier's documents.
    @Test func approvedAmountPushingIntoHigherTierRefused() throws {
        let s = try Scenario.at(.approving, NewProject(total: Fen(yuan: 9_000_000)))
        let d = approve(s, .implementationPlan, amount: Fen(1_000_000_000))
        #expect(d.rules == ["R-APP-1"])
        #expect(d.violations.first?.field == "approvedAmountFen")
        #expect(approve(s, .implementationPlan, amount: Fen(999_999_999)).project?.approvedBudget == Fen(999_999_999))
    }

    // R-APP-2 第十条: a future approval date or a zero amount is an INPUT error.
    @Test func approvalInputErrorsReportedAlone() throws {
        let s = try Scenario.at(.approving, Self.tier2)
        let future = approve(s, .preliminaryDesign, on: Timeline.approvedOn.addingDays(1))
        #expect(future.rules == ["INPUT"], "out of order too, but a malformed request is answered first")
        #expect(approve(s, .feasibilityStudy, amount: Fen(0)).violations.map(\.field) == ["approvedAmountFen"])
    }

    // R-APP-1 第八条: the application is the unit's, in the planned stage only.
    @Test func applyForApprovalOnlyByUnitWhenPlanned() throws {
        let reserve = try Scenario.at(.reserve)
        #expect(reserve.attempt("apply-for-approval", by: Actors.unit).rules == [Lifecycle.stageRule])
        var s = try Scenario.at(.planned)
        try s.attach(.implementationPlan)
        #expect(s.attempt("apply-for-approval", by: Actors.drc).isForbidden)
        try s.act("apply-for-approval", by: Actors.unit)
        #expect(s.project.stage == .approving)
    }
}
