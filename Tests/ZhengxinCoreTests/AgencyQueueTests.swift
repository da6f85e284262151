import Foundation
import Testing
@testable import ZhengxinCore

/// AgencyQueue: which decision steps wait on which agency, and when a project waits.
@Suite("Agency queue")
struct AgencyQueueTests {
    @Test("every decision step is in the catalog and is an agency's alone")
    func steps() {
        for name in AgencyQueue.decisionSteps {
            let spec = Lifecycle.rule(named: name)?.spec
            #expect(spec != nil, "\(name)")
            #expect(spec.map { !$0.actors.contains(.unit) && !$0.actors.contains(.vendor) } == true, "\(name)")
        }
        #expect(AgencyQueue.stages(for: .unit).isEmpty && AgencyQueue.stages(for: .vendor).isEmpty)
        #expect(AgencyQueue.stages(for: .bdb).isSuperset(of: [.declared, .techReview]))
        #expect(AgencyQueue.stages(for: .drc).isSuperset(of: [.pendingGovernment, .approving, .acceptanceApplied]))
        #expect(!AgencyQueue.stages(for: .drc).contains(.draft) && !AgencyQueue.stages(for: .bdb).contains(.draft))
    }

    @Test("a declared project waits on BDB only; in review it still does; in the reserve pool on nobody")
    func waiting() throws {
        var s = try Scenario.at(.declared)
        let open = { (actor: Actor, s: Scenario) in AgencyQueue.waiting(s.project, s.context(actor)).map(\.action) }
        #expect(open(Actors.bdb, s) == ["start-technical-review"])
        #expect(open(Actors.drc, s).isEmpty && open(Actors.fin, s).isEmpty && open(Actors.unit, s).isEmpty)
        try s.walk(to: .techReview)
        #expect(open(Actors.bdb, s) == ["issue-review-opinion"])
        try s.walk(to: .reserve)
        for agency in [Actors.drc, Actors.fin, Actors.bdb, Actors.aud] { #expect(open(agency, s).isEmpty, "\(agency.organisationType)") }
    }

    @Test("approving waits on DRC's 批复 (第十条)")
    func approving() throws {
        let s = try Scenario.at(.approving)
        let waiting = AgencyQueue.waiting(s.project, s.context(Actors.drc))
        #expect(waiting.map(\.action).contains("approve-document"))
        #expect(waiting.allSatisfy { $0.open && $0.unmetConditions.isEmpty })
    }

    @Test("a project under construction waits on DRC only while a filed change is unacknowledged (第十九条)")
    func changeFiling() throws {
        let s = try Scenario.at(.constructing)
        #expect(!AgencyQueue.waiting(s.project, s.context(Actors.drc)).map(\.action).contains("acknowledge-change-filing"))
        #expect(!AgencyQueue.hasMatter("acknowledge-change-filing", s.project, .drc))
        #expect(!AgencyQueue.hasMatter("approve-change", s.project, .drc))
        #expect(!AgencyQueue.hasMatter("approve-operations-fee", s.project, .fin))
        #expect(AgencyQueue.hasMatter("start-technical-review", s.project, .bdb))
    }

    @Test("an acceptance application waits on each signing agency until it has signed (第二十一条)")
    func signOff() throws {
        var s = try Scenario.at(.acceptanceApplied)
        #expect(AgencyQueue.hasMatter("sign-off-acceptance", s.project, .fin))
        s.project.acceptanceSignOffs.append(AcceptanceSignOff(agency: .fin, passed: true, opinion: "同意", signedOn: s.today, signedBy: UUID()))
        #expect(!AgencyQueue.hasMatter("sign-off-acceptance", s.project, .fin))
        #expect(AgencyQueue.hasMatter("sign-off-acceptance", s.project, .drc))
        #expect(!AgencyQueue.waiting(s.project, s.context(Actors.fin)).map(\.action).contains("sign-off-acceptance"))
    }
}
