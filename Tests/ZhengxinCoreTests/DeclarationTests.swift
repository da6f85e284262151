import Foundation
import Testing

@testable import ZhengxinCore

/// Generation and declaration: R-GEN-1 (第六条), R-DEC-1 (第七条), R-REV-2 at declaration (第二十七条).
@Suite("Declaration, R-DEC-1 第七条")
struct DeclarationTests {
    static let lastSecond = CivilDate(2026, 6, 30)
    static let firstLateDay = CivilDate(2026, 7, 1)

    // R-DEC-1 第七条: plan year 2027 closes at 2026-06-30 24:00 Beijing time.
    @Test func unitDeclarationAtLastSecondOfThirtiethJuneAccepted() throws {
        let s = try Scenario.draft()
        let d = Lifecycle.perform(Declare.self, EmptyPayload(), on: s.project, makeContext(Actors.unit, Self.lastSecond, 23, 59, 59))
        let p = try #require(d.project)
        #expect(p.stage == .declared)
        #expect(p.declaredAt == Instant(beijing: Self.lastSecond, hour: 23, minute: 59, second: 59))
    }

    // R-DEC-1 第七条: one second later (00:00:00 on 1 July, i.e. 16:00:00Z on 30 June) is late.
    @Test func unitDeclarationAtMidnightFirstJulyRefused() throws {
        let s = try Scenario.draft()
        let d = Lifecycle.perform(Declare.self, EmptyPayload(), on: s.project, makeContext(Actors.unit, Self.firstLateDay, 0, 0, 0))
        #expect(d.rules == ["R-DEC-1"])
        #expect(d.violations.first?.article == "第七条")
    }

    // R-DEC-1 第七条: DRC's exception with a reason lets the late declaration through.
    @Test func lateDeclarationAcceptedAfterDRCException() throws {
        var s = try Scenario.draft()
        #expect(s.attempt("declare", by: Actors.unit, on: CivilDate(2026, 7, 2)).rules == ["R-DEC-1"])
        try s.act("record-declaration-exception", by: Actors.drc, ["reason": "市委新部署,确需纳入2027年度"], on: CivilDate(2026, 7, 2))
        #expect(s.project.declarationException?.recordedBy == Actors.drc.userId)
        try s.act("declare", by: Actors.unit, on: CivilDate(2026, 7, 3))
        #expect(s.project.stage == .declared)
    }

    // R-DEC-1: the exception is DRC's, needs a reason, and is recorded once.
    @Test func declarationExceptionIsDRCsWithReasonOnce() throws {
        var s = try Scenario.draft()
        #expect(s.attempt("record-declaration-exception", by: Actors.unit, ["reason": "r"]).isForbidden)
        let blank = s.attempt("record-declaration-exception", by: Actors.drc, ["reason": "  "])
        #expect(blank.rules == ["INPUT"])
        #expect(blank.violations.first?.field == "reason")
        try s.act("record-declaration-exception", by: Actors.drc, ["reason": "理由"])
        #expect(s.attempt("record-declaration-exception", by: Actors.drc, ["reason": "again"]).rules == ["R-DEC-1"])
    }

    // R-DEC-1 (interpretation): 上级要求 and 市政府决定 projects may be declared at any time.
    @Test(arguments: [ProjectSource.superiorRequirement, .municipalDecision])
    func nonUnitSourcesDeclaredAnyTime(_ source: ProjectSource) throws {
        let s = try Scenario.draft(NewProject(source: source))
        let d = Lifecycle.perform(Declare.self, EmptyPayload(), on: s.project, makeContext(Actors.unit, CivilDate(2027, 9, 1)))
        #expect(d.project?.stage == .declared)
    }

    // R-REV-2 第二十七条: a project building its own infrastructure needs a justification and a sharing plan.
    @Test func ownInfrastructureWithoutJustificationRefusedAtDeclare() throws {
        let own = OwnInfrastructure(items: ["机房"], justification: " ", sharingPlan: "接入共享交换平台")
        let s = try Scenario.draft(NewProject(ownInfrastructure: own))
        let d = s.attempt("declare", by: Actors.unit)
        #expect(d.rules == ["R-REV-2"])
        #expect(d.violations.first?.article == "第二十七条")
    }

    // R-DEC-1 第七条 + R-REV-2 第二十七条: all unmet conditions at once.
    @Test func ownInfrastructureMissingBothAndLateListsAllThree() throws {
        let own = OwnInfrastructure(items: ["存储"], justification: "", sharingPlan: "")
        let s = try Scenario.draft(NewProject(ownInfrastructure: own))
        #expect(s.attempt("declare", by: Actors.unit, on: Self.firstLateDay).rules.sorted() == ["R-DEC-1", "R-REV-2", "R-REV-2"])
    }

    // R-REV-2 第二十七条: with justification and sharing plan the declaration goes through.
    @Test func ownInfrastructureWithJustificationAndPlanAccepted() throws {
        let own = OwnInfrastructure(items: ["计算资源"], justification: "涉及专网,不能上政务云", sharingPlan: "数据经交换平台共享")
        var s = try Scenario.draft(NewProject(ownInfrastructure: own))
        try s.act("declare", by: Actors.unit)
    }

    // R-GEN-1 第六条 / 第三条: units create projects; the draft's fields are checked.
    @Test func creationIsForUnitsOnly() throws {
        let draft = try decode(ProjectDraft.self, Payloads.draft(NewProject()))
        for actor in [Actors.drc, Actors.fin, Actors.bdb, Actors.aud, Actors.vendor, Actors.unitViewer] {
            guard case .failure(.forbidden) = ProjectCreation.create(draft, id: UUID(), code: "X", makeContext(actor, Timeline.created))
            else {
                Issue.record("\(actor.displayName) could create a project"); continue
            }
        }
    }

    // R-GEN-1 第六条: malformed draft fields are INPUT errors, all listed.
    @Test func creationRefusesBadFieldsAllAtOnce() throws {
        var json = Payloads.draft(NewProject(total: Fen(0), planYear: 1999))
        json["name"] = ""
        json["nationalCode"] = "123"
        let draft = try decode(ProjectDraft.self, json)
        guard
            case .failure(.refused(let violations)) = ProjectCreation.create(
                draft, id: UUID(), code: "X", makeContext(Actors.unit, Timeline.created))
        else {
            Issue.record("bad draft accepted"); return
        }
        #expect(violations.allSatisfy { $0.isInputError })
        #expect(Set(violations.compactMap(\.field)) == ["name", "totalInvestmentFen", "planYear", "nationalCode"])
    }

    // R-GEN-1 第六条 / R-CON-5 第十七条: the draft is the unit's; a 涉密 draft is visible to its creator.
    @Test func createdDraftBelongsToTheUnitAndClassifiedIsVisibleToCreator() throws {
        let s = try Scenario.draft(NewProject(classified: true))
        #expect(s.project.stage == .draft)
        #expect(s.project.unitId == Orgs.unit)
        #expect(s.project.classifiedAccess == [Actors.unit.userId])
        #expect(s.project.policyId == Policy.zhengzhou2020.id)
    }

    // R-CHG-1 第十九条: content changes freely only before declaration.
    @Test func updateOnlyInDraftOrReturned() throws {
        var s = try Scenario.draft()
        var json = Payloads.draft(NewProject(total: Fen(yuan: 6_000_000)))
        try s.act("update", by: Actors.unit, json)
        #expect(s.project.totalInvestment == Fen(yuan: 6_000_000))
        try s.act("declare", by: Actors.unit)
        json["goals"] = "新目标"
        #expect(s.attempt("update", by: Actors.unit, json).rules == [Lifecycle.stageRule])
    }

    // R-DEC-1 第七条: a declaration is withdrawn before review starts, not after.
    @Test func withdrawFromDraftOrDeclaredOnly() throws {
        var s = try Scenario.at(.declared)
        try s.act("withdraw", by: Actors.unit, ["reason": "需求变化"])
        #expect(s.project.stage == .withdrawn)
        let reviewing = try Scenario.at(.techReview)
        #expect(reviewing.attempt("withdraw", by: Actors.unit, ["reason": "x"]).rules == [Lifecycle.stageRule])
    }

    // R-CON-5 第十七条: a 涉密 project cannot be made ordinary by editing it; an ordinary one may become 涉密.
    @Test func classifiedMarkCannotBeClearedByAnEdit() throws {
        var s = try Scenario.draft(NewProject(classified: true))
        var draft = Payloads.draft(NewProject(classified: true))
        draft["classified"] = false
        let refused = s.attempt("update", by: Actors.unit, draft)
        #expect(refused.rules == ["R-CON-5"])
        #expect(refused.violations.first?.field == "classified")
        draft["classified"] = true
        try s.act("update", by: Actors.unit, draft)
        var open = try Scenario.draft()
        var secret = Payloads.draft(NewProject())
        secret["classified"] = true
        try open.act("update", by: Actors.unit, secret)
        #expect(open.project.classified)
    }
}
