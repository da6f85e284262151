import Foundation
import Testing

@testable import ZhengxinCore

/// 期限提醒: the deadlines of the Measures, at their boundaries.
@Suite("Deadline scan (pure)")
struct DeadlineScanCoreTests {
    func draft(planYear: Int = 2027, source: ProjectSource = .unitDeclaration) -> ProjectRecord {
        ProjectRecord(
            id: UUID(), code: "ZZ-1", name: "n", unitId: UUID(), source: source, planYear: planYear, category: .businessSystem,
            totalInvestment: Fen(yuan: 1_000_000), content: "c", goals: "g", classified: false, simpleContentRequested: false,
            ownInfrastructure: nil, nationalCode: nil, policyId: Policy.zhengzhou2020.id, createdOn: CivilDate(2026, 1, 1),
            createdBy: UUID())
    }

    @Test("第七条: announced 30 days before 30 June, overdue from 1 July; none for 市政府决定 projects")
    func declarationWindow() {
        let p = draft()
        #expect(DeadlineScan.deadlines(for: p, today: CivilDate(2026, 5, 30), policy: .zhengzhou2020).isEmpty)
        #expect(DeadlineScan.deadlines(for: p, today: CivilDate(2026, 5, 31), policy: .zhengzhou2020).map(\.status) == [.upcoming])
        #expect(DeadlineScan.deadlines(for: p, today: CivilDate(2026, 6, 30), policy: .zhengzhou2020).map(\.status) == [.upcoming])
        #expect(DeadlineScan.deadlines(for: p, today: CivilDate(2026, 7, 1), policy: .zhengzhou2020).map(\.status) == [.overdue])
        #expect(
            DeadlineScan.deadlines(for: draft(source: .municipalDecision), today: CivilDate(2026, 7, 1), policy: .zhengzhou2020).isEmpty)
    }

    @Test("第二十二条: on completion + 6 months upcoming, the next day overdue for unit, DRC and FIN")
    func acceptance() {
        var p = draft()
        p.stage = .completed
        p.completedOn = CivilDate(2025, 8, 31)
        let onDeadline = DeadlineScan.deadlines(for: p, today: CivilDate(2026, 2, 28), policy: .zhengzhou2020)
        #expect(onDeadline.map(\.status) == [.upcoming])
        let after = DeadlineScan.deadlines(for: p, today: CivilDate(2026, 3, 1), policy: .zhengzhou2020)
        #expect(after.map(\.status) == [.overdue])
        #expect(after.first?.audience == [.unit, .drc, .fin])
        p.stage = .accepted
        #expect(DeadlineScan.deadlines(for: p, today: CivilDate(2026, 3, 1), policy: .zhengzhou2020).isEmpty)
    }

    @Test("第二十条: the trial run's end makes acceptance possible")
    func trialRun() {
        var p = draft()
        p.stage = .trialRunning
        p.completedOn = CivilDate(2026, 1, 10)
        p.trialRun = TrialRun(startedOn: CivilDate(2026, 1, 15), minimumEnd: CivilDate(2026, 4, 15))
        let before = DeadlineScan.deadlines(for: p, today: CivilDate(2026, 4, 14), policy: .zhengzhou2020).filter {
            $0.kind == .trialRunEnd
        }
        #expect(before.map(\.status) == [.upcoming])
        let onEnd = DeadlineScan.deadlines(for: p, today: CivilDate(2026, 4, 15), policy: .zhengzhou2020).filter { $0.kind == .trialRunEnd }
        #expect(onEnd.map(\.status) == [.due])
    }
}
