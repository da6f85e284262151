import Foundation
import Testing
@testable import ZhengxinServer

/// AuditDiff compares parsed JSON structurally (issue 6: re-serialising every field was the write
/// path's largest cost); it must still see every change and nothing else.
@Suite("Audit diff equality")
struct AuditDiffTests {
    static func parsed(_ json: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed]) }

    @Test("equal trees are equal; any change of value, type, order, key or length is not")
    func equality() throws {
        let base = try Self.parsed(#"{"a": [1, "x", {"b": true, "c": null, "d": 2.5}], "e": "文"}"#)
        #expect(AuditDiff.equal(base, try Self.parsed(#"{"e": "文", "a": [1, "x", {"d": 2.5, "c": null, "b": true}]}"#)))
        for changed in [#"{"a": [1, "x", {"b": false, "c": null, "d": 2.5}], "e": "文"}"#,
                        #"{"a": [1, "x", {"b": true, "c": 0, "d": 2.5}], "e": "文"}"#,
                        #"{"a": [1, "x", {"b": true, "c": null, "d": 2.6}], "e": "文"}"#,
                        #"{"a": ["x", 1, {"b": true, "c": null, "d": 2.5}], "e": "文"}"#,
                        #"{"a": [1, "x", {"b": true, "c": null, "d": 2.5}, 3], "e": "文"}"#,
                        #"{"a": [1, "x", {"b": true, "c": null}], "e": "文"}"#,
                        #"{"a": [1, "x", {"b": true, "c": null, "d": 2.5}], "e": "文", "f": 1}"#,
                        #"{"a": ["1", "x", {"b": true, "c": null, "d": 2.5}], "e": "文"}"#,
                        #"{"a": [1, "x", {"b": true, "c": null, "d": 2.5}], "e": "字"}"#] {
            #expect(!AuditDiff.equal(base, try Self.parsed(changed)), "\(changed)")
        }
        #expect(AuditDiff.equal(nil, nil) && !AuditDiff.equal(nil, base) && !AuditDiff.equal(base, nil))
    }
}
