import ZhengxinCore

/// The inputs of an action form as HTML, written in Swift rather than by a Leaf template: the
/// project page draws one form per open action, each field through half a dozen `#if` comparisons,
/// and Leaf's interpreter spent most of a page's time there. The markup is
/// the template `project-fields.leaf` drew before; every text is escaped as Leaf's `#( )` escapes it.
enum FormFieldsHTML {
    static func render(_ fields: [FormField]) -> String {
        var out = ""
        out.reserveCapacity(fields.count * 260)
        for field in fields { append(field, to: &out) }
        return out
    }

    private static func e(_ s: String) -> String { TimelineSVG.escape(s) }

    private static func append(_ f: FormField, to out: inout String) {
        if let section = f.section { out += "<h4 class=\"form-section\">\(e(section))</h4>\n" }
        out += "<div class=\"field"
        if f.error != nil { out += " field-error" }
        if f.input == .checkbox { out += " field-check" }
        out += "\""
        if let row = f.row { out += " data-row=\"\(e(row))\"" }
        out += ">\n"
        let id = e(f.id), name = e(f.name), required = f.required ? " required" : ""
        if f.input == .checkbox {
            out += "  <input type=\"hidden\" name=\"\(name)\" value=\"false\"><input type=\"checkbox\" id=\"\(id)\" name=\"\(name)\" value=\"true\"\(f.checked ? " checked" : "")>\n"
            out += "  <label for=\"\(id)\">\(e(f.label))</label>\n"
        } else {
            out += "  <label for=\"\(id)\">\(e(f.label))"
            if f.required { out += " <span class=\"required\" aria-hidden=\"true\">*</span>" }
            out += "</label>\n"
            let value = e(f.value)
            switch f.input {
            case .textarea: out += "<textarea id=\"\(id)\" name=\"\(name)\" rows=\"3\"\(required)>\(value)</textarea>"
            case .lines: out += "<textarea id=\"\(id)\" name=\"\(name)\" rows=\"3\">\(value)</textarea>"
            case .select:
                out += "<select id=\"\(id)\" name=\"\(name)\"\(required)>"
                for o in f.options { out += "<option value=\"\(e(o.value))\"\(o.selected ? " selected" : "")>\(e(o.label))</option>" }
                out += "</select>"
            case .date: out += "<input type=\"date\" id=\"\(id)\" name=\"\(name)\" value=\"\(value)\"\(required)>"
            case .integer: out += "<input type=\"number\" step=\"1\" id=\"\(id)\" name=\"\(name)\" value=\"\(value)\"\(required)>"
            case .amount: out += "<input type=\"text\" inputmode=\"decimal\" id=\"\(id)\" name=\"\(name)\" value=\"\(value)\" placeholder=\"0.00\"\(required)>"
            case .text, .numbers, .checkbox: out += "<input type=\"text\" id=\"\(id)\" name=\"\(name)\" value=\"\(value)\"\(required)>"
            }
            out += "\n"
        }
        if let hint = f.hint { out += "<span class=\"muted\">\(e(hint))</span>\n" }
        if let error = f.error { out += "<span class=\"field-message\" role=\"alert\">\(e(error))</span>\n" }
        out += "</div>\n"
        if let list = f.addRowAfter { out += "<button type=\"button\" class=\"button add-row\" data-list=\"\(e(list))\" hidden>再加一项</button>\n" }
    }
}
