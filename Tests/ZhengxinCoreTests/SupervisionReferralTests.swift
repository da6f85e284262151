import Foundation
import Testing

@testable import ZhengxinCore

/// R-SUP-3 (第三十七条 to 第三十九条): referrals for accountability.
@Suite("Accountability referrals, R-SUP-3 第三十七条 to 第三十九条")
struct SupervisionReferralTests {
    func referral(_ ground: ReferralGround, on date: CivilDate, findings: [Int]? = nil) -> JSON {
        var j: JSON = [
            "ground": ground.rawValue, "subject": "项目单位信息中心主任张三", "conduct": "弄虚作假,造成严重超预算",
            "referredTo": "市纪委监委", "referredOn": date.json, "criminal": false,
        ]
        if let findings { j["findingNumbers"] = findings }
        return j
    }

    // 第三十七条 is DRC's to raise; 第三十八条 and 第三十九条 any supervising agency's.
    @Test func whoReferredOnWhichArticle() throws {
        var s = try Scenario.at(.constructing)
        try s.inspect(by: Actors.drc)
        try s.act("refer-for-accountability", by: Actors.drc, referral(.breachOfMeasures, on: s.today, findings: [1]))
        let fin = s.attempt("refer-for-accountability", by: Actors.fin, referral(.breachOfMeasures, on: s.today))
        #expect(fin.rules == ["R-SUP-3"])
        #expect(fin.violations.first?.article == "第三十七条")
        try s.act("refer-for-accountability", by: Actors.fin, referral(.fundMisuse, on: s.today))
        try s.act("refer-for-accountability", by: Actors.aud, referral(.officialMisconduct, on: s.today))
        let referrals = s.project.supervision.referrals
        #expect(referrals.map(\.article) == ["第三十七条", "第三十八条", "第三十九条"])
        #expect(referrals.map(\.agency) == [.drc, .fin, .aud])
        #expect(referrals[0].findingNumbers == [1])
        #expect(referrals[0].referredTo == "市纪委监委")
        #expect(s.attempt("refer-for-accountability", by: Actors.unit, referral(.fundMisuse, on: s.today)).isForbidden)
    }

    // Input: dated today at the latest, findings that exist, who/what/to whom not blank.
    @Test func referralInput() throws {
        let s = try Scenario.at(.constructing)
        #expect(
            s.attempt("refer-for-accountability", by: Actors.drc, referral(.fundMisuse, on: s.today.addingDays(1))).violations.map(\.field)
                == ["referredOn"])
        #expect(
            s.attempt("refer-for-accountability", by: Actors.drc, referral(.fundMisuse, on: s.today, findings: [4])).violations.map(\.field)
                == ["findingNumbers[0]"])
        var blank = referral(.fundMisuse, on: s.today)
        blank["subject"] = " "
        blank["referredTo"] = ""
        #expect(s.attempt("refer-for-accountability", by: Actors.drc, blank).violations.map(\.field) == ["subject", "referredTo"])
    }

    // Accountability outlives a terminated project; a draft is not yet under supervision.
    @Test func afterTerminationButNotOnADraft() throws {
        var s = try Scenario.at(.constructing)
        try s.inspect(by: Actors.drc)
        try s.reportRectification(1)
        try s.act("escalate-finding", by: Actors.drc, ["findingNumber": 1, "reason": "r"])
        try s.act("apply-sanction", by: Actors.drc, SupervisionPayloads.sanction(.publicCriticism, [1]))
        try s.act("apply-sanction", by: Actors.drc, SupervisionPayloads.sanction(.termination, [1]))
        var criminal = referral(.fundMisuse, on: s.today)
        criminal["criminal"] = true
        try s.act("refer-for-accountability", by: Actors.fin, criminal)
        #expect(s.project.supervision.referrals.first?.criminal == true)
        let draft = try Scenario.draft()
        #expect(
            draft.attempt("refer-for-accountability", by: Actors.drc, referral(.fundMisuse, on: draft.today)).rules == [Lifecycle.stageRule]
        )
    }
}
