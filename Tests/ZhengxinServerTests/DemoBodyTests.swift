import Foundation
import Testing

@testable import ZhengxinServer

@Suite("Demo step bodies")
struct DemoBodyTests {
    static func parsed(_ data: Data) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary)
    }

    @Test("the JSON written for a step body parses to what JSONSerialization would have written, escapes and nesting included")
    func sameAsFoundation() throws {
        let bodies: [[String: Any]] = [
            [:],
            ["amountFen": Int64(9_999_999_99), "count": 3, "passed": true, "failed": false, "issuedOn": "2026-06-30"],
            ["text": "引号\"反斜杠\\换行\n回车\r制表\t控制\u{01}/斜杠 and 〔2020〕70号"],
            [
                "findings": [["description": "问题", "deadline": "2026-07-01"]], "tags": ["a", "b"], "empty": [Any](),
                "nested": ["x": ["y": 1]],
            ],
        ]
        for body in bodies {
            #expect(try Self.parsed(DemoBody.json(body)) == Self.parsed(JSONSerialization.data(withJSONObject: body)))
        }
    }

    @Test("a value of a type the writer does not know goes to JSONSerialization")
    func unknownTypeFallsBack() throws {
        let body: [String: Any] = ["ratio": 0.15, "name": "x"]
        #expect(try Self.parsed(DemoBody.json(body)) == Self.parsed(JSONSerialization.data(withJSONObject: body)))
    }
}
