import Foundation
import Testing

@testable import ZhengxinCore

/// The queues: which matter waits on which organisation, at the boundary where it starts and the
/// one where it ends.
@Suite("Agency and unit queues")
struct AgencyQueueTests {
    static func kinds(_ s: Scenario, _ actor: Actor) -> [MatterKind] { AgencyQueue.waiting(s.project, s.context(actor)).map(\.kind) }
    static let agencies = [Actors.drc, Actors.fin, Actors.bdb, Actors.aud]

    @Test("every kind has owners, an article, stages, and an action of the catalog its owners take")
    func kindsAreWellFormed() {
        for kind in MatterKind.allCases {
            #expect(!kind.owners.isEmpty && kind.article.hasPrefix("第") && !kind.stages.isEmpty, "\(kind)")
            if let action = kind.action {
                let spec = Lifecycle.rule(named: action)?.spec
                #expect(spec != nil, "\(kind)")
                #expect(spec.map { $0.actors.isSuperset(of: kind.owners) } == true, "\(kind): \(action)")
                #expect(kind.anchor == "action-" + action)
            }
        }
        #expect(AgencyQueue.stages(for: .vendor).isEmpty && MatterKind.owned(by: .vendor).isEmpty)
        #expect(AgencyQueue.stages(for: .drc).isSuperset(of: [.pendingGovernment, .reserve, .approving, .approved, .acceptanceApplied]))
        #expect(
            AgencyQueue.stages(for: .bdb).isSuperset(of: [.declared, .techReview]) && !AgencyQueue.stages(for: .bdb).contains(.reserve))
        #expect(!AgencyQueue.stages(for: .drc).contains(.draft) && AgencyQueue.stages(for: .unit).contains(.draft))
        #expect(AgencyQueue.stages(for: .aud).isEmpty && AgencyQueue.watchesFindings(.aud) && AgencyQueue.watchesFindings(.unit))
    }

    @Test("declared and in review: BDB's; pending government: DRC's; nobody else's")
    func review() throws {
        var s = try Scenario.at(.declared)
        #expect(Self.kinds(s, Actors.bdb) == [.reviewIntake])
        #expect(Self.kinds(s, Actors.drc).isEmpty && Self.kinds(s, Actors.fin).isEmpty && Self.kinds(s, Actors.unit).isEmpty)
        try s.walk(to: .techReview)
        #expect(Self.kinds(s, Actors.bdb) == [.reviewOpinion])
        try s.walk(to: .pendingGovernment)
        #expect(Self.kinds(s, Actors.drc) == [.reserveAdmission] && Self.kinds(s, Actors.bdb).isEmpty)
        let matter = try #require(AgencyQueue.waiting(s.project, s.context(Actors.drc)).first)
        #expect(matter.article == "第八条" && matter.anchor == "action-admit-to-reserve-pool")
    }

    @Test("in the reserve pool the project waits on DRC's annual plan (第八条) until the plan is issued; then on the unit's application")
    func reservePool() throws {
        var s = try Scenario.at(.reserve)
        #expect(Self.kinds(s, Actors.drc) == [.annualPlan])
        let matter = try #require(AgencyQueue.waiting(s.project, s.context(Actors.drc)).first)
        #expect(matter.title.contains("2027年度计划") && matter.article == "第八条")
        for agency in [Actors.fin, Actors.bdb, Actors.aud, Actors.unit] {
            #expect(Self.kinds(s, agency).isEmpty, "\(agency.organisationType)")
        }
        // A DRC user without 经办 role takes no decision: nothing waits on them.
        #expect(
            AgencyQueue.waiting(s.project, s.context(makeActor(.drc, org: Actors.drc.organisationId, user: 40, roles: [.viewer]))).isEmpty)
        try s.walk(to: .planned)
        #expect(Self.kinds(s, Actors.drc).isEmpty && Self.kinds(s, Actors.unit) == [.approvalApplication])
    }

    @Test("approving: the unit owes the next document; once it is in, DRC owes the 批复 (第十条)")
    func approving() throws {
        var s = try Scenario.at(.planned, NewProject(total: Fen(yuan: 20_000_000)))
        #expect(AgencyQueue.waiting(s.project, s.context(Actors.unit)).first?.title == "提交「可行性研究报告」并提出项目审批申请")
        try s.attach(.feasibilityStudy)
        try s.act("apply-for-approval", by: Actors.unit)
        #expect(Self.kinds(s, Actors.drc) == [.approval])
        #expect(AgencyQueue.waiting(s.project, s.context(Actors.drc)).first?.title == "批复「可行性研究报告」")
        #expect(Self.kinds(s, Actors.unit).isEmpty)
        try s.act(
            "approve-document", by: Actors.drc, Payloads.approval(.feasibilityStudy, amount: s.project.totalInvestment),
            on: Timeline.approvedOn)
        #expect(Self.kinds(s, Actors.drc).isEmpty)
        #expect(AgencyQueue.waiting(s.project, s.context(Actors.unit)).map(\.title) == ["提交「初步设计」,等待批复"])
        #expect(AgencyQueue.waiting(s.project, s.context(Actors.unit)).first?.anchor == "docs-heading")
        try s.attach(.preliminaryDesign)
        #expect(Self.kinds(s, Actors.drc) == [.approval] && Self.kinds(s, Actors.unit).isEmpty)
    }

    @Test("approved: DRC owes the first fund plan, FIN the disbursement up to it, and no more (第十一条)")
    func funding() throws {
        var s = try Scenario.at(.approved)
        #expect(Self.kinds(s, Actors.drc) == [.fundPlan] && Self.kinds(s, Actors.fin).isEmpty)
        try s.act(
            "issue-fund-plan", by: Actors.drc, ["amountFen": 1_000_000_00, "documentNumber": "郑发改投资〔2027〕3号", "issuedOn": s.today.json])
        #expect(!Self.kinds(s, Actors.drc).contains(.fundPlan) && Self.kinds(s, Actors.fin) == [.disbursement])
        try s.act("disburse", by: Actors.fin, ["amountFen": 999_999_99, "paidOn": s.today.json, "voucherNumber": "BF-1"])
        #expect(Self.kinds(s, Actors.fin) == [.disbursement])  // one fen still to pay
        try s.act("disburse", by: Actors.fin, ["amountFen": 1, "paidOn": s.today.json, "voucherNumber": "BF-2"])
        #expect(Self.kinds(s, Actors.fin).isEmpty)
    }

    @Test("an acceptance application waits on each signing agency until it has signed (第二十一条); then the report filing on the unit")
    func acceptance() throws {
        var s = try Scenario.at(.trialRunning)
        #expect(Self.kinds(s, Actors.unit).contains(.acceptanceApplication))
        try s.walk(to: .acceptanceApplied)
        for agency in [Actors.drc, Actors.fin, Actors.bdb] { #expect(Self.kinds(s, agency).contains(.acceptanceSignOff)) }
        #expect(!Self.kinds(s, Actors.aud).contains(.acceptanceSignOff))
        try s.signOff(by: Actors.fin)
        #expect(!Self.kinds(s, Actors.fin).contains(.acceptanceSignOff) && Self.kinds(s, Actors.drc).contains(.acceptanceSignOff))
        try s.signOff(by: Actors.drc)
        try s.signOff(by: Actors.bdb)
        #expect(s.project.stage == .accepted && Self.kinds(s, Actors.unit).contains(.acceptanceReport))
    }

    @Test("a finding waits on the unit until it reports, then on the agency that raised it, not another (第三十五条、第三十六条)")
    func findings() throws {
        var s = try Scenario.at(.constructing)
        #expect(!Self.kinds(s, Actors.unit).contains(.rectificationReport))
        try s.inspect(by: Actors.fin, deadlines: [s.today.addingDays(10)])
        let owed = try #require(AgencyQueue.waiting(s.project, s.context(Actors.unit)).first { $0.kind == .rectificationReport })
        #expect(owed.title.contains("第1号") && owed.anchor == "action-report-rectification" && owed.article == "第三十五条")
        for agency in Self.agencies { #expect(!Self.kinds(s, agency).contains(.findingReview), "\(agency.organisationType)") }
        try s.reportRectification(1)
        #expect(!Self.kinds(s, Actors.unit).contains(.rectificationReport))
        #expect(Self.kinds(s, Actors.fin).contains(.findingReview))
        for agency in [Actors.drc, Actors.bdb, Actors.aud] {
            #expect(!Self.kinds(s, agency).contains(.findingReview), "\(agency.organisationType)")
        }
        try s.act("close-finding", by: Actors.fin, ["findingNumber": 1, "note": "整改到位"])
        #expect(!Self.kinds(s, Actors.fin).contains(.findingReview))
    }

    @Test("a 涉密 project waits on nobody who is not named on it; another unit owes nothing on it")
    func classified() throws {
        var s = try Scenario.at(.reserve, NewProject(classified: true))
        #expect(s.project.classifiedAccess.isEmpty || !s.project.classifiedAccess.contains(Actors.drc.userId))
        #expect(Self.kinds(s, Actors.drc).isEmpty)
        try s.act("grant-classified-access", by: Actors.unit, ["userId": Actors.drc.userId.uuidString])
        #expect(Self.kinds(s, Actors.drc) == [.annualPlan])
        #expect(Self.kinds(s, Actors.otherUnit).isEmpty)
    }
    /// What WaitingOwners stores for `actor`: its type's matters, and its own organisation's
    /// finding reviews (the rows a home page of that organisation reads).
    static func stored(_ s: Scenario, _ actor: Actor) -> [MatterKind] {
        WaitingOwners.of(s.project, policy: s.context(actor).policy, now: s.context(actor).now)
            .filter { $0.owner == actor.organisationType && ($0.organisationId == nil || $0.organisationId == actor.organisationId) }
            .filter { $0.owner != .unit || s.project.unitId == actor.organisationId }
            .flatMap(\.matters).map(\.kind)
    }

    @Test("what is stored for each organisation at write time is what its staff would be shown, at every step")
    func storedAgreesWithTheQueue() throws {
        let otherFin = makeActor(.fin, org: UUID(), user: 41, roles: [.staff])
        var checked = 0
        func agree(_ s: Scenario, _ step: String) {
            for actor in Self.agencies + [Actors.unit, Actors.otherUnit, otherFin] {
                #expect(
                    Set(Self.stored(s, actor)) == Set(Self.kinds(s, actor)),
                    "\(step): \(actor.organisationType) \(Self.stored(s, actor)) against \(Self.kinds(s, actor))")
                checked += 1
            }
        }
        var s = try Scenario.at(.declared)
        for stage in [Stage.techReview, .pendingGovernment, .reserve, .planned] {
            try s.walk(to: stage)
            agree(s, stage.rawValue)
        }
        var building = try Scenario.at(.constructing)
        try building.inspect(by: Actors.fin, deadlines: [building.today.addingDays(10)])
        agree(building, "finding raised")
        try building.reportRectification(1)
        agree(building, "finding reported")
        #expect(Self.stored(building, Actors.fin).contains(.findingReview) && !Self.stored(building, otherFin).contains(.findingReview))
        var accepting = try Scenario.at(.acceptanceApplied)
        agree(accepting, "acceptance applied")
        try accepting.signOff(by: Actors.fin)
        agree(accepting, "FIN signed")
        #expect(checked == 56)
    }
}
