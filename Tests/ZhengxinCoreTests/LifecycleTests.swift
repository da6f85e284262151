import Foundation
import Testing

@testable import ZhengxinCore

/// The lifecycle and who may act: each transition is one action by one role; refusals list every unmet
/// condition; the explanations: which actions are open now and what blocks the others.
@Suite("Lifecycle")
struct LifecycleTests {
    // §1 (第五条): agencies take only their own actions.
    @Test func anotherAgencysActionIsForbidden() throws {
        let approving = try Scenario.at(.approving)
        for agency in [Actors.fin, Actors.bdb, Actors.aud, Actors.unit, Actors.vendor] {
            #expect(approving.attempt("approve-document", by: agency, Payloads.approval(.implementationPlan, amount: Fen(1))).isForbidden)
        }
        let draft = try Scenario.draft()
        #expect(draft.attempt("declare", by: Actors.drc).isForbidden)
    }

    // §1 (第三条): a unit acts only on its own organisation's projects.
    @Test func anotherUnitsProjectIsForbidden() throws {
        let s = try Scenario.draft()
        #expect(s.attempt("declare", by: Actors.otherUnit).isForbidden)
        let entry = Lifecycle.availableActions(s.project, s.context(Actors.otherUnit)).first { $0.action == "declare" }
        #expect(entry?.allowedForCaller == false)
        #expect(entry?.open == false)
    }

    // §1: viewers and the three administrators (三权分立) take no business actions.
    @Test(arguments: [
        Actors.unitViewer, Actors.drcSystemAdmin, makeActor(.unit, org: Orgs.unit, user: 70, roles: [.securityAdmin, .auditAdmin]),
    ])
    func nonStaffAccountsAreForbidden(_ actor: Actor) throws {
        let s = try Scenario.draft()
        #expect(s.attempt("declare", by: actor).isForbidden)
        #expect(s.attempt("update", by: actor, Payloads.draft(NewProject())).isForbidden)
        #expect(Lifecycle.availableActions(s.project, s.context(actor)).allSatisfy { !$0.allowedForCaller && !$0.open })
    }

    // A caller who may not act learns nothing about the payload.
    @Test func forbiddenIsDecidedBeforeAnythingElse() throws {
        let s = try Scenario.draft()
        #expect(s.attempt("approve-document", by: Actors.fin, ["nonsense": true]).isForbidden)
        #expect(s.attempt("withdraw", by: Actors.otherUnit, ["nonsense": true]).isForbidden)
    }

    // An out-of-order action is a stage violation ("R-STAGE") citing the action's article.
    @Test func outOfOrderActionIsAStageViolation() throws {
        let s = try Scenario.draft()
        let d = s.attempt("approve-document", by: Actors.drc, Payloads.approval(.implementationPlan, amount: Fen(1), on: s.today))
        #expect(d.rules.first == Lifecycle.stageRule)
        #expect(d.violations.first?.article == ApproveDocument.spec.article)
        #expect(RefusalKind(d.violations) == .wrongStage)
        let early = s.attempt("start-technical-review", by: Actors.bdb)
        #expect(early.rules == [Lifecycle.stageRule])
        let constructing = try Scenario.at(.constructing)
        #expect(constructing.attempt("start-procurement", by: Actors.unit).rules == [Lifecycle.stageRule])
        #expect(constructing.attempt("declare", by: Actors.unit).rules == [Lifecycle.stageRule])
    }

    // A malformed request is answered with its input errors alone, even in the wrong stage.
    @Test func inputErrorsAreReportedAlone() throws {
        let s = try Scenario.draft()
        let d = s.attempt("approve-document", by: Actors.drc, Payloads.approval(.implementationPlan, amount: Fen(-5), on: s.today))
        #expect(d.rules == ["INPUT"])
        #expect(RefusalKind(d.violations) == .invalidInput)
        #expect(RefusalKind([Violation(rule: "R-FUND-1", article: "第十一条", message: "m"), .input("x", "m")]) == .ruleViolation)
    }

    // Every refused request changes nothing.
    @Test func refusedChangesNothing() throws {
        let s = try Scenario.at(.procuring)
        let before = s.project
        #expect(s.attempt("start-construction", by: Actors.unit, ["startedOn": s.today.json]).isRefused)
        #expect(s.project == before)
    }

    // §4 Explanations: a blocked action is listed with all its unmet conditions and open == false.
    @Test func availableActionsListBlockedActionWithAllUnmetConditions() throws {
        let s = try Scenario.at(.procuring)
        let forUnit = Lifecycle.availableActions(s.project, s.context(Actors.unit))
        let start = try #require(forUnit.first { $0.action == "start-construction" })
        #expect(start.allowedForCaller)
        #expect(!start.open)
        #expect(start.unmetConditions.map(\.rule) == ["R-CON-1", "R-CON-2", "R-CON-3", "R-CON-4"])
        #expect(start.actors == ["UNIT"])
        #expect(start.article == "第十二条")
        let procurement = try #require(forUnit.first { $0.action == "record-procurement" })
        #expect(procurement.open)
        #expect(!forUnit.contains { $0.action == "declare" }, "only actions of the current stage")
        let forDRC = Lifecycle.availableActions(s.project, s.context(Actors.drc))
        let startForDRC = try #require(forDRC.first { $0.action == "start-construction" })
        #expect(!startForDRC.allowedForCaller && !startForDRC.open)
        #expect(startForDRC.unmetConditions.count == 4, "conditions are shown to everyone who can see the project")
    }

    // Explanations: the view lists the same conditions the action checks.
    @Test func availableActionsAgreeWithPerform() throws {
        let s = try Scenario.at(.trialRunning)
        for entry in Lifecycle.availableActions(s.project, s.context(Actors.unit)) where entry.allowedForCaller && !entry.open {
            let rule = try #require(Lifecycle.rule(named: entry.action))
            #expect(rule.conditions(s.project, s.context(Actors.unit)) == entry.unmetConditions)
        }
        let late = s.context(Actors.unit, on: Timeline.trialEnd)
        let apply = try #require(Lifecycle.availableActions(s.project, late).first { $0.action == "apply-for-acceptance" })
        #expect(apply.unmetConditions.map(\.rule) == ["R-ACC-3", "R-ACC-3", "R-ACC-3", "R-ACC-3", "R-SHR-3", "R-SEC-3"])
    }

    // The catalog: unique wire names, every action owned, staged and citing an article.
    @Test func catalogNamesAreUniqueAndSpecsComplete() {
        let names = Lifecycle.catalog.map(\.spec.name)
        #expect(Set(names).count == names.count)
        for rule in Lifecycle.catalog {
            #expect(Lifecycle.rule(named: rule.spec.name)?.spec == rule.spec)
            #expect(!rule.spec.actors.isEmpty)
            #expect(!rule.spec.stages.isEmpty)
            #expect(rule.spec.rule.hasPrefix("R-"))
            #expect(rule.spec.article.hasPrefix("第") && rule.spec.article.hasSuffix("条"))
            // 市审计局 acts only in supervision (R-SUP-1 audits, R-SUP-3 referrals).
            #expect(
                !rule.spec.actors.contains(.vendor) && (!rule.spec.actors.contains(.aud) || rule.spec.rule.hasPrefix("R-SUP-")),
                "\(rule.spec.name)")
        }
        #expect(Lifecycle.rule(named: "no-such-action") == nil)
        #expect(
            Lifecycle.perform(action: "no-such-action", body: Data(), on: Self.dummy, makeContext(Actors.unit, Timeline.created)) == nil)
    }

    // Closed stages: nothing but nothing is open after termination or withdrawal.
    @Test(arguments: [Stage.terminated, .withdrawn, .rejected])
    func closedStagesOfferNoActions(_ stage: Stage) {
        var p = Self.dummy
        p.stage = stage
        for actor in [Actors.unit, Actors.drc, Actors.fin, Actors.bdb] {
            #expect(
                Lifecycle.availableActions(p, makeContext(actor, Timeline.created)).allSatisfy {
                    $0.action == "disburse" || ($0.action == "refer-for-accountability" && stage == .terminated)
                })
        }
    }

    static let dummy = ProjectRecord(
        id: UUID(), code: "ZZ-2027-0009", name: "p", unitId: Orgs.unit, source: .unitDeclaration, planYear: 2027,
        category: .network, totalInvestment: Fen(1), content: "c", goals: "g", classified: false,
        simpleContentRequested: false, ownInfrastructure: nil, nationalCode: nil,
        policyId: Policy.zhengzhou2020.id, createdOn: Timeline.created, createdBy: Actors.unit.userId)
}
