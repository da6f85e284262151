import Foundation
import Testing

@testable import ZhengxinCore

/// R-SUP-2 (第三十六条): sanctions rest on findings not rectified, take effect, and are lifted only
/// by the agency that applied them; termination is final.
@Suite("Sanctions, R-SUP-2 第三十六条")
struct SupervisionSanctionTests {
    /// Construction, a fund plan, and one escalated finding by each of `agencies`.
    func escalated(_ agencies: [Actor] = [Actors.drc]) throws -> Scenario {
        var s = try Scenario.at(.constructing)
        try s.issueFundPlan(Fen(yuan: 1_000_000))
        for (i, agency) in agencies.enumerated() {
            if agency.organisationType == .aud {
                try s.inspect(by: agency, .audit, scope: .finalAccounts)
            } else {
                try s.inspect(by: agency)
            }
            try s.reportRectification(i + 1)
            try s.act("escalate-finding", by: agency, ["findingNumber": i + 1, "reason": "整改后仍不符合要求"])
        }
        return s
    }

    func lift(_ s: inout Scenario, _ number: Int, by agency: Actor) throws {
        try s.act("lift-sanction", by: agency, ["sanctionNumber": number, "reason": "整改到位"])
    }

    // No sanction without a finding the unit refused or failed to rectify.
    @Test func sanctionNeedsAnEscalatedFinding() throws {
        var s = try Scenario.at(.constructing)
        let none = s.attempt("apply-sanction", by: Actors.drc, SupervisionPayloads.sanction(.publicCriticism, [1]))
        #expect(none.rules == ["INPUT"], "finding 1 does not exist")
        try s.inspect(by: Actors.drc)
        let open = s.attempt("apply-sanction", by: Actors.drc, SupervisionPayloads.sanction(.publicCriticism, [1]))
        #expect(open.rules == ["R-SUP-2", "R-SUP-2"])
        #expect(open.violations.allSatisfy { $0.article == "第三十六条" })
        try s.reportRectification(1)
        #expect(
            s.attempt("apply-sanction", by: Actors.drc, SupervisionPayloads.sanction(.publicCriticism, [1])).rules == [
                "R-SUP-2", "R-SUP-2",
            ],
            "reported, awaiting review: not yet 整改后仍不符合要求")
        #expect(
            s.attempt("apply-sanction", by: Actors.drc, SupervisionPayloads.sanction(.publicCriticism, [])).violations.map(\.field) == [
                "findingNumbers"
            ])
        try s.act("escalate-finding", by: Actors.drc, ["findingNumber": 1, "reason": "整改后仍不符合要求"])
        try s.act("apply-sanction", by: Actors.drc, SupervisionPayloads.sanction(.publicCriticism, [1]))
        let sanction = try #require(s.project.supervision.sanctions.first)
        #expect(sanction.kind == .publicCriticism && sanction.agency == .drc && sanction.isActive && sanction.decidedOn == s.today)
        #expect(s.project.stage == .constructing)
    }

    // 拒不整改: an unanswered finding becomes sanctionable the day after its deadline, and is escalated by it.
    @Test func overdueUnansweredFindingIsSanctionableTheDayAfter() throws {
        var s = try Scenario.at(.constructing)
        let deadline = s.today.addingDays(15)
        try s.inspect(by: Actors.fin, deadlines: [deadline])
        #expect(
            s.attempt("apply-sanction", by: Actors.fin, SupervisionPayloads.sanction(.publicCriticism, [1]), on: deadline).rules == [
                "R-SUP-2", "R-SUP-2",
            ])
        try s.act("apply-sanction", by: Actors.fin, SupervisionPayloads.sanction(.publicCriticism, [1]), on: deadline.addingDays(1))
        #expect(s.project.supervision.findings[0].status == .escalated)
        #expect(s.project.supervision.findings[0].escalatedOn == deadline.addingDays(1))
    }

    // 市审计局 records audits but applies no sanction; an agency sanctions only on its own findings.
    @Test func whoMaySanction() throws {
        var s = try escalated([Actors.drc, Actors.aud])
        #expect(s.attempt("apply-sanction", by: Actors.aud, SupervisionPayloads.sanction(.publicCriticism, [2])).isForbidden)
        #expect(s.attempt("apply-sanction", by: Actors.unit, SupervisionPayloads.sanction(.publicCriticism, [1])).isForbidden)
        let others = s.attempt("apply-sanction", by: Actors.fin, SupervisionPayloads.sanction(.fundingHold, [1]))
        #expect(others.rules == ["R-SUP-2", "R-SUP-2"])
        #expect(others.violations.last?.field == "findingNumbers[0]")
        #expect(
            s.attempt("apply-sanction", by: Actors.drc, SupervisionPayloads.sanction(.publicCriticism, [2])).rules == ["R-SUP-2"],
            "DRC may not rest a sanction on AUD's finding")
        try s.act("apply-sanction", by: Actors.drc, SupervisionPayloads.sanction(.publicCriticism, [1]))
        #expect(
            s.attempt("apply-sanction", by: Actors.drc, SupervisionPayloads.sanction(.publicCriticism, [1])).rules == ["R-SUP-2"],
            "the same measure twice while in effect")
        #expect(s.attempt("lift-sanction", by: Actors.aud, ["sanctionNumber": 1, "reason": "r"]).isForbidden)
    }

    // 暂缓拨付: Disburse refuses (R-FUND-3); two agencies' holds must both be lifted; lifting is the applier's.
    @Test func fundingHoldBlocksDisbursementUntilEveryHoldIsLifted() throws {
        var s = try escalated([Actors.drc, Actors.fin])
        #expect(s.disbursement(Fen(yuan: 10_000)).isAccepted)
        try s.act("apply-sanction", by: Actors.drc, SupervisionPayloads.sanction(.fundingHold, [1]))
        try s.act("apply-sanction", by: Actors.fin, SupervisionPayloads.sanction(.fundingHold, [2]))
        #expect(s.project.fundingHold)
        let held = s.disbursement(Fen(yuan: 10_000))
        #expect(held.rules == ["R-FUND-3"])
        #expect(held.violations.first?.article == "第三十六条")

        let byOther = s.attempt("lift-sanction", by: Actors.bdb, ["sanctionNumber": 1, "reason": "r"])
        #expect(byOther.rules == ["R-SUP-2", "R-SUP-2"])
        #expect(
            s.attempt("lift-sanction", by: Actors.fin, ["sanctionNumber": 1, "reason": "r"]).violations.last?.message.contains("市发展改革委")
                == true)
        #expect(s.attempt("lift-sanction", by: Actors.drc, ["sanctionNumber": 1, "reason": " "]).violations.map(\.field) == ["reason"])

        try lift(&s, 1, by: Actors.drc)
        #expect(s.project.fundingHold, "FIN's hold remains")
        #expect(s.disbursement(Fen(yuan: 10_000)).rules == ["R-FUND-3"])
        #expect(
            s.attempt("lift-sanction", by: Actors.drc, ["sanctionNumber": 1, "reason": "r"]).rules == ["R-SUP-2", "R-SUP-2"],
            "already lifted")
        try lift(&s, 2, by: Actors.fin)
        #expect(!s.project.fundingHold)
        #expect(s.disbursement(Fen(yuan: 10_000)).isAccepted)
        #expect(s.project.supervision.sanctions.map(\.liftReason) == ["整改到位", "整改到位"])
    }

    // 暂停项目建设: the stage goes to suspended and comes back when the applier lifts it.
    @Test func suspensionAndItsLifting() throws {
        var s = try escalated([Actors.bdb])
        try s.act("apply-sanction", by: Actors.bdb, SupervisionPayloads.sanction(.suspension, [1]))
        #expect(s.project.stage == .suspended)
        #expect(s.project.stageBeforeSuspension == .constructing)
        #expect(s.project.supervision.sanctions[0].stageBefore == .constructing)
        #expect(s.disbursement(Fen(yuan: 10_000)).rules == ["R-FUND-3"])
        #expect(
            s.attempt("apply-sanction", by: Actors.bdb, SupervisionPayloads.sanction(.suspension, [1])).rules == ["R-SUP-2", "R-SUP-2"])
        #expect(s.attempt("lift-sanction", by: Actors.drc, ["sanctionNumber": 1, "reason": "r"]).rules == ["R-SUP-2", "R-SUP-2"])
        try lift(&s, 1, by: Actors.bdb)
        #expect(s.project.stage == .constructing)
        #expect(s.project.stageBeforeSuspension == nil)
        #expect(s.disbursement(Fen(yuan: 10_000)).isAccepted)
    }

    // Suspension only while something is being built.
    @Test func suspensionOnlyDuringConstructionStages() throws {
        var s = try Scenario.at(.declared)
        try s.inspect(by: Actors.drc)
        try s.reportRectification(1)
        try s.act("escalate-finding", by: Actors.drc, ["findingNumber": 1, "reason": "r"])
        let d = s.attempt("apply-sanction", by: Actors.drc, SupervisionPayloads.sanction(.suspension, [1]))
        #expect(d.rules == ["R-SUP-2"])
        #expect(d.violations.first?.field == "kind")
    }

    // 终止项目: only after an earlier sanction; final — nothing lifts it, nothing more happens but referral.
    @Test func terminationIsTheLastStepAndFinal() throws {
        var s = try escalated([Actors.drc])
        let first = s.attempt("apply-sanction", by: Actors.drc, SupervisionPayloads.sanction(.termination, [1]))
        #expect(first.rules == ["R-SUP-2"])
        #expect(first.violations.first?.message.contains("直至终止项目") == true)
        try s.act("apply-sanction", by: Actors.drc, SupervisionPayloads.sanction(.suspension, [1]))
        try s.act("apply-sanction", by: Actors.drc, SupervisionPayloads.sanction(.termination, [1]))
        #expect(s.project.stage == .terminated)
        #expect(s.project.supervision.sanctions.map(\.stageBefore) == [.constructing, .suspended])
        #expect(s.attempt("lift-sanction", by: Actors.drc, ["sanctionNumber": 1, "reason": "r"]).rules == [Lifecycle.stageRule])
        let lift = s.attempt("lift-sanction", by: Actors.drc, ["sanctionNumber": 2, "reason": "r"])
        #expect(lift.rules == [Lifecycle.stageRule, "R-SUP-2"])
        #expect(lift.violations.last?.message == "终止项目不能解除")
        #expect(
            s.attempt("apply-sanction", by: Actors.drc, SupervisionPayloads.sanction(.publicCriticism, [1])).rules == [Lifecycle.stageRule])
        #expect(s.attempt("resume-construction", by: Actors.drc, ["reason": "r"]).rules == [Lifecycle.stageRule])
        #expect(s.disbursement(Fen(yuan: 10_000)).rules.contains("R-FUND-3"))
        #expect(
            s.attempt("record-oversight", by: Actors.drc, SupervisionPayloads.oversight(heldOn: s.today, deadlines: [])).rules == [
                Lifecycle.stageRule
            ])
    }

    // The termination sanction itself is never liftable, even when asked by number in a living stage.
    @Test func terminationCannotBeLifted() throws {
        var s = try escalated([Actors.fin])
        try s.act("apply-sanction", by: Actors.fin, SupervisionPayloads.sanction(.publicCriticism, [1]))
        try s.act("apply-sanction", by: Actors.fin, SupervisionPayloads.sanction(.termination, [1]))
        var alive = s
        alive.project.stage = .constructing  // what the rule says if asked outside the final stage
        let d = alive.attempt("lift-sanction", by: Actors.fin, ["sanctionNumber": 2, "reason": "r"])
        #expect(d.violations.contains { $0.rule == "R-SUP-2" && $0.message == "终止项目不能解除" })
        #expect(!d.isAccepted)
    }
}
