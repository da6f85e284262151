import Foundation
import Testing
import ZhengxinCore

@testable import ZhengxinServer

/// The 查重 panel's parts without a database: passages cut into marked runs, and the 集约性 finding's
/// checkboxes read back into the review opinion's body (R-REV-3, 第七条 集约性).
@Suite("查重 panel parts")
struct SimilarPanelPartsTests {
    @Test("a text cut at scalar ranges: marked runs in order, the rest kept, out-of-range and overlaps ignored")
    func cut() {
        let runs = PassageSegments.cut("建设<b>全市</b>信号控制平台", marking: [11..<15, 2..<5, 3..<4, 40..<50])
        #expect(runs.map(\.text).joined() == "建设<b>全市</b>信号控制平台")
        #expect(runs.filter(\.marked).map(\.text) == ["<b>", "信号控制"])
        #expect(PassageSegments.cut("", marking: [0..<3]).isEmpty)
        #expect(PassageSegments.cut("平台", marking: []) == [PassageSegment(text: "平台", marked: false)])
    }

    @Test("the query's side: each passage found once, the first place not taken by an earlier one")
    func locate() {
        let text = "信号控制平台与信号控制系统"
        #expect(PassageSegments.locate(["信号控制", "信号控制", "不存在的"], in: text) == [0..<4, 7..<11])
    }

    @Test("the 集约性 row: ticked matches and typed ids become consideredProjects; other rows have no such fields")
    func formTicks() throws {
        let a = UUID(), b = UUID()
        var values: [String: String] = ["conclusion": "pass", "comment": "同意"]
        for (i, c) in ReviewCriterion.allCases.enumerated() {
            values["findings.\(i).criterion"] = c.rawValue
            values["findings.\(i).satisfied"] = "true"
            values["findings.\(i).comment"] = "符合"
        }
        values["findings.4.consideredProjects.\(a.uuidString)"] = a.uuidString
        values["findings.4.consideredProjects"] = b.uuidString
        values["findings.4.duplicateAssessment"] = "不重复"
        let body = try FormBody.json("issue-review-opinion", values).get()
        let json = try JSONSerialization.jsonObject(with: body) as? [String: Any]
        let findings = json?["findings"] as? [[String: Any]] ?? []
        #expect(Set(findings[4]["consideredProjects"] as? [String] ?? []) == [a.uuidString, b.uuidString])
        #expect(findings[4]["duplicateAssessment"] as? String == "不重复")
        #expect(findings[0]["consideredProjects"] == nil)

        let choices = FormChoices(
            record: nil, today: CivilDate(2026, 11, 2), similar: [FormOption(value: a.uuidString, label: "ZZ-2026-0001 平台")])
        let form = ActionForm.of("issue-review-opinion", title: "出具技术审查意见", choices: choices, values: values)
        let checks = form.fields.filter { $0.input == .checks }
        #expect(checks.map(\.name) == ["findings.4.consideredProjects"])
        #expect(checks.first?.options.first?.selected == true)
        #expect(!form.fields.contains { $0.name.hasSuffix("restrictedConsidered") }, "no restricted match, no acknowledgement asked")
        #expect(!form.fields.contains { $0.name.hasPrefix("findings.0.") && $0.name.hasSuffix("duplicateAssessment") })
    }
}
