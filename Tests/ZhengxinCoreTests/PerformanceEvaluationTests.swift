import Foundation
import Testing

@testable import ZhengxinCore

/// 绩效评价 (R-GOAL-2, 第三十五条): every indicator scored with evidence, the total exact to the 0.01, the
/// grade by 财预〔2020〕10号's bands, and the evaluation's deadline after acceptance.
@Suite("Performance evaluation, R-GOAL-2 第三十五条")
struct PerformanceEvaluationTests {
    /// An accepted project whose table has two indicators of 50 分 each.
    static func accepted() throws -> Scenario {
        var s = try Scenario.at(.accepted)
        s.project.performanceGoals = try PerformanceGoalRules.parse(
            [
                PerformanceIndicatorInput(name: "接入部门数", category: .quantity, comparison: .atLeast, target: "40", unit: "个", weight: "50"),
                PerformanceIndicatorInput(name: "办件时长", category: .social, comparison: .atMost, target: "3.5", unit: "天", weight: "50"),
            ], field: "performanceIndicators"
        ).get()
        return s
    }

    static func evaluation(_ first: String, _ second: String, actual: (String, String) = ("40", "3.5"), on: CivilDate? = nil) -> JSON {
        [
            "evaluatedOn": (on ?? Timeline.signOff.addingDays(30)).json, "conclusion": "绩效目标基本实现",
            "scores": [
                ["indicatorNumber": 1, "actual": actual.0, "score": first, "evidence": "接入清单"],
                ["indicatorNumber": 2, "actual": actual.1, "score": second, "evidence": "办件统计"],
            ],
        ]
    }

    @Test("grade bands at their edges: 89.99 良, 90 优; 79.99 中, 80 良; 59.99 差, 60 中")
    func gradeBands() {
        let cases: [(String, PerformanceGrade)] = [
            ("100", .excellent), ("90", .excellent), ("89.99", .good), ("80", .good), ("79.99", .fair), ("60", .fair),
            ("59.99", .poor), ("0", .poor),
        ]
        for (total, grade) in cases { #expect(PerformanceGrade.of(PerformanceFigure.parse(total)!) == grade, "\(total)") }
    }

    @Test("the core adds the scores exactly: 44.99 + 45 is 89.99 (良), 45 + 45 is 90 (优)")
    func totalsAtTheBoundary() throws {
        var s = try Self.accepted()
        s.today = Timeline.signOff.addingDays(40)
        try s.act("evaluate-performance", by: Actors.fin, Self.evaluation("44.99", "45"))
        let first = try #require(s.project.supervision.latestEvaluation)
        #expect(first.total.text == "89.99")
        #expect(first.grade == .good)
        #expect(first.agency == .fin)
        try s.act("evaluate-performance", by: Actors.drc, Self.evaluation("45", "45"))
        #expect(s.project.supervision.latestEvaluation?.total.text == "90")
        #expect(s.project.supervision.latestEvaluation?.grade == .excellent)
        #expect(s.project.supervision.evaluations.count == 2)
    }

    @Test("59.99 is 差, 60 is 中")
    func poorBoundary() throws {
        var s = try Self.accepted()
        s.today = Timeline.signOff.addingDays(40)
        try s.act("evaluate-performance", by: Actors.fin, Self.evaluation("29.99", "30"))
        #expect(s.project.supervision.latestEvaluation?.grade == .poor)
        try s.act("evaluate-performance", by: Actors.fin, Self.evaluation("30", "30"))
        #expect(s.project.supervision.latestEvaluation?.grade == .fair)
    }

    @Test("met is computed against the target exactly: ≥40 with 39.9999 is not met; ≤3.5 with 3.5 is")
    func metComputed() throws {
        var s = try Self.accepted()
        s.today = Timeline.signOff.addingDays(40)
        try s.act("evaluate-performance", by: Actors.fin, Self.evaluation("40", "50", actual: ("39.9999", "3.5")))
        #expect(s.project.supervision.latestEvaluation?.scores.map(\.met) == [false, true])
    }

    @Test("every indicator must be scored; a score above its weight, a duplicate, an unknown indicator are refused")
    func everyIndicator() throws {
        var s = try Self.accepted()
        s.today = Timeline.signOff.addingDays(40)
        var one = Self.evaluation("40", "40")
        one["scores"] = [["indicatorNumber": 1, "actual": "40", "score": "40", "evidence": "e"]]
        let missing = s.attempt("evaluate-performance", by: Actors.fin, one)
        #expect(missing.rules == ["R-GOAL-2"])
        #expect(missing.violations.first?.message.contains("办件时长") == true)
        #expect(
            s.attempt("evaluate-performance", by: Actors.fin, Self.evaluation("50.01", "40")).violations.map(\.field) == ["scores[0].score"]
        )
        #expect(s.attempt("evaluate-performance", by: Actors.fin, Self.evaluation("50", "50")).isAccepted, "50 of 50 is the ceiling")
        var twice = Self.evaluation("40", "40")
        twice["scores"] = [
            ["indicatorNumber": 1, "actual": "40", "score": "40", "evidence": "e"],
            ["indicatorNumber": 1, "actual": "40", "score": "40", "evidence": "e"],
        ]
        #expect(s.attempt("evaluate-performance", by: Actors.fin, twice).rules == ["INPUT"])
        var unknown = Self.evaluation("40", "40")
        unknown["scores"] = [["indicatorNumber": 9, "actual": "40", "score": "40", "evidence": "e"]]
        #expect(s.attempt("evaluate-performance", by: Actors.fin, unknown).violations.map(\.field) == ["scores[0].indicatorNumber"])
        var noEvidence = Self.evaluation("40", "40")
        noEvidence["scores"] = [
            ["indicatorNumber": 1, "actual": "40", "score": "40", "evidence": " "],
            ["indicatorNumber": 2, "actual": "3", "score": "40", "evidence": "e", "evidenceDocumentNumber": 999],
        ]
        #expect(
            s.attempt("evaluate-performance", by: Actors.fin, noEvidence).violations.map(\.field)
                == ["scores[0].evidence", "scores[1].evidenceDocumentNumber"])
    }

    @Test("only 市财政局 and 市发展改革委 evaluate, and only after acceptance")
    func whoAndWhen() throws {
        var s = try Self.accepted()
        s.today = Timeline.signOff.addingDays(40)
        for actor in [Actors.unit, Actors.bdb, Actors.aud, Actors.vendor] {
            #expect(s.attempt("evaluate-performance", by: actor, Self.evaluation("40", "40")).isForbidden)
        }
        var building = try Scenario.at(.constructing)
        building.project.performanceGoals = s.project.performanceGoals
        #expect(
            building.attempt("evaluate-performance", by: Actors.fin, Self.evaluation("40", "40", on: building.today)).rules == ["R-STAGE"])
        let early = s.attempt("evaluate-performance", by: Actors.fin, Self.evaluation("40", "40", on: Timeline.signOff.addingDays(-1)))
        #expect(early.violations.map(\.field) == ["evaluatedOn"])
    }

    @Test("deadline: the last day (acceptance + 12 months) is not overdue, the day after is; an evaluation ends it")
    func deadline() throws {
        var s = try Self.accepted()
        let accepted = try #require(s.project.acceptedOn)
        let due = accepted.addingMonths(12)
        #expect(PerformanceDeadlines.evaluationDue(s.project, .zhengzhou2020) == due)
        func kind(_ day: CivilDate, _ p: ProjectRecord, _ policy: Policy = .zhengzhou2020) -> DeadlineStatus? {
            DeadlineScan.deadlines(for: p, today: day, policy: policy).first { $0.kind == .performanceEvaluation }?.status
        }
        #expect(kind(due.addingDays(-31), s.project) == nil)
        #expect(kind(due.addingDays(-30), s.project) == .upcoming)
        #expect(kind(due, s.project) == .upcoming)
        #expect(kind(due.addingDays(1), s.project) == .overdue)
        let overdue = DeadlineScan.deadlines(for: s.project, today: due.addingDays(1), policy: .zhengzhou2020).first {
            $0.kind == .performanceEvaluation
        }
        #expect(overdue?.audience == [.fin, .drc, .unit])
        #expect(overdue?.rule == "R-GOAL-2")
        #expect(
            DeadlineHorizon.nextChange(for: s.project, today: due, book: PolicyBook(versions: [.zhengzhou2020])) == due.addingDays(1))

        var sixMonths = Policy.zhengzhou2020
        sixMonths.performanceEvaluationMonths = 6
        #expect(kind(accepted.addingMonths(6).addingDays(1), s.project, sixMonths) == .overdue)

        s.today = due.addingDays(5)
        try s.act("evaluate-performance", by: Actors.fin, Self.evaluation("45", "45"))
        #expect(kind(due.addingDays(5), s.project) == nil)
        #expect(PerformanceDeadlines.evaluationDue(s.project, .zhengzhou2020) == nil)
    }

    @Test("a project without an indicator table has no evaluation deadline and cannot be scored")
    func legacy() throws {
        var s = try Scenario.at(.accepted)
        s.project.performanceGoals = nil
        s.today = Timeline.signOff.addingDays(40)
        #expect(PerformanceDeadlines.evaluationDue(s.project, .zhengzhou2020) == nil)
        #expect(s.attempt("evaluate-performance", by: Actors.fin, Self.evaluation("40", "40")).rules == ["R-GOAL-2"])
    }

    @Test("old records without evaluations or goals decode")
    func oldRecordsDecode() throws {
        let s = try Scenario.at(.accepted)
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(s.project)) as! [String: Any]
        json.removeValue(forKey: "performanceGoals")
        var supervision = json["supervision"] as! [String: Any]
        supervision.removeValue(forKey: "evaluations")
        json["supervision"] = supervision
        let decoded = try JSONDecoder().decode(ProjectRecord.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(decoded.performanceGoals == nil)
        #expect(decoded.supervision.evaluations.isEmpty)
    }
}
