import Foundation
import Testing

@testable import ZhengxinCore

/// 绩效目标 (R-GOAL-1, 第五条): the indicator table's shape, what a declaration needs, and how the table
/// is fixed by approval and changed only through 第十九条.
@Suite("Performance goals, R-GOAL-1 第五条")
struct PerformanceGoalTests {
    static func row(_ name: String, _ category: IndicatorCategory, target: String = "10", unit: String = "个", weight: String? = nil)
        -> PerformanceIndicatorInput
    {
        PerformanceIndicatorInput(name: name, category: category, comparison: .atLeast, target: target, unit: unit, weight: weight)
    }

    static func json(_ rows: [PerformanceIndicatorInput]) -> [JSON] {
        rows.map { r in
            var j: JSON = [
                "name": r.name, "category": r.category.rawValue, "comparison": r.comparison.rawValue, "target": r.target, "unit": r.unit,
            ]
            if let w = r.weight { j["weight"] = w }
            return j
        }
    }

    static func parse(_ rows: [PerformanceIndicatorInput]) -> Result<PerformanceGoals, PerformanceGoalRules.Refusal> {
        PerformanceGoalRules.parse(rows, field: "performanceIndicators")
    }

    /// A draft whose table is `rows` (nil: none).
    static func draft(_ rows: [PerformanceIndicatorInput]?) throws -> Scenario {
        var s = try Scenario.draft()
        var j = Payloads.draft(NewProject())
        j["performanceIndicators"] = rows.map(json)
        if rows == nil { j.removeValue(forKey: "performanceIndicators") }
        try s.act("update", by: Actors.unit, j)
        return s
    }

    @Test("declare without a table: refused under R-GOAL-1 第五条")
    func declareWithoutGoals() throws {
        let s = try Self.draft(nil)
        #expect(s.project.performanceGoals == nil)
        let d = s.attempt("declare", by: Actors.unit)
        #expect(d.rules == ["R-GOAL-1"])
        #expect(d.violations.first?.article == "第五条")
    }

    @Test("declare without a 效益 indicator, or without a 产出 one: refused; both without 满意度: declared, noted")
    func declareNeedsOutputAndEffect() throws {
        let noEffect = try Self.draft([Self.row("接入部门数", .quantity), Self.row("满意度", .serviceSatisfaction, unit: "%")])
        let refused = noEffect.attempt("declare", by: Actors.unit)
        #expect(refused.rules == ["R-GOAL-1"])
        #expect(refused.violations.first?.message.contains("效益指标") == true)
        let noOutput = try Self.draft([Self.row("群众办事时长缩短", .social, unit: "%")])
        #expect(noOutput.attempt("declare", by: Actors.unit).violations.map(\.message).joined().contains("产出指标"))
        var both = try Self.draft([Self.row("接入部门数", .quantity), Self.row("群众办事时长缩短", .social, unit: "%")])
        let d = both.attempt("declare", by: Actors.unit)
        guard case .accepted(_, let summary) = d else { Issue.record("not declared: \(d)"); return }
        #expect(summary.contains("未设满意度指标"))
        try both.act("declare", by: Actors.unit)
        #expect(both.project.stage == .declared)
    }

    @Test("weights summing to 99.99 are refused, to exactly 100 accepted; all or none")
    func weightSum() throws {
        let short = Self.parse([Self.row("a", .quantity, weight: "49.99"), Self.row("b", .social, weight: "50")])
        guard case .failure(let r) = short else { Issue.record("99.99 accepted"); return }
        #expect(r.violations.map(\.rule) == ["R-GOAL-1"])
        #expect(r.violations[0].message.contains("99.99"))
        let exact = try Self.parse([Self.row("a", .quantity, weight: "49.99"), Self.row("b", .social, weight: "50.01")]).get()
        #expect(exact.indicators.map(\.weight.text) == ["49.99", "50.01"])
        #expect(exact.weightsGiven)
        let partial = Self.parse([Self.row("a", .quantity, weight: "100"), Self.row("b", .social)])
        guard case .failure(let p) = partial else { Issue.record("partial weights accepted"); return }
        #expect(p.violations.map(\.rule) == ["INPUT"])
        for bad in ["0", "100.01", "12.345", "-5", "1e2", "五十"] {
            guard case .failure(let v) = Self.parse([Self.row("a", .quantity, weight: bad)]) else {
                Issue.record("\(bad) accepted"); continue
            }
            #expect(v.violations.first?.field == "performanceIndicators[0].weight", "\(bad)")
        }
    }

    @Test("no weights: equal shares to the 0.01, always adding up to exactly 100")
    func equalShares() {
        #expect(PerformanceGoalRules.equalShares(3).map(\.text) == ["33.34", "33.33", "33.33"])
        #expect(PerformanceGoalRules.equalShares(1).map(\.text) == ["100"])
        for n in 1...50 { #expect(PerformanceGoalRules.equalShares(n).reduce(.zero, +) == .hundred, "\(n)") }
    }

    @Test("50 indicators are accepted, 51 refused with a stable code")
    func fiftyVersusFiftyOne() throws {
        let fifty = (1...50).map { Self.row("指标\($0)", $0 == 1 ? .social : .quantity) }
        #expect(try Self.parse(fifty).get().indicators.count == 50)
        guard case .failure(let r) = Self.parse(fifty + [Self.row("指标51", .quality)]) else { Issue.record("51 accepted"); return }
        #expect(r.violations.map(\.rule) == ["INPUT"])
        #expect(r.violations[0].field == "performanceIndicators")
    }

    @Test("names of 100 characters pass, 101 do not; blank names and units, bad targets are refused on their field")
    func rowBounds() throws {
        #expect(throws: Never.self) { try Self.parse([Self.row(String(repeating: "指", count: 100), .quantity)]).get() }
        let cases: [(PerformanceIndicatorInput, String)] = [
            (Self.row(String(repeating: "指", count: 101), .quantity), "name"),
            (Self.row("  ", .quantity), "name"),
            (Self.row("a", .quantity, unit: " "), "unit"),
            (Self.row("a", .quantity, unit: String(repeating: "个", count: 21)), "unit"),
            (Self.row("a", .quantity, target: "abc"), "target"),
            (Self.row("a", .quantity, target: "-1"), "target"),
            (Self.row("a", .quantity, target: "1.23456"), "target"),
            (Self.row("a", .quantity, target: "1234567890123"), "target"),
        ]
        for (row, field) in cases {
            guard case .failure(let r) = Self.parse([row]) else { Issue.record("accepted: \(row)"); continue }
            #expect(r.violations.map(\.field) == ["performanceIndicators[0].\(field)"])
            #expect(r.violations.allSatisfy { $0.isInputError && !$0.message.isEmpty })
        }
        #expect(try Self.parse([Self.row("a", .quantity, target: "0.5")]).get().indicators[0].target == PerformanceFigure(scaled: 5_000))
    }

    @Test("a hostile table in a draft is refused and nothing changes")
    func hostileDraft() throws {
        let s = try Scenario.draft()
        var j = Payloads.draft(NewProject())
        j["performanceIndicators"] = Self.json((1...51).map { Self.row("x\($0)", .quantity) })
        let d = s.attempt("update", by: Actors.unit, j)
        #expect(d.rules == ["INPUT"])
        #expect(d.project == nil)
    }

    @Test("figures are exact: 0.1 + 0.2 is 0.3, and texts round-trip")
    func figures() throws {
        let a = try #require(PerformanceFigure.parse("0.1"))
        let b = try #require(PerformanceFigure.parse("0.2"))
        #expect((a + b) == PerformanceFigure.parse("0.3"))
        for t in ["0", "95", "0.5", "33.33", "12.0001", "999999999999.9999"] { #expect(PerformanceFigure.parse(t)?.text == t) }
        #expect(PerformanceFigure.parse("1.50")?.text == "1.5")
    }

    @Test("fixed by approval: after approval `update` is refused (R-STAGE); a change of goals must say so (第十九条)")
    func changeAfterApproval() throws {
        var s = try Scenario.at(.constructing)
        let before = try #require(s.project.performanceGoals)
        #expect(s.attempt("update", by: Actors.unit, Payloads.draft(NewProject())).rules == ["R-STAGE"])
        let newRows = Self.json([Self.row("接入部门数", .quantity, target: "60"), Self.row("群众办事时长缩短", .social, unit: "%")])
        var change: JSON = [
            "description": "扩大接入范围", "reason": "newDeployment", "newTotalFen": s.project.totalInvestment.json,
            "adjustedAmountFen": 0, "goalsUnchanged": true, "newPerformanceIndicators": newRows,
        ]
        let unsaid = s.attempt("propose-change", by: Actors.unit, change)
        #expect(unsaid.rules == ["R-GOAL-1"])
        #expect(unsaid.violations.first?.article == "第十九条")
        #expect(unsaid.violations.first?.field == "goalsUnchanged")

        change["goalsUnchanged"] = false
        try s.act("propose-change", by: Actors.unit, change)
        let proposed = try #require(s.project.changes.last)
        #expect(proposed.route == .reApproval)
        #expect(proposed.status == .pendingApproval)
        #expect(s.project.performanceGoals == before, "not in force before DRC approves")
        try s.act(
            "approve-change", by: Actors.drc,
            ["changeNumber": proposed.number, "documentNumber": "郑发改〔2027〕9号", "approvedOn": s.today.json])
        #expect(s.project.performanceGoals?.indicators.map(\.target.text) == ["60", "10"])
    }

    @Test("a change naming the same goals as approved is refused")
    func sameGoals() throws {
        let s = try Scenario.at(.constructing)
        let change: JSON = [
            "description": "d", "reason": "newDeployment", "newTotalFen": s.project.totalInvestment.json, "adjustedAmountFen": 0,
            "goalsUnchanged": false, "newPerformanceIndicators": Payloads.indicators,
        ]
        let d = s.attempt("propose-change", by: Actors.unit, change)
        #expect(d.rules == ["R-GOAL-1"])
        #expect(d.violations.first?.message.contains("相同") == true)
    }
}
