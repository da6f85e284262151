import Foundation
import ZhengxinCore

/// A submitted action form (field path → typed text) turned back into the JSON body the core
/// decodes: amounts typed in 元 become exact fen, dates and enumerations are checked, empty
/// optional fields and blank list rows are left out. Input errors name the field in Chinese.
enum FormBody {
    /// The most rows a list in a form may hold, and the highest row index plus one: a posted index
    /// beyond it is refused, and a refused form is drawn again with at most this many rows.
    static let maxRows = 200

    /// The input errors of a submitted form, each on its field.
    struct Invalid: Error {
        var violations: [Violation]
    }

    /// The submitted values with their keys in order, so that everything typed under a prefix (an
    /// optional object, a list row) is found by a binary search rather than a pass over every key:
    /// a form's cost stays proportional to its size, however many rows it posts.
    struct Form {
        let values: [String: String]
        /// Keys whose value counts as typed (not blank, not an unchecked box's "false"), sorted.
        private let typed: [String]
        /// Every key, sorted.
        private let keys: [String]

        init(_ values: [String: String]) {
            self.values = values
            keys = values.keys.sorted()
            typed = keys.filter { key in
                let value = values[key] ?? ""
                return value != "false" && !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            }
        }

        subscript(_ key: String) -> String? { values[key] }

        /// The keys of `sorted` that begin with `prefix`.
        private static func under(_ prefix: String, in sorted: [String]) -> ArraySlice<String> {
            var (low, high) = (0, sorted.count)
            while low < high {
                let mid = (low + high) / 2
                if sorted[mid] < prefix { low = mid + 1 } else { high = mid }
            }
            var end = low
            while end < sorted.count && sorted[end].hasPrefix(prefix) { end += 1 }
            return sorted[low..<end]
        }

        func keys(under prefix: String) -> ArraySlice<String> { Self.under(prefix, in: keys) }

        /// Whether nothing was typed under `prefix` (a blank optional object or list row).
        func isBlank(_ prefix: String, ignoring preset: String? = nil) -> Bool {
            let presetKey = preset.map { prefix + $0 }
            return !Self.under(prefix, in: typed).contains { $0 != presetKey }
        }
    }

    static func json(_ action: String, _ values: [String: String]) -> Result<Data, Invalid> {
        guard let fields = PayloadNotation.fields(ofAction: action) else {
            return .failure(Invalid(violations: [.input("action", "未知的操作: \(action)")]))
        }
        var errors: [Violation] = []
        let object = convert(fields, prefix: "", Form(values), inRow: false, &errors)
        guard errors.isEmpty else { return .failure(Invalid(violations: errors)) }
        do {
            return .success(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
        } catch {
            return .failure(Invalid(violations: [.input("form", "表单内容无法转换")]))
        }
    }

    static func convert(_ fields: [NotationField], prefix: String, _ form: Form, inRow: Bool, _ errors: inout [Violation]) -> [String: Any]
    {
        var out: [String: Any] = [:]
        for f in fields {
            let name = prefix + f.name
            let label = FormVocabulary.label(f)
            switch f.type {
            case .component(let c):
                if f.optional && form.isBlank(name + ".") { continue }
                out[f.name] = convert(PayloadNotation.component(c), prefix: name + ".", form, inRow: inRow, &errors)
            case .array(.component(let c)):
                let rowFields = PayloadNotation.component(c)
                let presetEnum = rowFields.first.flatMap { first -> String? in
                    if case .enumeration = first.type, !first.optional { return first.name } else { return nil }
                }
                let indices = Set(
                    form.keys(under: name + ".").compactMap { key -> Int? in
                        Int(key.dropFirst(name.count + 1).prefix { $0 != "." })
                    }
                ).sorted()
                if let last = indices.last, last >= maxRows || indices.count > maxRows {
                    errors.append(.input(name, "「\(label)」至多\(maxRows)项"))
                    continue
                }
                // A row with nothing typed but its preset value is still an answer when the list asks about every value.
                let rows = indices.filter { i in
                    presetEnum != nil ? form["\(name).\(i).\(presetEnum!)"]?.isEmpty == false : !form.isBlank("\(name).\(i).")
                }
                if f.optional && rows.isEmpty { continue }
                out[f.name] = rows.map { convert(rowFields, prefix: "\(name).\($0).", form, inRow: true, &errors) }
            default:
                let raw = f.type == .array(.uuid) ? ReviewSimilarityForm.ids(name, form) : form[name]
                if let value = scalar(f, name: name, label: label, raw, inRow: inRow, &errors) { out[f.name] = value }
            }
        }
        return out
    }

    static func scalar(_ f: NotationField, name: String, label: String, _ raw: String?, inRow: Bool, _ errors: inout [Violation]) -> Any? {
        let text = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if case .bool = f.type {
            if f.optional {
                guard !text.isEmpty else { return nil }
                guard text == "true" || text == "false" else { errors.append(.input(name, "「\(label)」应选择是或否")); return nil }
                return text == "true"
            }
            return text == "true" || text == "on"
        }
        if text.isEmpty {
            if f.optional { return nil }
            // Inside a list row the core judges an empty text (e.g. no comment on a criterion).
            if inRow, case .string = f.type { return "" }
            errors.append(.input(name, "请填写「\(label)」"))
            return nil
        }
        switch f.type {
        case .string:
            return raw ?? ""
        case .int:
            guard let n = Int(text) else { errors.append(.input(name, "「\(label)」应为整数")); return nil }
            return n
        case .fen:
            switch Fen.parsing(text) {
            case .success(let fen): return fen.value
            case .failure(let refusal): errors.append(.input(name, "「\(label)」: \(refusal.message)")); return nil
            }
        case .date:
            guard CivilDate(iso: text) != nil else { errors.append(.input(name, "「\(label)」应为有效日期(YYYY-MM-DD)")); return nil }
            return text
        case .uuid:
            guard let id = UUIDText.parse(text) else { errors.append(.input(name, "「\(label)」无效")); return nil }
            return id.uuidString
        case .enumeration(let e):
            guard FormVocabulary.option(e, text) != nil else { errors.append(.input(name, "请选择「\(label)」")); return nil }
            return text
        case .array(.int):
            var numbers: [Int] = []
            for part in text.split(whereSeparator: { $0 == "," || $0 == "，" || $0 == "、" || $0.isWhitespace }) {
                guard let n = Int(part) else { errors.append(.input(name, "「\(label)」应为以逗号分隔的整数")); return nil }
                numbers.append(n)
            }
            return numbers
        case .array:
            return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case .bool, .component:
            return nil
        }
    }
}
