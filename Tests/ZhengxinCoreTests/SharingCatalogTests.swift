import Foundation
import Testing

@testable import ZhengxinCore

/// A catalog entry body that passes: unconditionally shared, not opened, by interface.
enum SharingPayloads {
    static func entry(
        code: String = "ZZWJW-0001", name: String = "居民电子健康档案", sharing: SharingType = .unconditional,
        basis: String? = nil, open: OpenType = .notOpen, openTo: [String]? = nil, openConditions: String? = nil,
        method: SharingMethod = .api, secret: Bool? = nil, frequency: UpdateFrequency = .daily
    ) -> JSON {
        var j: JSON = [
            "code": code, "name": name, "provider": "市卫生健康委", "summary": "全市居民电子健康档案基本信息",
            "format": "数据库", "dataItems": [["name": "姓名", "dataType": "字符型"], ["name": "身份证号"], ["name": "建档日期", "dataType": "日期型"]],
            "sharingType": sharing.rawValue, "openType": open.rawValue, "updateFrequency": frequency.rawValue,
            "sharingMethod": method.rawValue,
        ]
        if let basis { j["sharingBasis"] = basis }
        if let openTo { j["openTo"] = openTo }
        if let openConditions { j["openConditions"] = openConditions }
        if let secret { j["involvesSecrets"] = secret }
        return j
    }

    static func registration(_ date: CivilDate, codes: [String]? = nil, connected: Bool = true) -> JSON {
        var j: JSON = ["platformId": "ZZ-DATA-001", "registeredOn": date.json, "connectedToExchangePlatform": connected]
        if let codes { j["entryCodes"] = codes }
        return j
    }
}

/// 信息资源目录: R-SHR-1 (第二十六条, 第二十七条), R-SHR-2 (第二十八条), R-SHR-5 (第三十条).
@Suite("Information resource catalog, R-SHR-1/2/5")
struct SharingCatalogTests {
    // R-SHR-1 第二十六条: every field is recorded, trimmed; the unit's, dated today.
    @Test func entryRecordsEveryField() throws {
        var s = try Scenario.at(.approved)
        try s.act(
            "add-catalog-entry", by: Actors.unit,
            SharingPayloads.entry(
                sharing: .conditional, basis: "  仅限卫生健康业务使用  ",
                open: .conditional, openConditions: "经申请审核", method: .table))
        let e = try #require(s.project.sharing.entries.first)
        #expect(e.code == "ZZWJW-0001")
        #expect(e.fields.provider == "市卫生健康委")
        #expect(e.fields.dataItems.map(\.name) == ["姓名", "身份证号", "建档日期"])
        #expect(e.fields.dataItems[1].dataType == nil)
        #expect(e.fields.sharingBasis == "仅限卫生健康业务使用")
        #expect(e.fields.openConditions == "经申请审核")
        #expect(e.fields.sharingMethod == .table)
        #expect(e.fields.updateFrequency == .daily)
        #expect(e.addedOn == s.today)
        #expect(e.registration == nil && e.withdrawal == nil && !e.involvesSecrets)
    }

    // R-SHR-1: only the unit, only its own project, only with 经办 rights.
    @Test func onlyTheOwningUnitKeepsTheCatalog() throws {
        let s = try Scenario.at(.constructing)
        for actor in [Actors.drc, Actors.fin, Actors.bdb, Actors.aud, Actors.vendor, Actors.otherUnit, Actors.unitViewer] {
            #expect(s.attempt("add-catalog-entry", by: actor, SharingPayloads.entry()).isForbidden, "\(actor.displayName)")
        }
    }

    // R-SHR-1: from approval (第十条, 第二十六条) through operation (第二十八条); not before, not after termination.
    @Test(arguments: Scenario.order)
    func catalogStages(_ stage: Stage) throws {
        let s = try Scenario.at(stage)
        let d = s.attempt("add-catalog-entry", by: Actors.unit, SharingPayloads.entry(code: "STAGE-1"))
        #expect(d.isAccepted == stage.isPostApproval, "\(stage)")
        if !stage.isPostApproval { #expect(d.rules == [Lifecycle.stageRule]) }
        var ended = s
        ended.project.stage = .terminated
        #expect(ended.attempt("add-catalog-entry", by: Actors.unit, SharingPayloads.entry(code: "STAGE-1")).rules == [Lifecycle.stageRule])
    }

    // R-SHR-1 第二十七条: a basis is required exactly for 有条件共享 and 不予共享; blank counts as missing.
    @Test(arguments: SharingType.allCases)
    func basisRequiredExactlyForConditionalAndNotShared(_ type: SharingType) throws {
        let s = try Scenario.at(.approved)
        for missing in [nil, "", "   "] as [String?] {
            let d = s.attempt("add-catalog-entry", by: Actors.unit, SharingPayloads.entry(sharing: type, basis: missing))
            if type == .unconditional {
                #expect(d.isAccepted)
            } else {
                #expect(d.rules == ["R-SHR-1"])
                #expect(d.violations.first?.article == "第二十七条")
                #expect(d.violations.first?.field == "sharingBasis")
            }
        }
        let stated = try #require(
            s.attempt("add-catalog-entry", by: Actors.unit, SharingPayloads.entry(sharing: type, basis: "《数据安全法》第三十八条")).project)
        #expect(
            stated.sharing.entries[0].fields.sharingBasis == (type == .unconditional ? nil : "《数据安全法》第三十八条"),
            "a basis means nothing for unconditional sharing and is not kept")
    }

    // R-SHR-2 第二十八条: unconditionally shared data opened only to named enterprises is refused;
    // the same opening of conditionally shared data, or conditional opening to all, is not.
    @Test func exclusiveOpeningOfGenerallySharedDataRefused() throws {
        let s = try Scenario.at(.approved)
        let exclusive = s.attempt(
            "add-catalog-entry", by: Actors.unit,
            SharingPayloads.entry(open: .conditional, openTo: ["某数据科技有限公司"], openConditions: "签订协议"))
        #expect(exclusive.rules == ["R-SHR-2"])
        #expect(exclusive.violations.first?.article == "第二十八条")
        #expect(exclusive.violations.first?.field == "openTo")
        #expect(exclusive.violations.first?.message.contains("某数据科技有限公司") == true)
        #expect(
            s.attempt("add-catalog-entry", by: Actors.unit, SharingPayloads.entry(open: .conditional, openTo: [], openConditions: "经申请审核"))
                .isAccepted)
        #expect(
            s.attempt(
                "add-catalog-entry", by: Actors.unit,
                SharingPayloads.entry(
                    sharing: .conditional, basis: "依申请",
                    open: .conditional, openTo: ["某数据科技有限公司"])
            ).isAccepted)
        var lenient = SharingParameters.zhengzhou2020
        lenient.generallyShared = []
        let f = try decode(CatalogEntryFields.self, SharingPayloads.entry(open: .conditional, openTo: ["某公司"]))
        #expect(SharingRules.check(f, lenient).isEmpty, "the interpretation is a parameter")
        #expect(SharingRules.check(f).map(\.rule) == ["R-SHR-2"])
    }

    // R-SHR-2: naming recipients only makes sense for conditional opening.
    @Test(arguments: [OpenType.unconditional, .notOpen])
    func openToOnlyWithConditionalOpening(_ open: OpenType) throws {
        let s = try Scenario.at(.approved)
        let d = s.attempt(
            "add-catalog-entry", by: Actors.unit, SharingPayloads.entry(sharing: .conditional, basis: "b", open: open, openTo: ["某公司"]))
        #expect(d.rules == ["INPUT"])
        #expect(d.violations.map(\.field) == ["openTo"])
    }

    // R-SHR-5 第三十条: an entry touching secrets is marked, never opened, never shared unconditionally.
    @Test func secretEntriesAreMarkedAndClosed() throws {
        var s = try Scenario.at(.approved)
        let both = s.attempt("add-catalog-entry", by: Actors.unit, SharingPayloads.entry(open: .unconditional, secret: true))
        #expect(both.rules == ["R-SHR-5", "R-SHR-5"])
        #expect(both.violations.map(\.field) == ["openType", "sharingType"])
        #expect(both.violations.allSatisfy { $0.article == "第三十条" })
        try s.act(
            "add-catalog-entry", by: Actors.unit, SharingPayloads.entry(code: "S-1", sharing: .notShared, basis: "涉及国家秘密", secret: true))
        #expect(s.project.sharing.entries[0].involvesSecrets)
    }

    // R-SHR-1 第二十六条: codes are unique within the project, withdrawn ones included; another project may reuse them.
    @Test func duplicateCodeRefused() throws {
        var s = try Scenario.at(.approved)
        try s.act("add-catalog-entry", by: Actors.unit, SharingPayloads.entry())
        let dup = s.attempt("add-catalog-entry", by: Actors.unit, SharingPayloads.entry(name: "另一资源"))
        #expect(dup.rules == ["R-SHR-1"])
        #expect(dup.violations.first?.field == "code")
        #expect(s.attempt("add-catalog-entry", by: Actors.unit, SharingPayloads.entry(code: "ZZWJW-0002")).isAccepted)
        try s.act("withdraw-catalog-entry", by: Actors.unit, ["code": "ZZWJW-0001", "reason": "系统下线"])
        #expect(s.attempt("add-catalog-entry", by: Actors.unit, SharingPayloads.entry()).rules == ["R-SHR-1"])
        #expect(try Scenario.at(.approved).attempt("add-catalog-entry", by: Actors.unit, SharingPayloads.entry()).isAccepted)
    }

    // Input errors are reported alone and name the field.
    @Test func malformedEntriesNameTheField() throws {
        let s = try Scenario.at(.approved)
        func fields(_ change: (inout JSON) -> Void) -> [String?] {
            var j = SharingPayloads.entry()
            change(&j)
            return s.attempt("add-catalog-entry", by: Actors.unit, j).violations.map(\.field)
        }
        #expect(fields { $0["code"] = "编码 1" } == ["code"])
        #expect(fields { $0["code"] = String(repeating: "A", count: 65) } == ["code"])
        #expect(fields { $0["code"] = String(repeating: "A", count: 64) } == [])
        #expect(fields { $0["name"] = " " } == ["name"])
        #expect(fields { $0["dataItems"] = [] } == ["dataItems"])
        #expect(fields { $0["dataItems"] = [["name": "a"], ["name": "a"]] } == ["dataItems"])
        #expect(fields { $0["sharingMethod"] = "email" } == ["sharingMethod"])
        #expect(fields { $0.removeValue(forKey: "updateFrequency") } == ["updateFrequency"])
        #expect(
            fields {
                $0["sharingType"] = "conditional"; $0["name"] = ""
            } == ["name"], "input first, rules after")
    }

    // R-SHR-1 第二十八条: updates keep the code and clear the registration; withdrawn entries stay withdrawn.
    @Test func updateAndWithdraw() throws {
        var s = try Scenario.at(.trialRunning)
        #expect(s.attempt("update-catalog-entry", by: Actors.unit, SharingPayloads.entry()).rules == ["R-SHR-1"])
        #expect(s.attempt("withdraw-catalog-entry", by: Actors.unit, ["code": "X", "reason": "r"]).rules == ["R-SHR-1"])
        try s.act("add-catalog-entry", by: Actors.unit, SharingPayloads.entry())
        try s.act("confirm-catalog-registration", by: Actors.bdb, SharingPayloads.registration(s.today))
        #expect(s.project.sharing.entries[0].registration?.platformId == "ZZ-DATA-001")
        #expect(s.attempt("update-catalog-entry", by: Actors.unit, SharingPayloads.entry(code: "NONE")).violations.map(\.field) == ["code"])
        #expect(s.attempt("update-catalog-entry", by: Actors.unit, SharingPayloads.entry(sharing: .notShared)).rules == ["R-SHR-1"])
        try s.act(
            "update-catalog-entry", by: Actors.unit, SharingPayloads.entry(name: "居民健康档案(新版)", frequency: .realTime),
            on: s.today.addingDays(3))
        let e = s.project.sharing.entries[0]
        #expect(e.fields.name == "居民健康档案(新版)" && e.fields.updateFrequency == .realTime)
        #expect(e.updatedOn == s.today && e.registration == nil)
        #expect(
            s.attempt("withdraw-catalog-entry", by: Actors.unit, ["code": e.code, "reason": " "]).violations.map(\.field) == ["reason"])
        try s.act("withdraw-catalog-entry", by: Actors.unit, ["code": e.code, "reason": "并入新资源"])
        #expect(s.project.sharing.activeEntries.isEmpty)
        #expect(s.project.sharing.entries[0].withdrawal?.reason == "并入新资源")
        try s.act("add-catalog-entry", by: Actors.unit, SharingPayloads.entry(code: "B"))
        #expect(s.attempt("withdraw-catalog-entry", by: Actors.unit, ["code": e.code, "reason": "r"]).rules == ["R-SHR-1"])
        #expect(s.attempt("update-catalog-entry", by: Actors.unit, SharingPayloads.entry()).rules == ["R-SHR-1"])
    }

    // Records stored before the catalog existed decode with an empty catalog.
    @Test func oldRecordsDecode() throws {
        let record = try JSONDecoder().decode(SharingRecord.self, from: Data("{}".utf8))
        #expect(record.entries.isEmpty && record.feedback.isEmpty)
    }
}
