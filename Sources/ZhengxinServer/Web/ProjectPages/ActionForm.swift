import Foundation
import ZhengxinCore

/// One choice of a select.
struct FormOption: Encodable, Sendable, Hashable {
    var value: String
    var label: String
    var selected = false
}

/// One input of an action form, as `project-fields.leaf` draws it. Names are paths into the JSON body:
/// "amountFen", "ownInfrastructure.items", "findings.2.comment".
struct FormField: Encodable, Sendable {
    enum Input: String, Encodable, Sendable {
        case text, textarea, amount, integer, date, checkbox, select, lines, numbers
        /// Checkboxes over `options`, each named "<name>.<value>" (查重's matches to tick as considered).
        case checks
    }
    var name: String
    var id: String
    var label: String
    var input: Input
    var required: Bool
    var value: String
    var checked: Bool
    var options: [FormOption]
    /// A heading drawn before this field (a nested object or a row of a list).
    var section: String?
    var hint: String?
    /// The input error on this field, after a submission.
    var error: String?
    /// The list row this field belongs to ("items.2"), so a script can copy the last row.
    var row: String? = nil
    /// Set on the last field of a free list (not one row per preset value): the list's name, under
    /// which the page offers 再加一项 when scripts run (without them, the rows drawn are the rows).
    var addRowAfter: String? = nil

    /// The template asks which input to draw by one flag each (`#if(f.isSelect)`), not by comparing names.
    private enum CodingKeys: String, CodingKey {
        case name, id, label, required, value, checked, options, section, hint, error, row, addRowAfter
        case isCheckbox, isTextarea, isLines, isSelect, isDate, isInteger, isAmount, isChecks
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(id, forKey: .id)
        try c.encode(label, forKey: .label)
        try c.encode(required, forKey: .required)
        try c.encode(value, forKey: .value)
        try c.encode(checked, forKey: .checked)
        try c.encode(options, forKey: .options)
        try c.encodeIfPresent(section, forKey: .section)
        try c.encodeIfPresent(hint, forKey: .hint)
        try c.encodeIfPresent(error, forKey: .error)
        try c.encodeIfPresent(row, forKey: .row)
        try c.encodeIfPresent(addRowAfter, forKey: .addRowAfter)
        try c.encode(input == .checkbox, forKey: .isCheckbox)
        try c.encode(input == .textarea, forKey: .isTextarea)
        try c.encode(input == .lines, forKey: .isLines)
        try c.encode(input == .select, forKey: .isSelect)
        try c.encode(input == .date, forKey: .isDate)
        try c.encode(input == .integer, forKey: .isInteger)
        try c.encode(input == .amount, forKey: .isAmount)
        try c.encode(input == .checks, forKey: .isChecks)
    }
}

/// Choices the form offers by name rather than by number or id: the project's documents,
/// incidents, changes, findings…, and organisations and users.
struct FormChoices: Sendable {
    var record: ProjectRecord?
    var vendors: [FormOption] = []
    var users: [FormOption] = []
    var today: CivilDate
    /// 查重's matches the 集约性 finding is to consider (SimilarPanel), and whether a restricted one is among them.
    var similar: [FormOption] = []
    var similarRestricted = false

    func numbered(_ field: String) -> [FormOption]? {
        guard let p = record else { return nil }
        switch field {
        case "designDocumentNumber", "documentNumber":
            return p.documents.map { FormOption(value: String($0.number), label: "\($0.number). \($0.kind.chinese) \($0.filename)") }
        case "incidentNumber":
            return p.incidents.map { FormOption(value: String($0.number), label: "\($0.number). \($0.kind.chinese) \($0.description)") }
        case "changeNumber": return p.changes.map { FormOption(value: String($0.number), label: "\($0.number). \($0.description)") }
        case "findingNumber":
            return p.supervision.findings.map {
                FormOption(value: String($0.number), label: "\($0.number). \($0.description)(\($0.status.chinese))")
            }
        case "urgeNumber":
            return p.supervision.unansweredUrges.map {
                FormOption(value: String($0.number), label: "\($0.number). \($0.agency.chinese) \($0.matter)")
            }
        case "sanctionNumber":
            return p.supervision.sanctions.map { FormOption(value: String($0.number), label: "\($0.number). \($0.kind.chinese)") }
        case "applicationNumber":
            return p.operations.feeApplications.map {
                FormOption(value: String($0.number), label: "\($0.number). \($0.year)年度 \($0.requestedAmount.yuanText)")
            }
        case "indicatorNumber":
            return p.performanceGoals?.indicators.map {
                FormOption(value: String($0.number), label: "\($0.number). \($0.name)(\($0.targetText),\($0.weight.text)分)")
            }
        case "evidenceDocumentNumber":
            return p.documents.map { FormOption(value: String($0.number), label: "\($0.number). \($0.kind.chinese) \($0.filename)") }
        case "procurementNumber":
            return p.procurements.map { FormOption(value: String($0.number), label: "\($0.number). \($0.supplier) \($0.amount.yuanText)") }
        default: return nil
        }
    }

    /// A list whose rows answer for each numbered thing of the record (绩效评价: one row per 绩效指标,
    /// R-GOAL-2) gets one row per number, preset, as a list over an enumeration does.
    func numberedRows(_ rows: [NotationField]) -> (field: String, values: [String])? {
        guard let first = rows.first, first.name == "indicatorNumber", let options = numbered(first.name), !options.isEmpty else {
            return nil
        }
        return (first.name, options.map(\.value))
    }

    func identified(_ field: String) -> [FormOption]? {
        switch field {
        case "contractorOrganisationId", "supervisionFirmOrganisationId": return vendors
        case "userId": return users.isEmpty ? nil : users
        default: return nil
        }
    }
}

/// The form of an action: its fields, filled with what the user typed (or defaults).
struct ActionForm: Encodable, Sendable {
    var action: String
    var title: String
    var fields: [FormField]

    static func of(
        _ action: String, title: String, choices: FormChoices, values: [String: String]? = nil,
        errors: [Violation] = []
    ) -> ActionForm {
        var builder = FormBuilder(action: action, choices: choices, values: values)
        builder.add(PayloadNotation.fields(ofAction: action) ?? [], prefix: "", optionalParent: false, section: nil)
        var fields = builder.fields
        for i in fields.indices {
            fields[i].error = errors.first { $0.field.map(fieldName) == fields[i].name }?.message
        }
        return ActionForm(action: action, title: title, fields: fields)
    }

    /// The form's name of a field the core names by its JSON path: "findings[2].comment" is "findings.2.comment".
    static func fieldName(_ path: String) -> String {
        path.replacingOccurrences(of: "[", with: ".").replacingOccurrences(of: "]", with: "")
    }
}

/// Walks the notation into fields.
private struct FormBuilder {
    let action: String
    let choices: FormChoices
    let values: [String: String]?
    var fields: [FormField] = []
    var pendingSection: String?
    /// The list row being drawn, if any.
    var row: String?

    init(action: String, choices: FormChoices, values: [String: String]?) {
        self.action = action
        self.choices = choices
        self.values = values
    }

    mutating func add(_ notation: [NotationField], prefix: String, optionalParent: Bool, section: String?, preset: (String, String)? = nil)
    {
        pendingSection = section
        for f in notation {
            let name = prefix + f.name
            let label = FormVocabulary.label(f)
            switch f.type {
            case .component(let c):
                add(
                    PayloadNotation.component(c), prefix: name + ".", optionalParent: optionalParent || f.optional,
                    section: label + (f.optional ? "(可选,不填则不提交)" : ""))
            case .array(.component(let c)):
                let rows = PayloadNotation.component(c)
                let cases = rowPreset(rows) ?? choices.numberedRows(rows)
                let count = max(cases?.values.count ?? 3, submittedRows(name))
                for i in 0..<count {
                    let presetValue = cases.flatMap { i < $0.values.count ? ($0.field, $0.values[i]) : nil }
                    let outer = row
                    row = "\(name).\(i)"
                    add(rows, prefix: "\(name).\(i).", optionalParent: true, section: "\(label) 第\(i + 1)项", preset: presetValue)
                    row = outer
                }
                if cases == nil, !fields.isEmpty { fields[fields.count - 1].addRowAfter = name }
            default:
                if ReviewSimilarityForm.skips(f.name, criterion: preset?.1, choices) { continue }
                leaf(f, name: name, label: label, required: !f.optional && !optionalParent, preset: preset?.0 == f.name ? preset?.1 : nil)
            }
        }
    }

    /// A list of objects whose first field is an enumeration gets one row per value, preset
    /// (审查要点, 合同条款): the form then asks about each of them.
    func rowPreset(_ rows: [NotationField]) -> (field: String, values: [String])? {
        guard let first = rows.first, case .enumeration(let e) = first.type, !first.optional else { return nil }
        return (first.name, PayloadSchemas.enums[e] ?? [])
    }

    func submittedRows(_ name: String) -> Int {
        guard let values else { return 0 }
        // Indices come from the post: only those a form may hold (FormBody.maxRows) are drawn again.
        let indices = values.keys.compactMap { key -> Int? in
            guard key.hasPrefix(name + ".") else { return nil }
            return Int(key.dropFirst(name.count + 1).prefix { $0 != "." }).flatMap { (0..<FormBody.maxRows).contains($0) ? $0 : nil }
        }
        return (indices.max() ?? -1) + 1
    }

    /// The input's HTML id: "f-<action>-<name with dots as dashes>". Scalar by scalar: Foundation's
    /// replacingOccurrences here showed in the time of every project page.
    static func elementId(_ action: String, _ name: String) -> String {
        "f-\(action)-" + String(String.UnicodeScalarView(name.unicodeScalars.map { $0 == "." ? "-" : $0 }))
    }

    mutating func leaf(_ f: NotationField, name: String, label: String, required: Bool, preset: String?) {
        let typed = values?[name]
        var field = FormField(
            name: name, id: Self.elementId(action, name), label: label,
            input: .text, required: required, value: typed ?? preset ?? "", checked: false, options: [],
            section: pendingSection, hint: nil, error: nil, row: row)
        pendingSection = nil
        switch f.type {
        case .string:
            field.input = FormVocabulary.longText.contains(f.name) ? .textarea : .text
        case .int:
            if let options = choices.numbered(f.name) {
                field.input = .select
                field.options = options
            } else {
                field.input = .integer
            }
        case .fen:
            field.input = .amount
            field.hint = "单位: 元,最多两位小数"
        case .date:
            field.input = .date
            if typed == nil && values == nil && !f.optional { field.value = choices.today.description }
        case .uuid:
            if let options = choices.identified(f.name) {
                field.input = .select
                field.options = options
            }
        case .bool:
            if f.optional {
                field.input = .select
                field.options = [FormOption(value: "true", label: "是"), FormOption(value: "false", label: "否")]
            } else {
                field.input = .checkbox
                field.checked = typed.map { $0 == "true" || $0 == "on" } ?? false
            }
        case .enumeration(let e):
            field.input = .select
            field.options = (PayloadSchemas.enums[e] ?? []).map { FormOption(value: $0, label: FormVocabulary.option(e, $0) ?? $0) }
        case .array(.int):
            field.input = .numbers
        case .array(.uuid) where f.name == ReviewSimilarityForm.considered && !choices.similar.isEmpty:
            field.input = .checks
            field.options = ReviewSimilarityForm.ticked(choices.similar, name: name, values)
        case .array:
            field.input = .lines
        case .component:
            break
        }
        if field.input == .select {
            if !field.required || field.options.isEmpty { field.options.insert(FormOption(value: "", label: "(不选)"), at: 0) }
            for i in field.options.indices { field.options[i].selected = field.options[i].value == field.value }
        }
        fields.append(field)
    }
}
