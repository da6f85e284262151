import Foundation
import Testing

@testable import ZhengxinCore

/// 风险评级 from facts, at the boundaries of each fact and of the levels.
@Suite("Risk rating (pure)")
struct RiskAssessmentTests {
    static let today = CivilDate(2026, 9, 1)
    static let budget = Fen(yuan: 10_000_000)

    /// A project under construction with its 概算 approved and nothing wrong on record.
    static func underConstruction() -> ProjectRecord {
        var p = ProjectRecord(
            id: UUID(), code: "ZZ-1", name: "n", unitId: UUID(), source: .unitDeclaration, planYear: 2026, category: .businessSystem,
            totalInvestment: budget, content: "c", goals: "g", classified: false, simpleContentRequested: false,
            ownInfrastructure: nil, nationalCode: nil, policyId: Policy.zhengzhou2020.id, createdOn: CivilDate(2025, 3, 1),
            createdBy: UUID())
        p.stage = .constructing
        p.approvedBudget = budget
        return p
    }

    static func rate(_ p: ProjectRecord, on day: CivilDate = today) -> RiskRating {
        RiskAssessment.rate(p, today: day, policy: .zhengzhou2020)
    }

    static func change(_ number: Int, adjusted: Fen, status: ChangeStatus = .filed) -> ChangeRequest {
        ChangeRequest(
            number: number, description: "调整", reason: .technologyOptimisation, previousTotal: budget, newTotal: budget,
            adjustedAmount: adjusted, goalsUnchanged: true, route: .filing, status: status, reApprovalGrounds: [],
            proposedOn: CivilDate(2026, 5, 1))
    }

    static func finding(_ number: Int, status: FindingStatus, deadline: CivilDate = CivilDate(2026, 12, 31)) -> Finding {
        Finding(
            number: number, oversightNumber: 1, agency: .drc, agencyOrganisationId: UUID(), description: "d", basis: "b",
            deadline: deadline, raisedOn: CivilDate(2026, 6, 1), status: status, reports: [])
    }

    @Test("nothing on record: level 1 (低), no reasons")
    func clean() {
        let rating = Self.rate(Self.underConstruction())
        #expect(rating == RiskRating(level: 1, points: 0, reasons: []))
        #expect(rating.chinese == "低")
    }

    @Test("levels start at 0, 1, 3, 5 and 8 points")
    func levels() {
        let expected = [0: 1, 1: 2, 2: 2, 3: 3, 4: 3, 5: 4, 7: 4, 8: 5, 40: 5]
        for (points, level) in expected { #expect(RiskAssessment.level(forPoints: points) == level, "\(points)") }
    }

    @Test("第十九条: cumulative adjustments at 9.99…% add nothing, at exactly 10% one point, at exactly 15% two")
    func changeShare() {
        var p = Self.underConstruction()
        p.changes = [Self.change(1, adjusted: Fen(49_999_999)), Self.change(2, adjusted: Fen(50_000_000))]
        #expect(Self.rate(p).reasons.isEmpty, "99,999,999 fen of 1,000,000,000 is under 10%")
        p.changes[0].adjustedAmount = Fen(50_000_000)
        #expect(Self.rate(p).reasons.map(\.points) == [1])
        p.changes.append(Self.change(3, adjusted: Fen(49_999_999)))
        #expect(Self.rate(p).reasons.map(\.points) == [1], "149,999,999 fen is under 15%")
        p.changes[2].adjustedAmount = Fen(50_000_000)
        let at15 = Self.rate(p)
        #expect(at15.reasons.map(\.points) == [2] && at15.reasons.first?.article == "第十九条")
        #expect(at15.reasons.first?.text.contains("15%") == true)
        // A rejected or still pending change has not happened.
        p.changes = [
            Self.change(1, adjusted: Fen(900_000_000), status: .rejected),
            Self.change(2, adjusted: Fen(900_000_000), status: .pendingApproval),
        ]
        #expect(Self.rate(p).reasons.isEmpty)
        // Adjustments beyond Int64 arithmetic are the highest share, not a crash.
        p.changes = [Self.change(1, adjusted: Fen(Int64.max)), Self.change(2, adjusted: Fen(Int64.max))]
        #expect(Self.rate(p).reasons.map(\.points) == [2])
    }

    @Test("第十九条: construction contracts summing to the 概算 add nothing, one fen more two points")
    func contractsOverBudget() throws {
        var p = Self.underConstruction()
        func contract(_ number: Int, _ amount: Fen) -> ConstructionContract {
            ConstructionContract(
                number: number, contractNumber: "HT-\(number)", contractor: "某科技有限公司", contractorOrganisationId: nil, amount: amount,
                signedOn: CivilDate(2026, 1, 5), warrantyEnd: CivilDate(2029, 1, 5), clauses: [])
        }
        p.constructionContracts = [contract(1, Fen(yuan: 6_000_000)), contract(2, Fen(yuan: 4_000_000))]
        #expect(!Self.rate(p).reasons.contains { $0.kind == .contractsOverBudget })
        p.constructionContracts[1].amount = Fen(400_000_001)
        let reason = try #require(Self.rate(p).reasons.first { $0.kind == .contractsOverBudget })
        #expect(reason.points == 2 && reason.article == "第十九条" && reason.text.contains("10,000,000.01元"))
        p.approvedBudget = nil  // before approval there is no baseline to exceed
        #expect(!Self.rate(p).reasons.contains { $0.kind == .contractsOverBudget })
    }

    @Test("第十一条: a fund plan 180 days old with less than half paid adds a point; exactly half does not")
    func disbursementLag() {
        var p = Self.underConstruction()
        p.fundPlans = [FundPlan(number: 1, amount: Fen(yuan: 4_000_000), documentNumber: "郑财〔2026〕1号", issuedOn: CivilDate(2026, 3, 5))]
        // 2026-03-05 + 180 days = 2026-09-01.
        #expect(Self.rate(p, on: CivilDate(2026, 8, 31)).reasons.isEmpty, "179 days: not yet")
        let lagging = Self.rate(p)
        #expect(lagging.reasons.map(\.kind) == [.disbursementLag] && lagging.level == 2)
        p.disbursements = [Disbursement(number: 1, amount: Fen(199_999_999), paidOn: CivilDate(2026, 4, 1), voucherNumber: "v1")]
        #expect(Self.rate(p).reasons.map(\.kind) == [.disbursementLag], "one fen short of half")
        p.disbursements[0].amount = Fen(yuan: 2_000_000)
        #expect(Self.rate(p).reasons.isEmpty, "exactly half")
        p.disbursements = []
        p.fundingHold = true
        #expect(Self.rate(p).reasons.isEmpty, "held by a sanction: the sanction is the reason, not the lag")
    }

    @Test("第三十六条: open findings one point each (three at most), escalated two, an active sanction three")
    func supervision() {
        var p = Self.underConstruction()
        p.supervision.findings = (1...5).map { Self.finding($0, status: .open) }
        #expect(Self.rate(p).points == 3 && Self.rate(p).reasons.count == 5, "every finding listed, three counted")
        p.supervision.findings = [
            Self.finding(1, status: .reported), Self.finding(2, status: .closed), Self.finding(3, status: .escalated),
        ]
        #expect(Self.rate(p).reasons.map(\.kind) == [.openFinding, .escalatedFinding] && Self.rate(p).points == 3)
        p.supervision.sanctions = [
            Sanction(
                number: 1, kind: .fundingHold, agency: .fin, agencyOrganisationId: UUID(), findingNumbers: [3], reason: "r",
                decidedOn: CivilDate(2026, 7, 1))
        ]
        let sanctioned = Self.rate(p)
        #expect(sanctioned.points == 6 && sanctioned.level == 4)
        #expect(sanctioned.reasons.last?.text.contains("暂缓拨付") == true)
        p.supervision.sanctions[0].liftedOn = CivilDate(2026, 8, 1)
        #expect(Self.rate(p).points == 3, "a lifted sanction no longer counts")
    }

    @Test("deadlines: overdue two points each (three counted), the next one due one point; the day after the deadline")
    func deadlines() {
        var p = Self.underConstruction()
        p.stage = .completed
        p.completedOn = CivilDate(2026, 2, 28)
        // 第二十二条: completion + 6 months = 2026-08-28; overdue from 2026-08-29.
        let onTime = Self.rate(p, on: CivilDate(2026, 8, 28))
        #expect(onTime.reasons.map(\.kind) == [.dueSoon] && onTime.points == 1)
        let late = Self.rate(p, on: CivilDate(2026, 8, 29))
        #expect(late.reasons.map(\.kind) == [.overdue] && late.points == 2 && late.reasons[0].article.contains("第二十"))
        // An overdue finding is both an open finding and an overdue deadline.
        p.supervision.findings = [Self.finding(1, status: .open, deadline: CivilDate(2026, 8, 1))]
        let both = Self.rate(p, on: CivilDate(2026, 8, 29))
        #expect(both.points == 5 && both.level == 4)
        #expect(Set(both.reasons.map(\.kind)) == [.overdue, .openFinding])
    }

    @Test("the same facts give the same rating, whatever order they were recorded in")
    func deterministic() {
        var p = Self.underConstruction()
        p.supervision.findings = [Self.finding(2, status: .open), Self.finding(1, status: .escalated)]
        var q = p
        q.supervision.findings.reverse()
        #expect(Self.rate(p).points == Self.rate(q).points && Self.rate(p).level == Self.rate(q).level)
    }
    static func evaluation(_ number: Int, total: String, on day: CivilDate) -> PerformanceEvaluation {
        let figure = PerformanceFigure.parse(total)!
        return PerformanceEvaluation(
            number: number, agency: .fin, agencyOrganisationId: UUID(), evaluatedOn: day, recordedOn: day, conclusion: "c",
            scores: [], total: figure, grade: PerformanceGrade.of(figure))
    }

    @Test("第三十五条: the latest 绩效评价 — 差 two points, 中 one, 良 none; 59.99 and 79.99 at their edges")
    func performanceGrade() throws {
        var p = Self.underConstruction()
        p.stage = .operating
        let cases: [(String, Int)] = [("59.99", 2), ("60", 1), ("79.99", 1), ("80", 0), ("95", 0)]
        for (total, points) in cases {
            p.supervision.evaluations = [Self.evaluation(1, total: total, on: CivilDate(2026, 6, 1))]
            let rating = Self.rate(p)
            #expect(rating.points == points, "\(total)")
            if points > 0 {
                let reason = try #require(rating.reasons.first)
                #expect(reason.kind == .performanceGrade && reason.article == "第三十五条" && reason.text.contains(total))
            }
        }
        // The latest counts: a later 良 replaces an earlier 差, whatever the order recorded.
        p.supervision.evaluations = [
            Self.evaluation(1, total: "85", on: CivilDate(2026, 7, 1)), Self.evaluation(2, total: "50", on: CivilDate(2026, 5, 1)),
        ]
        #expect(Self.rate(p).points == 0)
    }

    @Test("第三十五条: an overdue 绩效评价 counts as an overdue deadline")
    func overdueEvaluation() throws {
        var p = Self.underConstruction()
        p.stage = .accepted
        p.acceptedOn = CivilDate(2025, 8, 31)
        p.performanceGoals = try PerformanceGoalRules.parse(
            [PerformanceIndicatorInput(name: "n", category: .quantity, comparison: .atLeast, target: "1", unit: "个")],
            field: "performanceIndicators"
        ).get()
        // acceptance + 12 months = 2026-08-31; overdue on 2026-09-01 (today).
        #expect(Self.rate(p, on: CivilDate(2026, 8, 31)).reasons.map(\.kind) == [.dueSoon])
        let late = Self.rate(p)
        #expect(late.reasons.map(\.kind) == [.overdue] && late.points == 2)
        #expect(late.reasons[0].article == "第三十五条" && late.reasons[0].text.contains("绩效评价"))
    }
}
