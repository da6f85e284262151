import Foundation
import Testing

@testable import ZhengxinCore

/// R-SHR-4 (第二十八条): sharing figures and catalog exports; R-SHR-5 (第三十条): secret entries never exported.
@Suite("Sharing figures and catalog exports, R-SHR-4/5")
struct SharingFiguresTests {
    /// A constructing project with: A unconditional/api (registered), B conditional/file, C notShared/table,
    /// S secret notShared, W withdrawn; two feedback records need the trial run, so none here.
    func catalog() throws -> Scenario {
        var s = try Scenario.at(.constructing)
        try s.act("add-catalog-entry", by: Actors.unit, SharingPayloads.entry(code: "A", open: .unconditional))
        try s.act("confirm-catalog-registration", by: Actors.bdb, SharingPayloads.registration(s.today))
        try s.act(
            "add-catalog-entry", by: Actors.unit,
            SharingPayloads.entry(
                code: "B", name: "医疗机构名录", sharing: .conditional, basis: "依申请",
                open: .conditional, openTo: [], openConditions: "签订协议", method: .file, frequency: .realTime))
        try s.act(
            "add-catalog-entry", by: Actors.unit, SharingPayloads.entry(code: "C", sharing: .notShared, basis: "《个人信息保护法》", method: .table))
        try s.act(
            "add-catalog-entry", by: Actors.unit,
            SharingPayloads.entry(code: "S", name: "应急保障机密数据", sharing: .notShared, basis: "涉密", secret: true))
        try s.act("add-catalog-entry", by: Actors.unit, SharingPayloads.entry(code: "W"))
        try s.act("withdraw-catalog-entry", by: Actors.unit, ["code": "W", "reason": "r"])
        return s
    }

    // The figures from the record's JSON, decoding only the parts they follow, are the record's own.
    @Test func figuresFromTheRecordsJSONAlone() throws {
        let s = try catalog()
        let json = try JSONEncoder().encode(s.project)
        let facts = try JSONDecoder().decode(SharingFigures.Facts.self, from: json)
        #expect(SharingFigures.of(facts) == SharingFigures.of(s.project))
        #expect(SharingFigures.of(facts).entries == 4 && SharingFigures.of(facts).projectsRegistered == 1)
    }

    // R-SHR-4: zero entries — counts zero, ratios undefined (null), not 0%.
    @Test func figuresOfAnEmptyCatalog() throws {
        let f = SharingFigures.of(try Scenario.at(.approved).project)
        #expect(f.projects == 1 && f.entries == 0 && f.projectsWithCatalog == 0 && f.projectsRegistered == 0 && f.feedbackCount == 0)
        #expect(f.sharingRatioBasisPoints == nil && f.unconditionalRatioBasisPoints == nil && f.registeredRatioBasisPoints == nil)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(f)) as! [String: Any]
        #expect(json["sharingRatioBasisPoints"] is NSNull)
        #expect(json["entries"] as? Int == 0)
    }

    // R-SHR-4: every count and ratio, exactly (basis points, rounded down).
    @Test func figuresComputedExactly() throws {
        var s = try catalog()
        try s.walk(to: .trialRunning)
        try s.act(
            "record-sharing-feedback", by: Actors.bdb,
            ["entryCode": "A", "usedOn": s.today.json, "consumer": "市民政局", "purpose": "核验", "outcome": "satisfied"])
        let f = SharingFigures.of(s.project)
        #expect(f.entries == 4 && f.withdrawnEntries == 1)
        #expect((f.unconditional, f.conditional, f.notShared) == (1, 1, 2))
        #expect((f.openUnconditional, f.openConditional, f.notOpen) == (1, 1, 2))
        #expect(f.secretEntries == 1 && f.registeredEntries == 1 && f.feedbackCount == 1)
        #expect(f.bySharingMethod == ["api": 2, "file": 1, "table": 1])
        #expect(f.sharedEntries == 2)
        #expect(f.sharingRatioBasisPoints == 5000)
        #expect(f.unconditionalRatioBasisPoints == 2500 && f.conditionalRatioBasisPoints == 2500 && f.notSharedRatioBasisPoints == 5000)
        #expect(f.registeredRatioBasisPoints == 3333, "1 of the 3 registrable entries, rounded down")
        #expect(f.projectsWithCatalog == 1 && f.projectsRegistered == 1)
    }

    // R-SHR-4: a unit's figures add the counts and compute ratios from the sums.
    @Test func pooledFiguresWeighByEntries() throws {
        let a = SharingFigures.of(try catalog().project)
        var one = try Scenario.at(.approved)
        try one.act("add-catalog-entry", by: Actors.unit, SharingPayloads.entry(code: "X", sharing: .notShared, basis: "b"))
        let b = SharingFigures.of(one.project)
        let empty = SharingFigures.of(try Scenario.at(.approved).project)
        let t = SharingFigures.pooled([a, b, empty])
        #expect(t.projects == 3 && t.projectsWithCatalog == 2 && t.projectsRegistered == 1)
        #expect(t.entries == 5 && t.notShared == 3 && t.sharedEntries == 2)
        #expect(t.sharingRatioBasisPoints == 4000, "2 of 5, not the mean of 50% and 0%")
        #expect(SharingFigures.pooled([]).sharingRatioBasisPoints == nil)
        #expect(SharingFigures.ratio(2, 3) == 6666 && SharingFigures.ratio(1, 1) == 10_000 && SharingFigures.ratio(0, 0) == nil)
    }

    // R-SHR-4 + R-SHR-5: the JSON form lists active entries not touching secrets, with every field.
    @Test func jsonExportExcludesSecretAndWithdrawn() throws {
        let s = try catalog()
        let doc = CatalogExport.document(s.project, unitName: "市卫生健康委", on: s.today)
        #expect(doc.format == "zhengxin-catalog/1")
        #expect(doc.entries.map(\.code) == ["A", "B", "C"])
        #expect(doc.project.unitName == "市卫生健康委" && doc.project.code == s.project.code)
        #expect(doc.registration?.platformId == "ZZ-DATA-001")
        let b = doc.entries[1]
        #expect(b.sharingType == .conditional && b.sharingTypeTitle == "有条件共享" && b.sharingBasis == "依申请")
        #expect(b.openType == .conditional && b.openConditions == "签订协议" && b.sharingMethod == .file && b.updateFrequency == .realTime)
        #expect(doc.entries[0].registration != nil && b.registration == nil)
        let text = String(decoding: try JSONEncoder().encode(doc), as: UTF8.self)
        #expect(!text.contains("应急保障机密数据") && !text.contains("\"S\""))
    }

    // R-SHR-4 DCAT-AP: a dcat:Catalog with one dcat:Dataset per exportable entry; R-SHR-5: no secret entry.
    @Test func dcatExport() throws {
        let s = try catalog()
        let ld = CatalogExport.jsonLD(s.project, unitName: "市卫生健康委", on: s.today)
        let context = try #require(ld["@context"] as? [String: Any])
        #expect(context["dcat"] as? String == "http://www.w3.org/ns/dcat#")
        #expect(context["dct"] as? String == "http://purl.org/dc/terms/")
        #expect(ld["@type"] as? String == "dcat:Catalog")
        #expect(ld["dct:identifier"] as? String == s.project.code)
        #expect((ld["dct:publisher"] as? [String: Any])?["foaf:name"] as? String == "市卫生健康委")
        let datasets = try #require(ld["dcat:dataset"] as? [[String: Any]])
        #expect(datasets.map { $0["dct:identifier"] as? String } == ["A", "B", "C"])
        #expect(datasets.allSatisfy { $0["@type"] as? String == "dcat:Dataset" && $0["dct:title"] != nil && $0["dct:publisher"] != nil })
        let a = datasets[0], b = datasets[1]
        #expect(
            (a["dct:accrualPeriodicity"] as? [String: Any])?["@id"] as? String
                == "http://publications.europa.eu/resource/authority/frequency/DAILY")
        #expect(
            (b["dct:accrualPeriodicity"] as? [String: Any])?["@id"] as? String
                == "http://publications.europa.eu/resource/authority/frequency/CONT")
        #expect(
            (a["dct:accessRights"] as? [String: Any])?["@id"] as? String
                == "http://publications.europa.eu/resource/authority/access-right/PUBLIC")
        let aDist = try #require((a["dcat:distribution"] as? [[String: Any]])?.first)
        #expect(aDist["@type"] as? String == "dcat:Distribution" && aDist["dct:format"] as? String == "数据库")
        #expect((aDist["dcat:accessService"] as? [String: Any])?["@type"] as? String == "dcat:DataService")
        #expect((aDist["dcat:accessURL"] as? [String: Any])?["@id"] as? String == "urn:zhengxin:exchange-platform:ZZ-DATA-001:A")
        let bDist = try #require((b["dcat:distribution"] as? [[String: Any]])?.first)
        #expect(bDist["dcat:accessService"] == nil && bDist["zx:sharingMethod"] as? String == "file")
        let data = try JSONSerialization.data(withJSONObject: ld)
        #expect(!String(decoding: data, as: UTF8.self).contains("应急保障机密数据"))
    }

    // R-SHR-5: a catalog of secret entries only exports an empty catalog.
    @Test func onlySecretEntriesExportNothing() throws {
        var s = try Scenario.at(.approved)
        try s.act("add-catalog-entry", by: Actors.unit, SharingPayloads.entry(code: "S", sharing: .notShared, basis: "涉密", secret: true))
        #expect(CatalogExport.document(s.project, unitName: "u", on: s.today).entries.isEmpty)
        #expect((CatalogExport.jsonLD(s.project, unitName: "u", on: s.today)["dcat:dataset"] as? [Any])?.isEmpty == true)
        #expect(SharingFigures.of(s.project).entries == 1 && SharingFigures.of(s.project).registeredRatioBasisPoints == nil)
    }
}
