import Foundation
import Testing
import ZhengxinCore

@testable import ZhengxinServer

/// Every action of the catalog as a web form, and forms back into bodies the core decodes.
@Suite("Action forms")
struct ActionFormTests {
    static let today = CivilDate(2026, 3, 2)
    static let unitId = UUID()

    static func project() -> ProjectRecord {
        ProjectRecord(
            id: UUID(), code: "ZZ-2026-0001", name: "全民健康信息平台", unitId: unitId, source: .unitDeclaration, planYear: 2027,
            category: .businessSystem, totalInvestment: Fen(yuan: 5_000_000), content: "c", goals: "g", classified: false,
            simpleContentRequested: false, ownInfrastructure: nil, nationalCode: nil, policyId: Policy.zhengzhou2020.id,
            createdOn: today, createdBy: UUID())
    }

    /// What a person would type: every field filled in its own kind.
    static func filled(_ form: ActionForm) -> [String: String] {
        var values: [String: String] = [:]
        for field in form.fields {
            switch field.input {
            case .text, .textarea: values[field.name] = "测试内容"
            case .amount: values[field.name] = "1,234.56"
            case .integer: values[field.name] = "1"
            case .date: values[field.name] = "2026-03-02"
            case .checkbox: values[field.name] = "true"
            case .select: values[field.name] = field.value.isEmpty ? field.options.first { !$0.value.isEmpty }?.value ?? "1" : field.value
            case .lines: values[field.name] = "甲\n乙"
            case .numbers: values[field.name] = "1, 2"
            case .checks: for o in field.options { values["\(field.name).\(o.value)"] = o.value }
            }
            if field.name.hasSuffix("OrganisationId") || field.name == "userId" || field.name.hasSuffix("consideredProjects") {
                values[field.name] = UUID().uuidString
            }
        }
        return values
    }

    @Test("Every action in the catalog has a form whose fields are labelled in Chinese, with Chinese options")
    func everyActionHasAForm() {
        let choices = FormChoices(record: Self.project(), today: Self.today)
        // attach-document has no JSON body: its form is the upload form (the file and its facts).
        for rule in Lifecycle.catalog where rule.spec.name != AttachDocument.spec.name {
            #expect(PayloadNotation.fields(ofAction: rule.spec.name) != nil, "no body notation for \(rule.spec.name)")
            let form = ActionForm.of(rule.spec.name, title: rule.spec.title, choices: choices)
            for field in form.fields {
                #expect(field.label.unicodeScalars.contains { !$0.isASCII }, "\(rule.spec.name).\(field.name) has no Chinese label")
                #expect(Set(form.fields.map(\.id)).count == form.fields.count)
                for option in field.options where !option.value.isEmpty {
                    #expect(
                        option.label.unicodeScalars.contains { !$0.isASCII },
                        "\(rule.spec.name).\(field.name)=\(option.value) has no Chinese label")
                }
            }
        }
        for (name, values) in PayloadSchemas.enums {
            for value in values { #expect(FormVocabulary.option(name, value) != nil, "\(name).\(value)") }
        }
    }

    @Test("A filled form of every action becomes a body the core decodes (no missing field, no wrong type)")
    func everyFilledFormDecodes() throws {
        let choices = FormChoices(record: Self.project(), today: Self.today)
        // attach-document's form is the upload form (multipart, the document's facts beside the file).
        for rule in Lifecycle.catalog where rule.spec.name != AttachDocument.spec.name {
            let form = ActionForm.of(rule.spec.name, title: rule.spec.title, choices: choices)
            let body = try FormBody.json(rule.spec.name, Self.filled(form)).get()
            let type = rule.spec.actors.sorted { $0.rawValue < $1.rawValue }.first!
            let actor = Actor(
                userId: UUID(), displayName: "t", organisationId: type == .unit ? Self.unitId : UUID(), organisationType: type,
                roles: [.staff])
            let ctx = DecisionContext(actor: actor, now: Instant(beijing: Self.today), policy: .zhengzhou2020)
            let decision = Lifecycle.perform(action: rule.spec.name, body: body, on: Self.project(), ctx)
            if case .refused(let violations) = decision {
                let decoding = violations.filter { v in
                    ["缺少必填字段", "类型错误", "不能为空,应为", "的值无效", "不是有效的 JSON"].contains { v.message.contains($0) }
                }
                #expect(decoding.isEmpty, "\(rule.spec.name): \(decoding.map(\.message)) from \(String(decoding: body, as: UTF8.self))")
            }
        }
    }

    @Test("Amounts typed in 元 become exact fen; bad amounts, dates, enumerations and empty required fields are named in Chinese")
    func conversion() throws {
        let body = try FormBody.json("disburse", ["amountFen": "12,345,678.9", "paidOn": "2026-03-02", "voucherNumber": "ZF-1"]).get()
        let json = try JSONSerialization.jsonObject(with: body) as? [String: Any]
        #expect((json?["amountFen"] as? NSNumber)?.int64Value == 1_234_567_890)
        #expect(
            Fen(yuanText: "0.01")?.value == 1 && Fen(yuanText: "500元")?.value == 50_000
                && Fen(yuanText: "92233720368547758.07")?.value == Int64.max)
        for bad in ["1.234", "-1", "1e3", "1,23", "12,3456", "", ".5", "5.", "92233720368547758.08", "12万万"] {
            #expect(Fen(yuanText: bad) == nil, "\(bad)")
        }
        let wan = try FormBody.json("disburse", ["amountFen": "１２３.５万元", "paidOn": "2026-03-02", "voucherNumber": "ZF-1"]).get()
        #expect(((try JSONSerialization.jsonObject(with: wan) as? [String: Any])?["amountFen"] as? NSNumber)?.int64Value == 123_500_000)
        guard case .failure(let invalid) = FormBody.json("disburse", ["amountFen": "1.234", "paidOn": "2026-02-30", "voucherNumber": " "])
        else {
            Issue.record("bad form accepted"); return
        }
        #expect(Set(invalid.violations.compactMap(\.field)) == ["amountFen", "paidOn", "voucherNumber"])
        #expect(invalid.violations.allSatisfy { $0.rule == "INPUT" && $0.message.contains("「") })
        guard
            case .failure(let wrongEnum) = FormBody.json(
                "report-incident", ["kind": "<x>", "description": "d", "occurredOn": "2026-03-02"])
        else {
            Issue.record("unknown enumeration accepted"); return
        }
        #expect(wrongEnum.violations.map(\.field) == ["kind"])
    }

    @Test("A field sent twice is refused unless it is a checkbox's hidden false then true; the count and key length are bounded")
    func repeatedFields() throws {
        #expect(try WebForm.fields("amountFen=1&paidOn=2026-03-02") == ["amountFen": "1", "paidOn": "2026-03-02"])
        #expect(try WebForm.fields("findings.0.satisfied=false&findings.0.satisfied=true")["findings.0.satisfied"] == "true")
        #expect(try WebForm.fields("findings.0.satisfied=false")["findings.0.satisfied"] == "false")
        for hostile in ["amountFen=1&amountFen=100000000", "a=true&a=false", "a=false&a=true&a=true", "classified=false&classified=false"] {
            #expect(throws: APIError.self, "\(hostile)") { try WebForm.fields(hostile) }
        }
        let many = (0...WebForm.maxFields).map { "f\($0)=x" }.joined(separator: "&")
        #expect(throws: APIError.self) { try WebForm.fields(many) }
        #expect(throws: APIError.self) { try WebForm.fields(String(repeating: "k", count: WebForm.maxKeyBytes + 1) + "=1") }
    }

    @Test("Many posted rows are converted row by row, blank ones left out (no pass over every key per row)")
    func manyRows() throws {
        var values: [String: String] = ["kind": "inspection", "heldOn": "2026-03-02", "subject": "s", "conclusion": "c"]
        for i in 0..<FormBody.maxRows {
            values["findings.\(i).description"] = i % 2 == 0 ? "问题\(i)" : " "
            values["findings.\(i).basis"] = i % 2 == 0 ? "第十一条" : ""
            values["findings.\(i).deadline"] = i % 2 == 0 ? "2026-04-01" : ""
        }
        let json = try JSONSerialization.jsonObject(with: try FormBody.json("record-oversight", values).get()) as? [String: Any]
        #expect((json?["findings"] as? [Any])?.count == FormBody.maxRows / 2)
        // One row more than a form holds is refused, naming the list.
        values["findings.\(FormBody.maxRows).description"] = "多一项"
        guard case .failure(let invalid) = FormBody.json("record-oversight", values) else {
            Issue.record("a list past FormBody.maxRows accepted"); return
        }
        #expect(invalid.violations.map(\.field) == ["findings"])
    }

    @Test("Review opinion: one row per criterion, preset; unchecked boxes are false; blank optional objects are left out")
    func rowsAndNesting() throws {
        let form = ActionForm.of("issue-review-opinion", title: "出具审查意见", choices: FormChoices(today: Self.today))
        let criteria = form.fields.filter { $0.name.hasSuffix(".criterion") }
        #expect(criteria.map(\.value) == ReviewCriterion.allCases.map(\.rawValue))
        var values = Self.filled(form)
        values.removeValue(forKey: "findings.1.satisfied")
        values["ownInfrastructureAccepted"] = ""
        let json = try JSONSerialization.jsonObject(with: try FormBody.json("issue-review-opinion", values).get()) as? [String: Any]
        let findings = json?["findings"] as? [[String: Any]] ?? []
        #expect(findings.count == ReviewCriterion.allCases.count)
        #expect(findings[1]["satisfied"] as? Bool == false && findings[0]["satisfied"] as? Bool == true)
        #expect(json?["ownInfrastructureAccepted"] == nil)

        let draft =
            try JSONSerialization.jsonObject(
                with: try FormBody.json(
                    "update",
                    [
                        "name": "n", "source": "unitDeclaration", "planYear": "2027",
                        "category": "businessSystem", "totalInvestmentFen": "100", "content": "c", "goals": "g",
                        "ownInfrastructure.items": " ",
                        "ownInfrastructure.justification": "",
                    ]
                ).get()) as? [String: Any]
        #expect(draft?["ownInfrastructure"] == nil && draft?["totalInvestmentFen"] as? Int == 10_000)
    }

    @Test("Typed values come back into the form after a refusal, with the field's error beside it")
    func keepsTypedValues() {
        let typed = ["amountFen": "abc", "paidOn": "2026-03-02", "voucherNumber": "凭证<1>"]
        let errors = [Violation.input("amountFen", "「金额(元)」应为以元为单位、最多两位小数的金额")]
        let form = ActionForm.of("disburse", title: "拨付资金", choices: FormChoices(today: Self.today), values: typed, errors: errors)
        #expect(form.fields.first { $0.name == "amountFen" }?.value == "abc")
        #expect(form.fields.first { $0.name == "amountFen" }?.error?.contains("金额") == true)
        #expect(form.fields.first { $0.name == "voucherNumber" }?.value == "凭证<1>")
        // The core names nested fields by JSON path; the error lands beside the same row's input.
        let review = ActionForm.of(
            "issue-review-opinion", title: "出具审查意见", choices: FormChoices(today: Self.today),
            values: ["findings.2.comment": ""], errors: [.input("findings[2].comment", "请填写意见")])
        #expect(review.fields.first { $0.name == "findings.2.comment" }?.error == "请填写意见")
    }

    @Test("A free list (采购内容) marks its rows and offers 再加一项 after the last; a fifth row typed by hand reaches the body")
    func freeListRows() throws {
        let form = ActionForm.of("record-procurement", title: "登记招标采购", choices: FormChoices(today: Self.today))
        let rows = Set(form.fields.compactMap(\.row))
        #expect(rows == ["items.0", "items.1", "items.2"])
        #expect(form.fields.filter { $0.addRowAfter != nil }.map(\.addRowAfter) == ["items"])
        #expect(form.fields.last { $0.row == "items.2" }?.addRowAfter == "items")
        // A preset list (审查要点: one row per criterion) is complete as drawn: no 再加一项.
        let review = ActionForm.of("issue-review-opinion", title: "出具审查意见", choices: FormChoices(today: Self.today))
        #expect(review.fields.allSatisfy { $0.addRowAfter == nil })
        // What the script adds is one more index; the body takes every row typed.
        var values = Self.filled(form)
        for field in form.fields where field.row == "items.2" {
            values[field.name.replacingOccurrences(of: "items.2.", with: "items.4.")] = values[field.name]
        }
        let json = try JSONSerialization.jsonObject(with: try FormBody.json("record-procurement", values).get()) as? [String: Any]
        #expect((json?["items"] as? [Any])?.count == 4)
    }
}
