import Foundation
import Testing

@testable import ZhengxinCore

/// Bad input: a body that is not the payload gives one INPUT violation naming the field.
@Suite("Payload decoding")
struct PayloadDecodingTests {
    func approve(_ raw: String) throws -> Decision {
        let s = try Scenario.at(.approving)
        return try #require(
            Lifecycle.perform(
                action: "approve-document", body: Data(raw.utf8), on: s.project, s.context(Actors.drc, on: Timeline.approvedOn)))
    }

    func field(_ d: Decision) -> String? {
        guard d.rules == ["INPUT"], d.violations.count == 1 else { return "not one INPUT violation: \(d.violations)" }
        return d.violations[0].field
    }

    // Bad input: a valid body is decoded and judged (R-APP-2 第十条).
    @Test func validBodyDecodes() throws {
        #expect(
            try approve(#"{"kind":"implementationPlan","documentNumber":"d","approvedOn":"2027-03-01","approvedAmountFen":100}"#).isAccepted
        )
    }

    // Bad input: JSON in UTF-16 or UTF-32 (which Foundation parses) is refused before it is read, so a
    // bidi override or NUL in it cannot slip past the screen, whose byte scan reads UTF-8.
    @Test func onlyUTF8() throws {
        let body =
            "{\"kind\":\"implementationPlan\",\"documentNumber\":\"d\u{202E}fdp\",\"approvedOn\":\"2027-03-01\",\"approvedAmountFen\":100}"
        let s = try Scenario.at(.approving)
        for encoding in [String.Encoding.utf16LittleEndian, .utf16BigEndian, .utf16, .utf32LittleEndian, .utf32] {
            let raw = try #require(body.data(using: encoding))
            let d = try #require(
                Lifecycle.perform(action: "approve-document", body: raw, on: s.project, s.context(Actors.drc, on: Timeline.approvedOn)))
            #expect(d.rules == ["INPUT"] && d.violations.first?.message.contains("UTF-8") == true, "\(encoding): \(d)")
        }
        #expect(PayloadScreening.violation(in: Data([0x7B, 0x7D, 0x00])) != nil)
        #expect(PayloadScreening.violation(in: Data([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D])) != nil)  // invalid UTF-8
    }

    // Bad input: a missing field is named (INPUT).
    @Test func missingFieldIsNamed() throws {
        #expect(field(try approve(#"{"kind":"implementationPlan","approvedOn":"2027-03-01","approvedAmountFen":100}"#)) == "documentNumber")
    }

    // Bad input: a wrong type is named (INPUT).
    @Test func wrongTypeIsNamed() throws {
        #expect(
            field(try approve(#"{"kind":"implementationPlan","documentNumber":"d","approvedOn":"2027-03-01","approvedAmountFen":"100"}"#))
                == "approvedAmountFen")
    }

    // A fractional or huge number where an integer (fen) is expected names the field too.
    @Test(arguments: ["1.5", "1e30", "-0.01", "99999999999999999999", "-9223372036854775809", "9223372036854775808"])
    func nonIntegerAmountIsNamed(_ number: String) throws {
        #expect(
            field(
                try approve(#"{"kind":"implementationPlan","documentNumber":"d","approvedOn":"2027-03-01","approvedAmountFen":\#(number)}"#)
            ) == "approvedAmountFen")
        let s = try Scenario.at(.procuring)
        var items = Payloads.procurement()
        items["amountFen"] = 1
        let raw = String(decoding: body(items), as: UTF8.self).replacingOccurrences(of: #""amountFen":1"#, with: #""amountFen":\#(number)"#)
        let d = try #require(Lifecycle.perform(action: "record-procurement", body: Data(raw.utf8), on: s.project, s.context(Actors.unit)))
        #expect(field(d) == "amountFen")
    }

    // The Int64 limits themselves are numbers, judged by the rules (here: not a positive amount).
    @Test(arguments: ["-9223372036854775808", "9223372036854775807"])
    func int64LimitsDecode(_ number: String) throws {
        let d = try approve(#"{"kind":"implementationPlan","documentNumber":"d","approvedOn":"2027-03-01","approvedAmountFen":\#(number)}"#)
        #expect(d.violations.allSatisfy { $0.field == "approvedAmountFen" } && !d.violations.isEmpty)
    }

    // A key twice in one object is refused and named, whichever way it is spelled: a decoder would
    // keep one of the two silently.
    @Test(arguments: [#""documentNumber":"d","documentNumber":"e""#, #""documentNumber":"d","\u0064ocumentNumber":"e""#])
    func duplicateKeyIsRefused(_ pair: String) throws {
        let d = try approve(#"{"kind":"implementationPlan",\#(pair),"approvedOn":"2027-03-01","approvedAmountFen":100}"#)
        #expect(field(d) == "documentNumber")
        #expect(d.violations.first?.message.contains("重复") == true)
    }

    // The same key in two objects, or a key's text as a value, is no duplicate; nested paths are named.
    @Test func duplicatesAreFoundPerObject() throws {
        #expect(JSONShape(Data(#"{"a":{"b":1},"c":{"b":"b"},"d":["a","a"]}"#.utf8)).duplicateKey == nil)
        #expect(JSONShape(Data(#"{"lines":[{"x":1},{"x":1,"x":2}]}"#.utf8)).duplicateKey == "lines[1].x")
        #expect(JSONShape(Data(#"{"lines":[{"p":1},{"p":-9223372036854775809}]}"#.utf8)).nonIntegerNumber == "lines[1].p")
        #expect(JSONShape(Data(#"{"s":"1.5","n":-9223372036854775808}"#.utf8)).nonIntegerNumber == nil)
    }

    // Bad input: null for a required field is named (INPUT).
    @Test func nullIsNamed() throws {
        #expect(
            field(try approve(#"{"kind":"implementationPlan","documentNumber":null,"approvedOn":"2027-03-01","approvedAmountFen":100}"#))
                == "documentNumber")
    }

    // Bad input: an invalid calendar date is named (INPUT).
    @Test(arguments: ["2027-02-29", "2027-3-1", "yesterday", "2027-03-01T00:00:00Z"])
    func invalidDateIsNamed(_ date: String) throws {
        #expect(
            field(try approve(#"{"kind":"implementationPlan","documentNumber":"d","approvedOn":"\#(date)","approvedAmountFen":100}"#))
                == "approvedOn")
    }

    // Bad input: an unknown enum value is named (INPUT).
    @Test func unknownEnumValueIsNamed() throws {
        #expect(
            field(try approve(#"{"kind":"napkinSketch","documentNumber":"d","approvedOn":"2027-03-01","approvedAmountFen":100}"#)) == "kind"
        )
    }

    // Bad input: a body that is not a JSON object is one INPUT error.
    @Test(arguments: ["{", "not json", "[1,2]", #"{"kind":}"#])
    func invalidJSONIsAnInputErrorWithoutField(_ raw: String) throws {
        let d = try approve(raw)
        #expect(d.rules == ["INPUT"])
        #expect(d.violations.count == 1)
    }

    // Bad input: a hostile, deeply nested body is one INPUT error, not a crash.
    @Test func deeplyNestedBodyIsAnInputError() throws {
        for depth in [600, 100_000] {
            let raw = "{\"kind\":" + String(repeating: "[", count: depth) + "1.5" + String(repeating: "]", count: depth) + "}"
            let d = try approve(raw)
            #expect(d.rules == ["INPUT"])
            #expect(d.violations.count == 1)
        }
    }

    // Bad input: invalid JSON names no field.
    @Test func invalidJSONHasEmptyField() throws {
        #expect(field(try approve("{")) == "")
    }

    // Bad input: nested fields are named with their array index (R-REV-1 findings).
    @Test func nestedFieldPathsUseIndexes() throws {
        let s = try Scenario.at(.techReview)
        var findings = Payloads.findings()
        findings[2]["criterion"] = "beauty"
        let d = s.attempt("issue-review-opinion", by: Actors.bdb, Payloads.opinion(findings: findings))
        #expect(field(d) == "findings[2].criterion")
        findings[2].removeValue(forKey: "criterion")
        #expect(field(s.attempt("issue-review-opinion", by: Actors.bdb, Payloads.opinion(findings: findings))) == "findings[2].criterion")
    }

    // An empty body stands for {} (actions without fields).
    @Test func emptyBodyIsAnEmptyObject() throws {
        let s = try Scenario.draft()
        let d = Lifecycle.perform(action: "declare", body: Data(), on: s.project, s.context(Actors.unit))
        #expect(d?.project?.stage == .declared)
        let missing = Lifecycle.perform(action: "withdraw", body: Data(), on: s.project, s.context(Actors.unit))
        #expect(missing.map(field) == "reason")
    }
}
