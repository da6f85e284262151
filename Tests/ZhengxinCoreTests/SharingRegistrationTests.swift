import Foundation
import Testing

@testable import ZhengxinCore

/// R-SHR-3 (第二十八条, 第二十九条): registration on the city exchange platform, a condition of
/// acceptance (R-ACC-3), and 共享信息使用情况反馈.
@Suite("Exchange platform registration and usage feedback, R-SHR-3")
struct SharingRegistrationTests {
    // R-SHR-3 第二十八条: no catalog, nothing to register — refused with every other unmet item.
    @Test func registrationWithoutEntriesRefused() throws {
        var s = try Scenario.at(.constructing)
        let none = s.attempt("confirm-catalog-registration", by: Actors.bdb, SharingPayloads.registration(s.today))
        #expect(none.rules == ["R-SHR-3"])
        #expect(none.violations.first?.article == "第二十八条")
        let both = s.attempt("confirm-catalog-registration", by: Actors.bdb, SharingPayloads.registration(s.today, connected: false))
        #expect(both.violations.map(\.article) == ["第二十八条", "第二十九条"])
        let open = Lifecycle.availableActions(s.project, s.context(Actors.bdb)).first { $0.action == "confirm-catalog-registration" }
        #expect(open?.unmetConditions.map(\.rule) == ["R-SHR-3"])
        try s.act("add-catalog-entry", by: Actors.unit, SharingPayloads.entry())
        try s.act("withdraw-catalog-entry", by: Actors.unit, ["code": "ZZWJW-0001", "reason": "r"])
        #expect(
            s.attempt("confirm-catalog-registration", by: Actors.bdb, SharingPayloads.registration(s.today)).rules == ["R-SHR-3"],
            "withdrawn entries are no catalog")
        try s.act("add-catalog-entry", by: Actors.unit, SharingPayloads.entry(code: "B"))
        #expect(s.attempt("confirm-catalog-registration", by: Actors.bdb, SharingPayloads.registration(s.today)).isAccepted)
    }

    // R-SHR-3 + R-SHR-5: by default every active entry not touching secrets is registered, and recorded.
    @Test func registrationRecordsWhichEntries() throws {
        var s = try Scenario.at(.constructing)
        try s.act("add-catalog-entry", by: Actors.unit, SharingPayloads.entry(code: "A"))
        try s.act("add-catalog-entry", by: Actors.unit, SharingPayloads.entry(code: "S", sharing: .notShared, basis: "涉密", secret: true))
        try s.act("add-catalog-entry", by: Actors.unit, SharingPayloads.entry(code: "C", sharing: .conditional, basis: "依申请"))
        try s.act("withdraw-catalog-entry", by: Actors.unit, ["code": "C", "reason": "r"])
        try s.act("confirm-catalog-registration", by: Actors.bdb, SharingPayloads.registration(s.today))
        #expect(s.project.catalogRegistration?.platformId == "ZZ-DATA-001")
        #expect(s.project.sharing.entries.filter { $0.registration != nil }.map(\.code) == ["A"])
        try s.act("add-catalog-entry", by: Actors.unit, SharingPayloads.entry(code: "D"))
        try s.act("add-catalog-entry", by: Actors.unit, SharingPayloads.entry(code: "E"))
        let secret = s.attempt("confirm-catalog-registration", by: Actors.bdb, SharingPayloads.registration(s.today, codes: ["D", "S"]))
        #expect(secret.rules == ["R-SHR-5"])
        #expect(secret.violations.first?.field == "entryCodes[1]")
        #expect(
            s.attempt("confirm-catalog-registration", by: Actors.bdb, SharingPayloads.registration(s.today, codes: ["D", "C"])).violations
                .map(\.field)
                == ["entryCodes[1]"], "withdrawn entries cannot be registered")
        #expect(
            s.attempt("confirm-catalog-registration", by: Actors.bdb, SharingPayloads.registration(s.today, codes: [])).rules == ["INPUT"])
        try s.act("confirm-catalog-registration", by: Actors.bdb, SharingPayloads.registration(s.today, codes: ["D"]))
        #expect(s.project.sharing.entries.filter { $0.registration != nil }.map(\.code) == ["A", "D"])
    }

    // R-ACC-3 + R-SHR-3: registration is a condition of acceptance; an entry added after it must be registered too.
    @Test func acceptanceNeedsTheCurrentCatalogRegistered() throws {
        var s = try Scenario.at(.trialRunning)
        try s.prepareAcceptance()
        #expect(s.attempt("apply-for-acceptance", by: Actors.unit, on: Timeline.trialEnd).isAccepted)
        try s.act("add-catalog-entry", by: Actors.unit, SharingPayloads.entry(code: "LATE"))
        let d = s.attempt("apply-for-acceptance", by: Actors.unit, on: Timeline.trialEnd)
        #expect(d.rules == ["R-SHR-3"])
        #expect(d.violations.first?.message.contains("LATE") == true)
        try s.act(
            "add-catalog-entry", by: Actors.unit, SharingPayloads.entry(code: "SECRET", sharing: .notShared, basis: "涉密", secret: true))
        try s.act("confirm-catalog-registration", by: Actors.bdb, SharingPayloads.registration(s.today))
        #expect(
            s.attempt("apply-for-acceptance", by: Actors.unit, on: Timeline.trialEnd).isAccepted, "secret entries never go on the platform")
    }

    // R-SHR-3: registration stays possible in operation, for the catalog kept current (第二十八条).
    @Test func registrationInOperation() throws {
        var s = try Scenario.at(.accepted)
        try s.act("add-catalog-entry", by: Actors.unit, SharingPayloads.entry(code: "NEW"))
        try s.act("confirm-catalog-registration", by: Actors.bdb, SharingPayloads.registration(s.today, codes: ["NEW"]))
        #expect(s.project.sharing.entry(code: "NEW")?.registration != nil)
    }

    // 共享信息使用情况反馈 第二十八条: by the unit or an agency; on a shared, active entry; dated, not in the future.
    @Test func usageFeedback() throws {
        var s = try Scenario.at(.trialRunning)
        let payload: JSON = [
            "entryCode": "ZZWJW-0001", "usedOn": s.today.json, "consumer": "市民政局", "purpose": "低保资格核验", "outcome": "satisfied",
        ]
        #expect(s.attempt("record-sharing-feedback", by: Actors.bdb, payload).rules == ["R-SHR-3"], "no shared entry yet")
        try s.act("add-catalog-entry", by: Actors.unit, SharingPayloads.entry())
        try s.act("add-catalog-entry", by: Actors.unit, SharingPayloads.entry(code: "NS", sharing: .notShared, basis: "依法不予共享"))
        for actor in [Actors.aud, Actors.vendor, Actors.otherUnit] {
            #expect(s.attempt("record-sharing-feedback", by: actor, payload).isForbidden)
        }
        var notShared = payload
        notShared["entryCode"] = "NS"
        #expect(s.attempt("record-sharing-feedback", by: Actors.bdb, notShared).rules == ["R-SHR-3"])
        var unknown = payload
        unknown["entryCode"] = "NOPE"
        #expect(s.attempt("record-sharing-feedback", by: Actors.bdb, unknown).violations.map(\.field) == ["entryCode"])
        var future = payload
        future["usedOn"] = s.today.addingDays(1).json
        #expect(s.attempt("record-sharing-feedback", by: Actors.bdb, future).violations.map(\.field) == ["usedOn"])
        var badOutcome = payload
        badOutcome["outcome"] = "great"
        #expect(s.attempt("record-sharing-feedback", by: Actors.bdb, badOutcome).violations.map(\.field) == ["outcome"])
        try s.act("record-sharing-feedback", by: Actors.bdb, payload)
        var partly = payload
        partly["outcome"] = "partlySatisfied"
        partly["comment"] = "部分字段缺失"
        try s.act("record-sharing-feedback", by: Actors.unit, partly)
        #expect(s.project.sharing.feedback.map(\.number) == [1, 2])
        #expect(s.project.sharing.feedback.map(\.recordedByOrganisationType) == [.bdb, .unit])
        #expect(s.project.sharing.feedback[1].comment == "部分字段缺失")
        #expect(s.project.sharing.feedback[0].consumer == "市民政局")
        try s.act("withdraw-catalog-entry", by: Actors.unit, ["code": "ZZWJW-0001", "reason": "r"])
        #expect(s.attempt("record-sharing-feedback", by: Actors.drc, payload).rules == ["R-SHR-3"])
    }

    // Feedback belongs to the phase of use (第二十八条): from the trial run on.
    @Test func feedbackStages() throws {
        var s = try Scenario.at(.completed)
        try s.act("add-catalog-entry", by: Actors.unit, SharingPayloads.entry())
        let d = s.attempt(
            "record-sharing-feedback", by: Actors.bdb,
            ["entryCode": "ZZWJW-0001", "usedOn": s.today.json, "consumer": "c", "purpose": "p", "outcome": "satisfied"])
        #expect(d.rules == [Lifecycle.stageRule])
    }
}
