import Foundation
import Testing

@testable import ZhengxinCore

/// R-PLAN-1 (第八条): DRC compiles the annual government investment plan from the reserve pool and
/// issues it; its projects become `planned`.
@Suite("Annual plan, R-PLAN-1 第八条")
struct AnnualPlanTests {
    static let compileDay = CivilDate(2027, 1, 5)

    func compilePayload(_ lines: [(UUID, Fen)], year: Int = 2027) throws -> AnnualPlanRules.CompilePayload {
        try decode(
            AnnualPlanRules.CompilePayload.self,
            [
                "year": year, "title": "2027年计划",
                "lines": lines.map { ["projectId": $0.0.uuidString, "plannedAmountFen": $0.1.json] as JSON },
            ])
    }

    func compile(_ lines: [(UUID, Fen)], _ projects: [ProjectRecord], by actor: Actor = Actors.drc, year: Int = 2027)
        throws -> Result<AnnualInvestmentPlan, ProjectCreation.CreationRefusal>
    {
        AnnualPlanRules.compile(
            try compilePayload(lines, year: year), id: UUID(),
            projects: Dictionary(uniqueKeysWithValues: projects.map { ($0.id, $0) }), makeContext(actor, Self.compileDay))
    }

    func refusal(_ r: Result<AnnualInvestmentPlan, ProjectCreation.CreationRefusal>) -> [Violation] {
        if case .failure(.refused(let v)) = r { return v }
        return []
    }

    func issuePayload(on date: CivilDate = Timeline.planIssued) throws -> AnnualPlanRules.IssuePayload {
        try decode(AnnualPlanRules.IssuePayload.self, ["documentNumber": "郑发改投资〔2027〕1号", "issuedOn": date.json])
    }

    // R-PLAN-1 第八条: a reserve-pool project with its planned amount up to the total.
    @Test func compileFromReservePoolWithPlannedAmountUpToTotal() throws {
        let a = try Scenario.at(.reserve).project
        let plan = try compile([(a.id, a.totalInvestment)], [a]).get()
        #expect(plan.status == .draft)
        #expect(plan.total == a.totalInvestment)
        #expect(plan.lines == [.init(projectId: a.id, plannedAmount: a.totalInvestment)])
    }

    // R-PLAN-1 第八条: only reserve-pool projects enter the plan.
    @Test func compileRefusesProjectsOutsideReservePool() throws {
        let declared = try Scenario.at(.declared).project
        let pending = try Scenario.at(.pendingGovernment).project
        let v = refusal(try compile([(declared.id, Fen(100)), (pending.id, Fen(100))], [declared, pending]))
        #expect(v.map(\.rule) == ["R-PLAN-1", "R-PLAN-1"])
        #expect(v.allSatisfy { $0.article == "第八条" })
    }

    // R-CON-5 第十七条 with R-PLAN-1: a 涉密 project the compiler is not named on is an unknown id —
    // the same words whatever its stage or amount, so neither can be probed.
    @Test func compileTreatsAnUnnamedClassifiedProjectAsUnknown() throws {
        var secret = try Scenario.at(.reserve).project
        secret.classified = true
        secret.classifiedAccess = [Actors.unit.userId]
        let unknown = UUID()
        for amount in [Fen(1), secret.totalInvestment, Fen(Int64(9_999_999_999_99))] {
            let seen = refusal(try compile([(secret.id, amount)], [secret]))
            let none = refusal(try compile([(unknown, amount)], []))
            #expect(seen.map(\.rule) == none.map(\.rule))
            #expect(
                seen.map { $0.message.replacingOccurrences(of: secret.id.uuidString, with: "ID") }
                    == none.map { $0.message.replacingOccurrences(of: unknown.uuidString, with: "ID") })
        }
        secret.classifiedAccess.append(Actors.drc.userId)
        #expect(try compile([(secret.id, secret.totalInvestment)], [secret]).get().lines.count == 1, "named, the DRC plans it")
    }

    // R-CON-5 第十七条: issuing a plan with a 涉密 line the issuer is not named on refuses without
    // the project's name, code or stage; a plan is read with those lines counted, not shown.
    @Test func issueAndReadingNeverNameAnUnnamedClassifiedLine() throws {
        var secret = try Scenario.at(.reserve).project
        secret.classified = true
        secret.classifiedAccess = [Actors.unit.userId, Actors.drc.userId]
        secret.name = "涉密指挥调度系统"
        let open = try Scenario.at(.reserve).project
        let plan = try compile([(secret.id, Fen(100)), (open.id, Fen(100))], [secret, open]).get()
        var moved = secret
        moved.stage = .declared
        let stranger = makeActor(.drc, org: Orgs.drc, user: 42)
        let refused = AnnualPlanRules.issue(
            try issuePayload(), plan: plan, projects: [secret.id: moved, open.id: open], makeContext(stranger, Timeline.planIssued))
        guard case .failure(.refused(let v)) = refused else { Issue.record("expected a refusal"); return }
        #expect(v.map(\.rule) == ["R-CON-5"])
        #expect(
            !v[0].message.contains(secret.name) && !v[0].message.contains(secret.code) && !v[0].message.contains(Stage.declared.chinese))
        // Even in the reserve pool, a 涉密 line is issued only by those named on it.
        let inReserve = AnnualPlanRules.issue(
            try issuePayload(), plan: plan, projects: [secret.id: secret, open.id: open], makeContext(stranger, Timeline.planIssued))
        guard case .failure(.refused(let w)) = inReserve else { Issue.record("expected a refusal"); return }
        #expect(w.map(\.article) == ["第十七条"])
        #expect(throws: Never.self) {
            try AnnualPlanRules.issue(
                issuePayload(), plan: plan, projects: [secret.id: secret, open.id: open],
                makeContext(Actors.drc, Timeline.planIssued)
            ).get()
        }
        let named = AnnualPlanRules.issue(
            try issuePayload(), plan: plan, projects: [secret.id: moved, open.id: open], makeContext(Actors.drc, Timeline.planIssued))
        if case .failure(.refused(let w)) = named { #expect(w.first?.message.contains(secret.name) == true) }
        let projects = [secret.id: secret, open.id: open]
        let shown = plan.scoped(for: stranger, projects: projects)
        #expect(shown.lines.map(\.projectId) == [open.id])
        #expect(shown.restrictedLines == 1)
        #expect(plan.scoped(for: Actors.drc, projects: projects).lines.count == 2)
        #expect(plan.scoped(for: Actors.drc, projects: projects).restrictedLines == nil)
        let otherUnit = plan.scoped(for: Actors.otherUnit, projects: projects)
        #expect(otherUnit.lines.isEmpty && otherUnit.restrictedLines == nil, "a unit learns nothing of other units' lines")
    }

    // R-PLAN-1 第八条: the planned amount may not exceed the total investment.
    @Test func compileRefusesPlannedAmountAboveTotal() throws {
        let a = try Scenario.at(.reserve).project
        let v = refusal(try compile([(a.id, Fen(a.totalInvestment.value + 1))], [a]))
        #expect(v.map(\.rule) == ["R-PLAN-1"])
    }

    // R-PLAN-1 第八条: duplicates, unknown projects, empty plans, zero amounts are INPUT errors.
    @Test func compileRefusesDuplicatesAndUnknownProjectsAsInput() throws {
        let a = try Scenario.at(.reserve).project
        let dup = refusal(try compile([(a.id, Fen(100)), (a.id, Fen(200))], [a]))
        #expect(dup.contains { $0.isInputError && $0.field == "lines" })
        let unknown = refusal(try compile([(UUID(), Fen(100))], [a]))
        #expect(unknown.map(\.field) == ["lines[0].projectId"])
        let empty = refusal(try compile([], [a]))
        #expect(empty.map(\.field) == ["lines"])
        let zero = refusal(try compile([(a.id, Fen(0))], [a]))
        #expect(zero.map(\.field) == ["lines[0].plannedAmountFen"])
    }

    // R-PLAN-1 第八条 / 第七条: a project declared for 2027 is not in a 2026 plan.
    @Test func compileRefusesProjectDeclaredForALaterYear() throws {
        let a = try Scenario.at(.reserve).project
        #expect(refusal(try compile([(a.id, Fen(100))], [a], year: 2026)).map(\.rule) == ["R-PLAN-1"])
    }

    // R-PLAN-1 第八条 (第五条): the plan is DRC's.
    @Test(arguments: [Actors.fin, Actors.bdb, Actors.unit, makeActor(.drc, org: Orgs.drc, user: 50, roles: [.viewer])])
    func onlyDRCStaffCompiles(_ actor: Actor) throws {
        let a = try Scenario.at(.reserve).project
        guard case .failure(.forbidden) = try compile([(a.id, Fen(100))], [a], by: actor) else {
            Issue.record("\(actor.displayName) compiled a plan"); return
        }
    }

    // R-PLAN-1 第八条: issuing moves every line's project to planned.
    @Test func issueMovesEveryProjectToPlanned() throws {
        let a = try Scenario.at(.reserve).project
        let b = try Scenario.at(.reserve, NewProject(total: Fen(yuan: 20_000_000))).project
        let plan = try compile([(a.id, Fen(yuan: 1_000_000)), (b.id, b.totalInvestment)], [a, b]).get()
        let (issued, updated) = try AnnualPlanRules.issue(
            try issuePayload(), plan: plan, projects: [a.id: a, b.id: b],
            makeContext(Actors.drc, Timeline.planIssued)
        ).get()
        #expect(issued.status == .issued)
        #expect(issued.documentNumber == "郑发改投资〔2027〕1号")
        #expect(updated.map(\.stage) == [.planned, .planned])
        #expect(updated[0].annualPlan?.plannedAmount == Fen(yuan: 1_000_000))
        #expect(updated[1].annualPlan?.planId == plan.id)
        #expect(updated[1].annualPlan?.year == 2027)
    }

    // R-PLAN-1 第八条: a plan is issued once.
    @Test func issuingTwiceRefused() throws {
        let a = try Scenario.at(.reserve).project
        let plan = try compile([(a.id, a.totalInvestment)], [a]).get()
        let ctx = makeContext(Actors.drc, Timeline.planIssued)
        let (issued, updated) = try AnnualPlanRules.issue(try issuePayload(), plan: plan, projects: [a.id: a], ctx).get()
        guard case .failure(.refused(let v)) = AnnualPlanRules.issue(try issuePayload(), plan: issued, projects: [a.id: updated[0]], ctx)
        else {
            Issue.record("issued twice"); return
        }
        #expect(v.map(\.rule) == ["R-PLAN-1", "R-PLAN-1"])  // already issued; project no longer in the pool
    }

    // R-PLAN-1 第八条: issued on a real date, by DRC.
    @Test func issueRefusesFutureDateAndNonDRC() throws {
        let a = try Scenario.at(.reserve).project
        let plan = try compile([(a.id, a.totalInvestment)], [a]).get()
        guard
            case .failure(.refused(let v)) = AnnualPlanRules.issue(
                try issuePayload(on: Timeline.planIssued.addingDays(1)), plan: plan,
                projects: [a.id: a], makeContext(Actors.drc, Timeline.planIssued))
        else {
            Issue.record("future issue date accepted"); return
        }
        #expect(v.map(\.field) == ["issuedOn"])
        guard
            case .failure(.forbidden) = AnnualPlanRules.issue(
                try issuePayload(), plan: plan, projects: [a.id: a],
                makeContext(Actors.fin, Timeline.planIssued))
        else {
            Issue.record("FIN issued a plan"); return
        }
    }

    // A project withdrawn from the pool between compiling and issuing blocks the issue; nothing changes.
    @Test func issueRefusedWhenALineLeftTheReservePool() throws {
        let a = try Scenario.at(.reserve).project
        let plan = try compile([(a.id, a.totalInvestment)], [a]).get()
        var moved = a
        moved.stage = .terminated
        guard
            case .failure(.refused(let v)) = AnnualPlanRules.issue(
                try issuePayload(), plan: plan, projects: [a.id: moved],
                makeContext(Actors.drc, Timeline.planIssued))
        else {
            Issue.record("issued with a terminated project"); return
        }
        #expect(v.map(\.rule) == ["R-PLAN-1"])
    }
}
