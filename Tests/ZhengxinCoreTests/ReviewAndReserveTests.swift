import Testing

@testable import ZhengxinCore

/// Technical review R-REV-1 (第七条), R-REV-2 (第二十七条); R-GEN-2 (第六条); reserve pool R-RES-1 (第八条).
@Suite("Review and reserve pool")
struct ReviewAndReserveTests {
    static let ownInfra = OwnInfrastructure(items: ["机房"], justification: "专网", sharingPlan: "接入交换平台")

    // R-REV-1 第七条: all five criteria, each exactly once, or the opinion is malformed (INPUT).
    @Test(arguments: ReviewCriterion.allCases)
    func opinionMissingACriterionIsInputError(_ missing: ReviewCriterion) throws {
        let s = try Scenario.at(.techReview)
        let d = s.attempt("issue-review-opinion", by: Actors.bdb, Payloads.opinion(findings: Payloads.findings(omit: [missing])))
        #expect(d.rules == ["INPUT"])
        #expect(d.violations.first?.field == "findings")
    }

    // R-REV-1 第七条: a repeated criterion, or one without comment, is an INPUT error.
    @Test func opinionRepeatingACriterionIsInputError() throws {
        let s = try Scenario.at(.techReview)
        let d = s.attempt("issue-review-opinion", by: Actors.bdb, Payloads.opinion(findings: Payloads.findings(repeat: [.intensiveness])))
        #expect(d.rules == ["INPUT"])
        let noComment = Payloads.findings().map { f -> JSON in
            var f = f; f["comment"] = ""; return f
        }
        #expect(
            s.attempt("issue-review-opinion", by: Actors.bdb, Payloads.opinion(findings: noComment)).rules
                == Array(repeating: "INPUT", count: 5))
    }

    // R-REV-1 第七条: a pass cannot stand on an unsatisfied criterion; one violation each.
    @Test func passWithUnsatisfiedCriteriaRefused() throws {
        let s = try Scenario.at(.techReview)
        let d = s.attempt(
            "issue-review-opinion", by: Actors.bdb,
            Payloads.opinion(findings: Payloads.findings(unsatisfied: [.necessity, .intensiveness])))
        #expect(d.rules == ["R-REV-1", "R-REV-1"])
        #expect(d.violations.allSatisfy { $0.article == "第七条" })
        // The same findings may support returning it for revision.
        let returned = s.attempt(
            "issue-review-opinion", by: Actors.bdb,
            Payloads.opinion(.returned, findings: Payloads.findings(unsatisfied: [.necessity])))
        #expect(returned.project?.stage == .returned)
    }

    // R-REV-1 第七条: a pass goes to the municipal government; the opinion is BDB's.
    @Test func passMovesToPendingGovernmentAndRecordsOpinion() throws {
        var s = try Scenario.at(.techReview)
        try s.act("issue-review-opinion", by: Actors.bdb, Payloads.opinion())
        #expect(s.project.stage == .pendingGovernment)
        #expect(s.project.reviewOpinions.count == 1)
        #expect(s.project.reviewOpinions[0].reviewer == Actors.bdb.userId)
        #expect(s.attempt("issue-review-opinion", by: Actors.drc, Payloads.opinion()).isForbidden)
    }

    // R-REV-2 第二十七条: BDB must accept own infrastructure explicitly.
    @Test(arguments: [nil, false] as [Bool?])
    func passForOwnInfrastructureWithoutExplicitAcceptanceRefused(_ accepted: Bool?) throws {
        let s = try Scenario.at(.techReview, NewProject(ownInfrastructure: Self.ownInfra))
        let d = s.attempt("issue-review-opinion", by: Actors.bdb, Payloads.opinion(ownInfrastructureAccepted: accepted))
        #expect(d.rules == ["R-REV-2"])
        #expect(d.violations.first?.article == "第二十七条")
        #expect(d.violations.first?.field == "ownInfrastructureAccepted")
    }

    // R-REV-2 第二十七条: explicit acceptance lets the pass through.
    @Test func passForOwnInfrastructureWithAcceptance() throws {
        var s = try Scenario.at(.techReview, NewProject(ownInfrastructure: Self.ownInfra))
        try s.act("issue-review-opinion", by: Actors.bdb, Payloads.opinion(ownInfrastructureAccepted: true))
        #expect(s.project.reviewOpinions.last?.ownInfrastructureAccepted == true)
    }

    // R-REV-1: returned → (revise) → resubmit → declared, even after the 30 June window.
    @Test func returnedResubmittedDeclaredAgain() throws {
        var s = try Scenario.at(.techReview)
        try s.act("issue-review-opinion", by: Actors.bdb, Payloads.opinion(.returned))
        #expect(s.project.stage == .returned)
        try s.act("update", by: Actors.unit, Payloads.draft(NewProject(total: Fen(yuan: 4_000_000))), on: CivilDate(2026, 8, 1))
        try s.act("resubmit", by: Actors.unit)
        #expect(s.project.stage == .declared)
        try s.act("start-technical-review", by: Actors.bdb)
        try s.act("issue-review-opinion", by: Actors.bdb, Payloads.opinion())
        #expect(s.project.reviewOpinions.map(\.conclusion) == [.returned, .pass])
    }

    // R-DEC-1 第七条: a resubmission keeps the window the project was declared in time for. Moved while
    // returned to a year whose window had closed when it was declared, it is refused; to a later one, not.
    @Test func returnedMovedToAClosedYearIsRefused() throws {
        var s = try Scenario.draft(NewProject(planYear: 2028), on: CivilDate(2026, 8, 1))
        try s.act("declare", by: Actors.unit)  // in time for 2028 (by 30 June 2027), not for 2027 (30 June 2026)
        try s.act("start-technical-review", by: Actors.bdb, on: CivilDate(2026, 8, 2))
        try s.act("issue-review-opinion", by: Actors.bdb, Payloads.opinion(.returned))
        try s.act("update", by: Actors.unit, Payloads.draft(NewProject(planYear: 2027)))
        let refused = s.attempt("resubmit", by: Actors.unit)
        #expect(refused.rules == ["R-DEC-1"] && refused.violations.first?.article == "第七条")
        // Not by calling it 上级要求 now: a declared project keeps its source.
        #expect(
            s.attempt("update", by: Actors.unit, Payloads.draft(NewProject(source: .superiorRequirement, planYear: 2027))).rules == [
                "R-DEC-1"
            ])
        // DRC may let it through with a reason, as before a late declaration.
        var excepted = s
        try excepted.act("record-declaration-exception", by: Actors.drc, ["reason": "市政府要求提前实施"])
        try excepted.act("resubmit", by: Actors.unit)
        try s.act("update", by: Actors.unit, Payloads.draft(NewProject(planYear: 2029)))
        try s.act("resubmit", by: Actors.unit)
        #expect(s.project.stage == .declared && s.project.planYear == 2029)
    }

    // R-REV-1: rejection is final; nothing is open afterwards.
    @Test func rejectedIsFinal() throws {
        var s = try Scenario.at(.techReview)
        try s.act("issue-review-opinion", by: Actors.bdb, Payloads.opinion(.rejected))
        #expect(s.project.stage == .rejected)
        #expect(s.project.stage.isClosed)
        #expect(s.attempt("resubmit", by: Actors.unit).rules == [Lifecycle.stageRule])
        #expect(s.attempt("update", by: Actors.unit, Payloads.draft(NewProject())).rules == [Lifecycle.stageRule])
        for actor in [Actors.unit, Actors.drc, Actors.bdb] {
            #expect(Lifecycle.availableActions(s.project, s.context(actor)).isEmpty)
        }
    }

    // R-GEN-2 第六条 (interpretation): the system suggests the mark from 5000万元 on, exact in fen.
    @Test func majorProjectSuggestedFromFiftyMillionYuan() throws {
        var p = try Scenario.draft().project
        p.totalInvestment = Fen(5_000_000_000)
        #expect(MarkMajorProject.suggested(p, .zhengzhou2020))
        p.totalInvestment = Fen(4_999_999_999)
        #expect(!MarkMajorProject.suggested(p, .zhengzhou2020))
        p.totalInvestment = Fen(5_000_000_000)
        p.majorProject = MajorProjectMark(major: false, reason: "不复杂", markedOn: Timeline.review, executiveMeeting: nil)
        #expect(!MarkMajorProject.suggested(p, .zhengzhou2020), "no suggestion once DRC has decided")
    }

    // R-GEN-2 第六条: a marked project needs the executive meeting's agreement before the reserve pool.
    @Test func majorProjectNeedsAgreedExecutiveMeetingForReservePool() throws {
        var s = try Scenario.at(.pendingGovernment, NewProject(total: Fen(yuan: 60_000_000)))
        let admit: JSON = ["approvedOn": Timeline.reserve.json, "documentNumber": "郑政文〔2026〕9号"]
        #expect(
            s.attempt(
                "record-executive-meeting", by: Actors.drc,
                ["meetingOn": Timeline.review.json, "minutesReference": "常务会纪要", "agreed": true]
            ).rules == ["R-GEN-2"])
        try s.act("mark-major", by: Actors.drc, ["major": true, "reason": "关系全市"])
        let refused = s.attempt("admit-to-reserve-pool", by: Actors.drc, admit, on: Timeline.reserve)
        #expect(refused.rules == ["R-GEN-2"])
        #expect(refused.violations.first?.article == "第六条")
        try s.act(
            "record-executive-meeting", by: Actors.drc,
            ["meetingOn": Timeline.review.addingDays(-7).json, "minutesReference": "第5次常务会", "agreed": false])
        #expect(s.attempt("admit-to-reserve-pool", by: Actors.drc, admit, on: Timeline.reserve).rules == ["R-GEN-2"])
        try s.act(
            "record-executive-meeting", by: Actors.drc, ["meetingOn": Timeline.review.json, "minutesReference": "第6次常务会", "agreed": true])
        try s.act("admit-to-reserve-pool", by: Actors.drc, admit, on: Timeline.reserve)
        #expect(s.project.stage == .reserve)
        #expect(s.project.reservePoolEntry?.documentNumber == "郑政文〔2026〕9号")
        #expect(s.project.majorProject?.earlierMeetings?.map(\.minutesReference) == ["第5次常务会"], "the earlier 不同意 stays on record")
    }

    // R-GEN-2 第六条: once the 常务会 has decided, clearing the mark cannot escape its 不同意 — neither
    // on the day of the meeting nor later; before any meeting the mark may change, with its reason kept.
    @Test func executiveMeetingDecisionBindsTheMark() throws {
        var s = try Scenario.at(.pendingGovernment, NewProject(total: Fen(yuan: 60_000_000)))
        let admit: JSON = ["approvedOn": Timeline.reserve.json, "documentNumber": "郑政文〔2026〕9号"]
        try s.act("mark-major", by: Actors.drc, ["major": true, "reason": "关系全市"])
        try s.act("mark-major", by: Actors.drc, ["major": false, "reason": "经复核内容不复杂"])
        try s.act("mark-major", by: Actors.drc, ["major": true, "reason": "再次复核,关系全市"])
        #expect(s.project.majorProject?.earlierMarks?.map(\.reason) == ["关系全市", "经复核内容不复杂"], "every earlier mark is kept")
        #expect(
            s.attempt("mark-major", by: Actors.drc, ["major": true, "reason": "重复"]).rules == ["INPUT"],
            "the same mark again says nothing new")
        try s.act(
            "record-executive-meeting", by: Actors.drc,
            ["meetingOn": Timeline.review.addingDays(-7).json, "minutesReference": "第5次常务会", "agreed": false])
        let clear = s.attempt("mark-major", by: Actors.drc, ["major": false, "reason": "不再认定"])
        #expect(clear.rules == ["R-GEN-2"])
        #expect(clear.violations.first?.article == "第六条")
        #expect(clear.violations.first?.message.contains("不同意") == true)
        #expect(s.attempt("admit-to-reserve-pool", by: Actors.drc, admit, on: Timeline.reserve).rules == ["R-GEN-2"])
        // A second meeting on the same day cannot overwrite the first; a later one may study it again.
        let sameDay = s.attempt(
            "record-executive-meeting", by: Actors.drc,
            ["meetingOn": Timeline.review.addingDays(-7).json, "minutesReference": "补记", "agreed": true])
        #expect(sameDay.rules == ["R-GEN-2"])
        #expect(sameDay.violations.first?.field == "meetingOn")
        // An agreed meeting binds as well: the mark stays.
        try s.act(
            "record-executive-meeting", by: Actors.drc, ["meetingOn": Timeline.review.json, "minutesReference": "第6次常务会", "agreed": true])
        #expect(s.attempt("mark-major", by: Actors.drc, ["major": false, "reason": "不再认定"]).rules == ["R-GEN-2"])
        try s.act("admit-to-reserve-pool", by: Actors.drc, admit, on: Timeline.reserve)
    }

    // R-GEN-2 第六条: the meeting agreed to the project it studied; a larger one made of it after a
    // return for revision needs the meeting again.
    @Test func executiveMeetingAgreementCoversTheTotalItStudied() throws {
        var s = try Scenario.at(.pendingGovernment, NewProject(total: Fen(yuan: 60_000_000)))
        let admit: JSON = ["approvedOn": Timeline.reserve.json, "documentNumber": "郑政文〔2026〕9号"]
        try s.act("mark-major", by: Actors.drc, ["major": true, "reason": "关系全市"])
        try s.act(
            "record-executive-meeting", by: Actors.drc, ["meetingOn": Timeline.review.json, "minutesReference": "第5次常务会", "agreed": true])
        #expect(s.project.majorProject?.executiveMeeting?.totalInvestmentStudied == Fen(yuan: 60_000_000))
        var larger = s
        larger.project.totalInvestment = Fen(yuan: 60_000_000).adding(Fen(1))!
        let refused = larger.attempt("admit-to-reserve-pool", by: Actors.drc, admit, on: Timeline.reserve)
        #expect(refused.rules == ["R-GEN-2"])
        #expect(refused.violations.first?.message.contains("重新研究") == true)
        try s.act("admit-to-reserve-pool", by: Actors.drc, admit, on: Timeline.reserve)
    }

    // R-GEN-2 第六条: the meeting date is real (INPUT).
    @Test func executiveMeetingDateCannotBeInTheFuture() throws {
        var s = try Scenario.at(.pendingGovernment)
        try s.act("mark-major", by: Actors.drc, ["major": true, "reason": "关系全市"])
        let d = s.attempt(
            "record-executive-meeting", by: Actors.drc, ["meetingOn": s.today.addingDays(1).json, "minutesReference": "纪要", "agreed": true])
        #expect(d.rules == ["INPUT"])
        #expect(d.violations.first?.field == "meetingOn")
    }

    // R-RES-1 第八条: DRC admits; an unmarked (or marked not-major) project needs no meeting.
    @Test func reservePoolIsDRCsAndNeedsAPassedReview() throws {
        var s = try Scenario.at(.pendingGovernment, NewProject(total: Fen(yuan: 60_000_000)))
        let admit: JSON = ["approvedOn": Timeline.reserve.json, "documentNumber": "郑政文〔2026〕9号"]
        #expect(s.attempt("admit-to-reserve-pool", by: Actors.bdb, admit).isForbidden)
        try s.act("mark-major", by: Actors.drc, ["major": false, "reason": "内容不复杂"])
        var odd = s
        odd.project.reviewOpinions = []  // odd state: no passed review on record
        #expect(odd.attempt("admit-to-reserve-pool", by: Actors.drc, admit, on: Timeline.reserve).rules == ["R-RES-1"])
        try s.act("admit-to-reserve-pool", by: Actors.drc, admit, on: Timeline.reserve)
        #expect(s.project.stage == .reserve)
    }
}
