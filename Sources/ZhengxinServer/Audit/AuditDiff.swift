import Foundation
import ZhengxinCore

/// Before/after summary of a project: the top-level fields that changed; for lists that only
/// grew, the count before and the items added.
enum AuditDiff {
    static func summarize(before: ProjectRecord?, after: ProjectRecord?) -> (before: String, after: String) {
        summarize(parsedBefore: dictionary(before), parsedAfter: dictionary(after))
    }

    /// The same from records parsed already (`dictionary`): a walk of many steps parses each version once.
    static func summarize(parsedBefore b: [String: Any], parsedAfter a: [String: Any]) -> (before: String, after: String) {
        var beforeOut: [String: Any] = [:]
        var afterOut: [String: Any] = [:]
        for key in Set(b.keys).union(a.keys).sorted() {
            let old = b[key]
            let new = a[key]
            if equal(old, new) { continue }
            if let oldList = old as? [Any], let newList = new as? [Any], newList.count > oldList.count,
               equal(oldList, Array(newList.prefix(oldList.count))) {
                beforeOut[key] = ["count": oldList.count]
                afterOut[key] = ["added": Array(newList.suffix(newList.count - oldList.count))]
            } else {
                beforeOut[key] = old ?? NSNull()
                afterOut[key] = new ?? NSNull()
            }
        }
        return (text(beforeOut), text(afterOut))
    }

    /// A record as the diff compares it: its stored JSON parsed, personal data masked.
    static func dictionary(_ record: ProjectRecord?) -> [String: Any] {
        guard let record, let json = try? RecordCoding.encode(record),
              var object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return [:] }
        AuditConfidentiality.maskPersonalData(&object)
        return object
    }

    /// Structural equality of parsed JSON, without serialising it again: this runs for every
    /// top-level field on every accepted action (issue 6 profile: serialising here was the write path's
    /// largest cost). Leaves compare by type and text, as their serialisations would.
    static func equal(_ a: Any?, _ b: Any?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (nil, _), (_, nil): return false
        case let (x as String, y as String): return x == y
        case let (x as [String: Any], y as [String: Any]):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { equal(value, $0) } ?? false }
        case let (x as [Any], y as [Any]):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (is [String: Any], _), (_, is [String: Any]), (is [Any], _), (_, is [Any]), (is String, _), (_, is String): return false
        default: return type(of: a!) == type(of: b!) && String(describing: a!) == String(describing: b!)
        }
    }

    private static func text(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
