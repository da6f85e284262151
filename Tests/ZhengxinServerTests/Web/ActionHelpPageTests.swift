import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// Beside each action's form on the project page: the sentence of the Measures the action rests on,
/// an example of filling it, and the documents to attach first, marked required.
@Suite("Action help on the project page")
struct ActionHelpPageTests {
    /// The `<details>` of one action's form, up to its end.
    static func form(_ html: String, _ action: String) -> String? {
        guard let start = html.range(of: "id=\"action-\(action)\"") else { return nil }
        let rest = html[start.lowerBound...]
        return rest.range(of: "</details>").map { String(rest[..<$0.lowerBound]) }
    }

    @Test("申报 and 审批 forms quote their article and mark the documents to attach first as required", arguments: Backend.all)
    func declarationAndApprovalForms(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 5_000_000))
            let draft = try await world.page("/projects/\(w.projectId)", session: world.tokens["unitA"])
            let declare = try #require(Self.form(draft.html, "declare"))
            #expect(declare.contains("class=\"action-help\""))
            #expect(declare.contains("每年6月底前,项目单位根据需求向项目审批部门报送下年度拟建设 (或采购)的政务信息化项目材料。"))
            // The help stands before the form, inside the action's details.
            let help = try #require(declare.range(of: "class=\"action-help\""))
            let form = try #require(declare.range(of: "<form method=\"post\""))
            #expect(help.lowerBound < form.lowerBound)
            #expect(!declare.contains("须先上传的文档"))
            // The update form has an example line with an amount as typed.
            #expect(Self.form(draft.html, "update")?.contains("填写示例: 总投资: 5000000 或 500万") == true)

            try await w.toReserve()
            try await w.toPlanned(amountFen: 500_000_000)
            let planned = try await world.page("/projects/\(w.projectId)", session: world.tokens["unitA"])
            let apply = try #require(Self.form(planned.html, "apply-for-approval"))
            #expect(apply.contains("<span class=\"article\">第八条</span>"))
            #expect(apply.contains("政务信息化项目年度计划下达后,项目单位依据计划安排,向项目审批部门提出项目申请,并附项目建议书 (或可行性研究报告、项目实施方案)。"))
            #expect(apply.contains("<li>实施方案 <span class=\"required\">(必需)</span> <span class=\"muted\">未上传</span></li>"))

            _ = try await w.upload("implementationPlan")
            let uploaded = try await world.page("/projects/\(w.projectId)", session: world.tokens["unitA"])
            #expect(
                Self.form(uploaded.html, "apply-for-approval")?.contains(
                    "<li>实施方案 <span class=\"required\">(必需)</span> <span class=\"muted\">已上传</span></li>") == true)

            try await world.must(w.projectId, "apply-for-approval", as: "unitA")
            let drc = try await world.page("/projects/\(w.projectId)", session: world.tokens["drc"])
            let approve = try #require(Self.form(drc.html, "approve-document"))
            #expect(approve.contains("<span class=\"article\">第十条</span>"))
            #expect(approve.contains("项目审批部门对项目建议书、可行性研究报告、初步设计方案和项目实施方案的批复文件是项目实施的主要依据。"))
            #expect(approve.contains("填写示例: 文号: 郑发改审批〔2027〕15号;批复金额: 1234567.89 或 123.5万"))
            #expect(approve.contains("<li>实施方案 <span class=\"required\">(必需)</span> <span class=\"muted\">已上传</span></li>"))
        }
    }
}
