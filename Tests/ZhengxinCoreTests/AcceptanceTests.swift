import Testing

@testable import ZhengxinCore

/// Completion, trial run and the acceptance application: R-ACC-1 (第二十一条), R-ACC-2 (第二十条),
/// R-ACC-3 (第二十一条, with R-SHR-3 第二十八条 and R-SEC-3 第三十四条), R-ACC-4 (第二十二条).
@Suite("Acceptance application, R-ACC-1..4")
struct AcceptanceTests {
    /// A trial-running project with everything for the application on record.
    func ready() throws -> Scenario {
        var s = try Scenario.at(.trialRunning)
        try s.prepareAcceptance()
        return s
    }

    // R-ACC-1 第二十一条: completion is dated; the 6-month clock starts there.
    @Test func completionRecordedWithDateStartsTheClock() throws {
        var s = try Scenario.at(.constructing)
        #expect(
            s.attempt("record-completion", by: Actors.unit, ["completedOn": s.today.addingDays(-1).json]).violations.map(\.field) == [
                "completedOn"
            ],
            "not before construction started")
        #expect(s.attempt("record-completion", by: Actors.unit, ["completedOn": s.today.addingDays(1).json]).rules == ["INPUT"])
        try s.act(
            "record-completion", by: Actors.unit, ["completedOn": CivilDate(2027, 8, 31).json],
            on: CivilDate(2027, 9, 1))
        #expect(s.project.stage == .completed)
        #expect(AcceptanceClock.deadline(s.project, s.policy) == CivilDate(2028, 2, 29), "clamped to the month's end")
    }

    // R-ACC-2 第二十条: a passed preliminary acceptance starts the trial run, minimum 3 months.
    @Test func preliminaryAcceptancePassedStartsTrialRun() throws {
        var s = try Scenario.at(.completed)
        try s.act(
            "record-preliminary-acceptance", by: Actors.unit, ["heldOn": Timeline.preliminary.json, "passed": false, "notes": "问题较多"],
            on: Timeline.preliminary)
        #expect(s.project.stage == .completed)
        #expect(s.project.trialRun == nil)
        try s.act("record-preliminary-acceptance", by: Actors.unit, ["heldOn": Timeline.preliminary.json, "passed": true, "notes": "合格"])
        #expect(s.project.stage == .trialRunning)
        #expect(s.project.trialRun?.startedOn == Timeline.preliminary)
        #expect(s.project.trialRun?.minimumEnd == Timeline.trialEnd)
        #expect(
            s.attempt(
                "record-preliminary-acceptance", by: Actors.unit, ["heldOn": Timeline.preliminary.json, "passed": true, "notes": "x"]
            ).rules
                == [Lifecycle.stageRule])
    }

    // R-ACC-2 第二十条: preliminary acceptance follows completion.
    @Test func preliminaryAcceptanceNotBeforeCompletion() throws {
        let s = try Scenario.at(.completed)
        let d = s.attempt(
            "record-preliminary-acceptance", by: Actors.unit,
            ["heldOn": Timeline.completed.addingDays(-1).json, "passed": true, "notes": "x"])
        #expect(d.violations.map(\.field) == ["heldOn"])
    }

    // R-ACC-2 第二十条: one day before start + 3 months refused, on that day allowed.
    @Test func applyOneDayBeforeTrialEndRefusedOnTheDayAllowed() throws {
        let s = try ready()
        let early = s.attempt("apply-for-acceptance", by: Actors.unit, on: Timeline.trialEnd.addingDays(-1))
        #expect(early.rules == ["R-ACC-2"])
        #expect(early.violations.first?.article == "第二十条")
        let onTime = try #require(s.attempt("apply-for-acceptance", by: Actors.unit, on: Timeline.trialEnd).project)
        #expect(onTime.stage == .acceptanceApplied)
        #expect(onTime.acceptanceApplication?.appliedOn == Timeline.trialEnd)
        #expect(onTime.acceptanceApplication?.documentNumbers.count == 4)
    }

    // R-ACC-2 第二十条: DRC may extend the trial run of a special project; the end moves.
    @Test func extendTrialRunMovesTheEnd() throws {
        var s = try ready()
        let newEnd = CivilDate(2028, 5, 20)
        #expect(s.attempt("extend-trial-run", by: Actors.unit, ["newEnd": newEnd.json, "reason": "特殊项目"]).isForbidden)
        #expect(
            s.attempt("extend-trial-run", by: Actors.drc, ["newEnd": Timeline.trialEnd.json, "reason": "r"]).violations.map(\.field) == [
                "newEnd"
            ])
        try s.act("extend-trial-run", by: Actors.drc, ["newEnd": newEnd.json, "reason": "跨年度业务高峰,需延长观察"])
        #expect(s.project.trialRun?.end == newEnd)
        #expect(s.project.trialRun?.minimumEnd == Timeline.trialEnd)
        #expect(s.attempt("apply-for-acceptance", by: Actors.unit, on: Timeline.trialEnd).rules == ["R-ACC-2"])
        #expect(s.attempt("apply-for-acceptance", by: Actors.unit, on: newEnd.addingDays(-1)).rules == ["R-ACC-2"])
        #expect(s.attempt("apply-for-acceptance", by: Actors.unit, on: newEnd).isAccepted)
    }

    // R-ACC-3 第二十一条 + R-SHR-3 + R-SEC-3: every missing item listed at once.
    @Test func applyListsEveryMissingItem() throws {
        let s = try Scenario.at(.trialRunning)
        let d = s.attempt("apply-for-acceptance", by: Actors.unit, on: Timeline.trialEnd)
        #expect(d.rules == ["R-ACC-3", "R-ACC-3", "R-ACC-3", "R-ACC-3", "R-SHR-3", "R-SEC-3"])
        #expect(d.violations.map(\.article) == ["第二十一条", "第二十一条", "第二十一条", "第二十一条", "第二十八条", "第三十四条"])
        #expect(s.attempt("apply-for-acceptance", by: Actors.unit).rules.first == "R-ACC-2", "and the trial run too, when early")
    }

    // R-ACC-3 第二十一条 / R-SHR-3 第二十八条 / R-SEC-3 第三十四条: each item alone is caught.
    @Test(arguments: ["constructionSummary", "financialReport", "auditReport", "securityRiskAssessment", "catalog", "security"])
    func eachMissingItemAloneIsListed(_ skipped: String) throws {
        var s = try Scenario.at(.trialRunning)
        try s.prepareAcceptance(except: [skipped])
        let expected = skipped == "catalog" ? "R-SHR-3" : skipped == "security" ? "R-SEC-3" : "R-ACC-3"
        #expect(s.attempt("apply-for-acceptance", by: Actors.unit, on: Timeline.trialEnd).rules == [expected])
    }

    // R-SHR-3 第二十九条: BDB confirms only a catalog connected to the exchange platform.
    @Test func catalogRegistrationIsBDBsAndNeedsConnection() throws {
        var s = try Scenario.at(.trialRunning)
        try s.act("add-catalog-entry", by: Actors.unit, SharingPayloads.entry())
        let json: JSON = ["platformId": "P-1", "registeredOn": s.today.json, "connectedToExchangePlatform": false]
        #expect(s.attempt("confirm-catalog-registration", by: Actors.unit, json).isForbidden)
        #expect(s.attempt("confirm-catalog-registration", by: Actors.bdb, json).rules == ["R-SHR-3"])
    }

    // R-SEC-3 第三十四条: the review counts key products and the secure-and-controllable ones.
    @Test func productSecurityReviewCountsKeyProducts() throws {
        var s = try Scenario.at(.trialRunning)
        try s.act("record-product-security-review", by: Actors.unit, ["reviewedOn": s.today.json, "conclusion": "结论"])
        #expect(s.project.productSecurityReview?.keyProducts == 1)
        #expect(s.project.productSecurityReview?.secureAndControllableProducts == 1)
        var none = s
        none.project.procurements = []
        #expect(
            none.attempt("record-product-security-review", by: Actors.unit, ["reviewedOn": s.today.json, "conclusion": "结论"]).rules == [
                "R-SEC-3"
            ])
    }

    // R-ACC-4 第二十二条: past completion + 6 months, applying needs a delay report first.
    @Test func overdueApplicationNeedsDelayReport() throws {
        var s = try ready()
        #expect(s.attempt("apply-for-acceptance", by: Actors.unit, on: Timeline.acceptanceDeadline).isAccepted)
        let late = Timeline.acceptanceDeadline.addingDays(1)
        let d = s.attempt("apply-for-acceptance", by: Actors.unit, on: late)
        #expect(d.rules == ["R-ACC-4"])
        #expect(d.violations.first?.article == "第二十二条")
        #expect(
            s.attempt("file-delay-report", by: Actors.unit, ["reasons": "r", "plannedAcceptanceOn": late.addingDays(-1).json], on: late)
                .violations.map(\.field) == ["plannedAcceptanceOn"])
        try s.act("file-delay-report", by: Actors.unit, ["reasons": "审计报告未出具", "plannedAcceptanceOn": "2028-09-30"], on: late)
        #expect(s.project.delayReports.first?.filedOn == late)
        #expect(s.attempt("apply-for-acceptance", by: Actors.unit, on: late).isAccepted)
    }

    // R-ACC-4 第二十二条 / R-POL-1: overdue the day after completion + the policy's months.
    @Test func overdueIsComputedFromTheClock() throws {
        let s = try Scenario.at(.trialRunning)
        #expect(!AcceptanceClock.isOverdue(s.project, today: Timeline.acceptanceDeadline, s.policy))
        #expect(AcceptanceClock.isOverdue(s.project, today: Timeline.acceptanceDeadline.addingDays(1), s.policy))
        var county = s.policy
        county.acceptanceWindowMonths = 9  // R-POL-1: the window is a policy number
        #expect(!AcceptanceClock.isOverdue(s.project, today: Timeline.acceptanceDeadline.addingDays(1), county))
    }
}
