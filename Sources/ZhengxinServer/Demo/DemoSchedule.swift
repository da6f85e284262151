import ZhengxinCore

/// When each step of one demo project happens, counted back from the day before seeding. A project
/// that gets past the reserve pool lives by its plan year, as the Measures' calendar runs: declared
/// in spring (by 30 June, 第七条), in the plan issued in January (第八条), approved, built, accepted.
/// The plan year is the latest whose walk ends `ago` days before `cutoff`.
struct DemoSchedule {
    var declared: CivilDate
    var planYear: Int
    var approvals: Int
    var approvalFrom: CivilDate
    var constructionFrom: CivilDate
    var buildDays: Int
    /// The day the project's last step is due on: `ago` days before the cutoff.
    var until: CivilDate
    /// The last day any step may fall on: the day before seeding.
    var cutoff: CivilDate

    static func planDay(_ year: Int) -> CivilDate { CivilDate(year, 1, 10).workday }
    var planIssued: CivilDate { Self.planDay(planYear) }
    var created: CivilDate { declared.addingDays(-7).workdayOnOrBefore }
    var approved: CivilDate { approvalFrom.addingDays(20 * approvals) }
    /// Work starts as `DemoWalker.toConstructing` starts it: forty days after the money is planned.
    var started: CivilDate { constructionFrom.addingDays(40) }
    var completed: CivilDate { started.addingDays(buildDays) }
    /// As `DemoWalker.finishAcceptance` applies: after a three-month trial run (第二十条).
    var applied: CivilDate { completed.addingDays(5).addingMonths(3) }
    var operations: CivilDate { applied.addingDays(30) }

    /// Days after the base date (work started, or operations begun) at which each extra is done,
    /// and the last day it needs: an unanswered finding needs its deadline to have passed.
    static func offset(_ extra: DemoProject.Extra) -> (at: Int, until: Int)? {
        switch extra {
        case .inspectionClosed: return (20, 45)
        case .sharingFeedback: return (30, 30)
        case .changeAcknowledged: return (30, 38)
        case .auditAnswered: return (50, 80)
        case .secondPayment: return (60, 60)
        case .catalogUnregistered: return (70, 70)
        case .inspectionOverdue: return (90, 125)
        case .changeFiled: return (100, 100)
        case .changeAwaitingApproval: return (105, 105)
        case .simpleContent, .signedBy, .missedDeclaration: return nil
        }
    }

    static func approvals(_ p: DemoProject) -> Int {
        let fen = Fen(yuan: p.yuan)
        if fen >= Policy.zhengzhou2020.tier3Threshold { return 3 }
        if fen >= Policy.zhengzhou2020.tier2Threshold { return p.has(.simpleContent) ? 1 : 2 }
        return 1
    }

    /// The day of the project's last step.
    func lastDate(_ p: DemoProject) -> CivilDate {
        let extras = p.extras.compactMap { Self.offset($0)?.until }.max() ?? 0
        switch p.target {
        case .draft, .declared: return declared
        case .withdrawn: return declared.addingDays(3)
        case .techReview: return declared.addingDays(5)
        case .returned, .rejected: return declared.addingDays(20)
        case .pendingGovernment: return declared.addingDays(25)
        case .reserve: return declared.addingDays(40)
        case .planned: return planIssued
        case .approving: return approvalFrom.addingDays(approvals > 1 ? 20 : 0)
        case .approved: return approved
        case .procuring: return constructionFrom.addingDays(10)
        case .constructing: return started.addingDays(max(10, extras))
        case .suspended: return started.addingDays(110)
        case .terminated: return started.addingDays(180)
        case .completed: return completed
        case .trialRunning: return completed.addingDays(5)
        case .acceptanceApplied: return applied.addingDays(15)
        case .accepted: return applied.addingDays(15)
        case .operating: return operations.addingDays(extras)
        }
    }

    static let early: Set<Stage> = [.draft, .declared, .withdrawn, .techReview, .returned, .rejected, .pendingGovernment, .reserve]

    static func make(_ p: DemoProject, index: Int, seed: UInt64, cutoff: CivilDate) -> DemoSchedule {
        var rng = SeededRandom(seed: seed, stream: "demo-schedule", index: index)
        let j0 = Int.random(in: 0...110, using: &rng), j1 = Int.random(in: 0...40, using: &rng)
        let j2 = Int.random(in: 0...30, using: &rng), build = Int.random(in: 180...300, using: &rng)
        func at(_ planYear: Int, declared: CivilDate) -> DemoSchedule {
            let from = planDay(planYear).addingDays(10 + j1).workday
            let n = approvals(p)
            return DemoSchedule(
                declared: declared, planYear: planYear, approvals: n, approvalFrom: from,
                constructionFrom: from.addingDays(20 * n + 15 + j2).workday, buildDays: build, until: cutoff.addingDays(-p.ago),
                cutoff: cutoff)
        }
        if p.has(.missedDeclaration) {
            // Drafted in spring for next year's plan and never declared: the window closed on 30 June.
            let june = CivilDate(cutoff.year, 6, 30) < cutoff ? CivilDate(cutoff.year, 6, 30) : CivilDate(cutoff.year - 1, 6, 30)
            return at(june.year + 1, declared: june.addingDays(-45).workdayOnOrBefore)
        }
        if early.contains(p.target) {
            // Counted back from the last step: declared for the first plan year still open on that day.
            var probe = at(cutoff.year + 1, declared: cutoff)
            let span = probe.lastDate(p).daysSinceEpoch - probe.declared.daysSinceEpoch
            let declared = cutoff.addingDays(-p.ago - span).workdayOnOrBefore
            probe = at(declared.month <= 6 ? declared.year + 1 : declared.year + 2, declared: declared)
            return probe
        }
        // Nothing before three years ago: a project that would have to start earlier to end `ago` days
        // back ends later instead.
        let earliest = cutoff.addingMonths(-36).addingDays(14)
        var planYear = cutoff.year + 1
        while true {
            var s = at(planYear, declared: CivilDate(planYear - 1, 3, 1).addingDays(j0).workday)
            let earlier = at(planYear - 1, declared: CivilDate(planYear - 2, 3, 1).addingDays(j0).workday)
            if s.lastDate(p) > s.until, earlier.created < earliest, s.lastDate(p) <= cutoff { return s }
            if s.lastDate(p) <= s.until || planYear < cutoff.year - 6 {
                // The plan year fits with up to a year to spare: the project waited that long after the
                // plan, a third before approval and the rest before construction, so it ends `ago` days
                // back and not a plan year earlier (an acceptance overdue by months only where meant).
                let slack = max(0, s.until.daysSinceEpoch - s.lastDate(p).daysSinceEpoch - 3)
                s.approvalFrom = s.approvalFrom.addingDays([.approving, .approved].contains(p.target) ? slack : slack / 3).workday
                s.constructionFrom = s.constructionFrom.addingDays(slack).workday
                return s
            }
            planYear -= 1
        }
    }
}
