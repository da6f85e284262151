import Foundation
import Testing
import ZhengxinCore

@testable import ZhengxinBench
@testable import ZhengxinServer

/// AuditDiff goes field by field (encoding, parsing and re-serialising whole records was the write
/// path's largest cost). It must still see every change of every field and nothing else: here it is
/// held to the whole-record diff it replaced, over every step of walked bench projects of every stage.
@Suite("Audit diff")
struct AuditDiffTests {
    @Test("the field table names every stored property of ProjectRecord, once, in key order")
    func everyField() throws {
        let record = try #require(try Self.walkedPairs(count: 1).first?.after)
        let properties = Mirror(reflecting: record).children.compactMap(\.label)
        let keys = ProjectRecordField.all.map(\.key)
        #expect(Set(keys) == Set(properties))
        #expect(keys.count == properties.count)
        #expect(keys == keys.sorted())
        let sharing = Mirror(reflecting: record.sharing).children.compactMap(\.label)
        #expect(ProjectRecordField.sharingParts.map(\.key) == sharing.sorted())
    }

    @Test("a feedback added to the sharing record records that one: the count before, the addition after")
    func feedbackAdded() throws {
        let pairs = try Self.walkedPairs(count: 60)
        let first = try #require(pairs.first { $0.before.map(\.sharing.feedback.count) == 0 && $0.after.sharing.feedback.count == 1 })
        // A second feedback on top of the first, as years of them accumulate.
        var second = first.after
        var feedback = try #require(second.sharing.feedback.last)
        feedback.number += 1
        feedback.purpose = "第二次使用"
        second.sharing.feedback.append(feedback)
        for (old, new) in [(try #require(first.before), first.after), (first.after, second)] {
            let diff = AuditDiff.summarize(before: old, after: new)
            let sharingBefore = try #require(Self.parsed(diff.before)["sharing"] as? NSDictionary)
            let sharingAfter = try #require(Self.parsed(diff.after)["sharing"] as? NSDictionary)
            #expect(sharingBefore == ["feedback": ["count": old.sharing.feedback.count]])
            let added = try JSONSerialization.jsonObject(with: RecordJSON.encoder().encode([new.sharing.feedback.last!]))
            #expect(sharingAfter == ["feedback": ["added": added]])
            #expect(diff.after.contains(new.sharing.feedback.last!.purpose) && !diff.after.contains("\"entries\""))
        }
    }

    @Test("over every step of 60 walked projects: the same before and after as the whole-record diff, phones masked")
    func sameAsWholeRecordDiff() throws {
        let pairs = try Self.walkedPairs(count: 60)
        #expect(pairs.count > 60 * 12)
        var phones = 0
        for (before, after) in pairs {
            let fast = AuditDiff.summarize(before: before, after: after)
            let whole = WholeRecordDiff.summarize(before: before, after: after)
            #expect(try Self.parsed(fast.before) == Self.parsed(whole.before), "before of \(after.code) at stage \(after.stage)")
            #expect(try Self.parsed(fast.after) == Self.parsed(whole.after), "after of \(after.code) at stage \(after.stage)")
            if let phone = after.responsibility?.contactPhone, before?.responsibility == nil {
                phones += 1
                #expect(!fast.after.contains(phone) && fast.after.contains(PersonalData.maskPhone(phone)))
            }
        }
        #expect(phones > 0)
    }

    @Test("an unchanged record gives empty objects; a new one gives every present field against null")
    func edges() throws {
        let record = try #require(try Self.walkedPairs(count: 1).last?.after)
        #expect(AuditDiff.summarize(before: record, after: record) == ("{}", "{}"))
        let created = AuditDiff.summarize(before: nil, after: record)
        let before = try #require(try JSONSerialization.jsonObject(with: Data(created.before.utf8)) as? [String: Any])
        #expect(before.values.allSatisfy { $0 is NSNull } && before.keys.contains("stage") && !before.keys.contains("surplus"))
    }

    @Test("scalars written without the encoder are byte for byte what JSONEncoder writes")
    func scalarsAsEncoder() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func same<T: AuditJSONScalar>(_ value: T) throws {
            #expect(value.auditJSON == String(decoding: try encoder.encode(value), as: UTF8.self), "\(value)")
        }
        for text in ["", "郑政文〔2020〕70号", "a/b", "引号\"反斜杠\\", "换行\n回车\r制表\t", "\u{08}\u{0C}\u{01}\u{1F}\u{7F}", "emoji 🏛️"] { try same(text) }
        try same(true); try same(false); try same(0); try same(-42); try same(Int64.max); try same(Int64(999_999_999))
        try same(UUID()); try same(CivilDate(2026, 6, 30)); try same(Instant(secondsSinceEpoch: 1_782_835_140));
        try same(Fen(1_000_000_000))
        for stage in Stage.allCases { try same(stage) }
        for source in ProjectSource.allCases { try same(source) }
        for category in ProjectCategory.allCases { try same(category) }
    }

    /// Every (before, after) the bench walker records for `count` projects.
    static func walkedPairs(count: Int) throws -> [(before: ProjectRecord?, after: ProjectRecord)] {
        let orgs = BenchOrganisations(seed: 11, units: 50, passwordHash: "x")
        let store = DocumentStore(root: NSTemporaryDirectory() + "zx-auditdiff-\(UUID())")
        defer { try? FileManager.default.removeItem(atPath: store.root) }
        var pairs: [(ProjectRecord?, ProjectRecord)] = []
        let plans = BenchPortfolio.numbered(
            (0..<count).map { BenchPlan.draw(index: $0, seed: 11, units: orgs.unitNames, today: CivilDate(2026, 11, 1)) })
        for plan in plans {
            _ = try BenchWalk.walk(plan, id: UUID(), orgs: orgs, store: store) { pairs.append(($0, $1)) }
        }
        return pairs
    }

    static func parsed(_ json: String) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? NSDictionary)
    }
}

/// The diff AuditDiff replaced, kept as the reference: both records encoded whole, parsed, compared key by key.
enum WholeRecordDiff {
    static func summarize(before: ProjectRecord?, after: ProjectRecord?) -> (before: String, after: String) {
        let (b, a) = diff(dictionary(before), dictionary(after), nested: ["sharing"])
        return (text(b), text(a))
    }

    /// Key by key; a list that only grew as its count and additions; the objects named in `nested`
    /// (present on both sides) diffed the same way one level down.
    static func diff(_ b: [String: Any], _ a: [String: Any], nested: Set<String> = []) -> (before: [String: Any], after: [String: Any]) {
        var beforeOut: [String: Any] = [:], afterOut: [String: Any] = [:]
        for key in Set(b.keys).union(a.keys) {
            let old = b[key].map { $0 as! NSObject }, new = a[key].map { $0 as! NSObject }
            if old == new { continue }
            if nested.contains(key), let oldObject = old as? [String: Any], let newObject = new as? [String: Any] {
                (beforeOut[key], afterOut[key]) = diff(oldObject, newObject)
            } else if let oldList = old as? [NSObject], let newList = new as? [NSObject], newList.count > oldList.count,
                Array(newList.prefix(oldList.count)) == oldList
            {
                beforeOut[key] = ["count": oldList.count]
                afterOut[key] = ["added": Array(newList.suffix(newList.count - oldList.count))]
            } else {
                beforeOut[key] = old ?? NSNull()
                afterOut[key] = new ?? NSNull()
            }
        }
        return (beforeOut, afterOut)
    }

    static func dictionary(_ record: ProjectRecord?) -> [String: Any] {
        guard let record, let json = try? RecordJSON.text(record),
            var object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        else { return [:] }
        AuditConfidentiality.maskPersonalData(&object)
        return object
    }

    static func text(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}
