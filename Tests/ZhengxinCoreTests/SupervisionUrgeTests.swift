import Foundation
import Testing

@testable import ZhengxinCore

/// R-SUP-1 (第三十五条): 催办 by a supervising agency, the unit's answer, and the answer-by date in
/// the deadline scan.
@Suite("催办, R-SUP-1 第三十五条")
struct SupervisionUrgeTests {
    static func urge(_ matter: String = "报送初步设计方案", by: CivilDate? = nil) -> JSON {
        var j: JSON = ["matter": matter, "message": "请尽快报送,以便安排批复"]
        if let by { j["answerBy"] = by.json }
        return j
    }

    @Test("every supervising agency may urge; the unit, another unit and a vendor may not")
    func whoUrges() throws {
        var s = try Scenario.at(.constructing)
        for agency in [Actors.drc, Actors.fin, Actors.bdb, Actors.aud] { try s.act("urge-unit", by: agency, Self.urge()) }
        #expect(s.project.supervision.urges.map(\.number) == [1, 2, 3, 4])
        #expect(s.project.supervision.urges.map(\.agency) == [.drc, .fin, .bdb, .aud])
        #expect(s.project.supervision.urges.allSatisfy { $0.urgedOn == s.today && $0.answer == nil })
        for actor in [Actors.unit, Actors.otherUnit, Actors.vendor] {
            #expect(s.attempt("urge-unit", by: actor, Self.urge()).isForbidden, "\(actor.organisationType)")
        }
    }

    @Test("a draft is not yet before the government: nothing to urge")
    func notOnADraft() throws {
        let s = try Scenario.draft()
        #expect(s.attempt("urge-unit", by: Actors.drc, Self.urge()).project == nil)
    }

    @Test("the answer-by date must be after today: tomorrow is accepted, today is not")
    func answerByBoundary() throws {
        var s = try Scenario.at(.constructing)
        let today = s.attempt("urge-unit", by: Actors.drc, Self.urge(by: s.today))
        #expect(today.violations.map(\.field) == ["answerBy"])
        try s.act("urge-unit", by: Actors.drc, Self.urge(by: s.today.addingDays(1)))
        #expect(s.project.supervision.urges.first?.answerBy == s.today.addingDays(1))
        let blank = s.attempt("urge-unit", by: Actors.drc, ["matter": " ", "message": String(repeating: "催", count: 2001)])
        #expect(Set(blank.violations.map(\.field)) == ["matter", "message"])
        // A date past the requests' bound is refused on its field; one stored before the bound (9999-12-31,
        // once accepted) no longer stops the deadline scan at the day after it.
        #expect(s.attempt("urge-unit", by: Actors.drc, Self.urge(by: CivilDate(2200, 1, 1))).violations.map(\.field) == ["answerBy"])
        #expect(s.attempt("urge-unit", by: Actors.drc, Self.urge(by: CivilDate(2199, 12, 31))).isAccepted)
        var stored = s.project
        stored.supervision.urges[0].answerBy = CivilDate.last
        #expect(
            DeadlineHorizon.nextChange(for: stored, today: s.today, book: .builtIn)
                == CivilDate.last.addingDays(-DeadlineScan.defaultLeadDays))
        #expect(!DeadlineScan.deadlines(for: stored, today: CivilDate.last, policy: .zhengzhou2020).isEmpty)
    }

    @Test("the unit answers each urge once; the matter waits on it until then")
    func answering() throws {
        var s = try Scenario.at(.constructing)
        #expect(s.attempt("answer-urge", by: Actors.unit, ["urgeNumber": 1, "answer": "已报送"]).violations.map(\.field) == ["urgeNumber"])
        #expect(Lifecycle.availableActions(s.project, s.context(Actors.unit)).first { $0.action == "answer-urge" }?.open == false)
        try s.act("urge-unit", by: Actors.fin, Self.urge("报送资金使用情况", by: s.today.addingDays(10)))
        let owed = try #require(AgencyQueue.waiting(s.project, s.context(Actors.unit)).first { $0.kind == .urgeAnswer })
        #expect(owed.title.contains("市财政局催办「报送资金使用情况」") && owed.anchor == "action-answer-urge" && owed.article == "第三十五条")
        #expect(owed.title.hasSuffix(",答复期限\(s.today.addingDays(10).chinese)"), "one urge: its date, not the earliest of one")
        var two = s
        try two.act("urge-unit", by: Actors.drc, Self.urge("报送合同", by: s.today.addingDays(5)))
        let both = try #require(AgencyQueue.waiting(two.project, two.context(Actors.unit)).first { $0.kind == .urgeAnswer })
        #expect(both.title.hasSuffix(",最早答复期限\(s.today.addingDays(5).chinese)"))
        #expect(AgencyQueue.waiting(s.project, s.context(Actors.otherUnit)).isEmpty)
        #expect(s.attempt("answer-urge", by: Actors.otherUnit, ["urgeNumber": 1, "answer": "x"]).isForbidden)
        #expect(s.attempt("answer-urge", by: Actors.unit, ["urgeNumber": 2, "answer": "x"]).violations.map(\.field) == ["urgeNumber"])
        try s.act("answer-urge", by: Actors.unit, ["urgeNumber": 1, "answer": "已于本周报送"])
        #expect(s.project.supervision.urge(1)?.answer == UrgeAnswer(text: "已于本周报送", answeredOn: s.today))
        #expect(!AgencyQueue.waiting(s.project, s.context(Actors.unit)).contains { $0.kind == .urgeAnswer })
        // An answered urge is not answered twice.
        let twice = s.attempt("answer-urge", by: Actors.unit, ["urgeNumber": 1, "answer": "再次答复"])
        #expect(twice.violations.map(\.field) == ["urgeNumber"] && twice.violations.first?.message.contains("已于") == true)
    }

    @Test("at most 20 unanswered urges on a project; an answer makes room for one more")
    func flood() throws {
        var s = try Scenario.at(.constructing)
        for _ in 1...UrgeUnit.maximumUnanswered { try s.act("urge-unit", by: Actors.drc, Self.urge()) }
        let full = s.attempt("urge-unit", by: Actors.drc, Self.urge())
        #expect(full.rules == ["R-SUP-1"] && full.violations.first?.article == "第三十五条")
        try s.act("answer-urge", by: Actors.unit, ["urgeNumber": 7, "answer": "已报送"])
        try s.act("urge-unit", by: Actors.drc, Self.urge())
        #expect(s.project.supervision.urges.last?.number == UrgeUnit.maximumUnanswered + 1)
    }

    @Test("the answer-by date joins the scan: upcoming to the unit, overdue to the urging agency as well, gone once answered")
    func scan() throws {
        var s = try Scenario.at(.constructing)
        let due = s.today.addingDays(40)
        try s.act("urge-unit", by: Actors.bdb, Self.urge(by: due))
        func urgeDeadlines(_ day: CivilDate) -> [Deadline] {
            DeadlineScan.deadlines(for: s.project, today: day, policy: s.policy).filter { $0.kind == .urgeAnswer }
        }
        #expect(urgeDeadlines(due.addingDays(-31)).isEmpty)
        #expect(urgeDeadlines(due.addingDays(-30)).map(\.status) == [.upcoming])
        #expect(urgeDeadlines(due).map(\.status) == [.upcoming])
        let late = try #require(urgeDeadlines(due.addingDays(1)).first)
        #expect(late.status == .overdue && late.audience == [.unit, .bdb] && late.ref == "1" && late.article == "第三十五条")
        let horizon = DeadlineHorizon.nextChange(for: s.project, today: s.today, book: PolicyBook(versions: [s.policy]))
        #expect(horizon.map { $0 <= due.addingDays(-30) } == true)
        try s.act("answer-urge", by: Actors.unit, ["urgeNumber": 1, "answer": "已答复"])
        #expect(urgeDeadlines(due.addingDays(1)).isEmpty)
    }
}
