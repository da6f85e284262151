/// PayloadSchemas' compact body notation read as fields, for the web forms: the same source the
/// OpenAPI document is built from, so a form cannot drift from the body the core decodes.
indirect enum NotationType: Sendable, Hashable {
    case string, int, fen, bool, date, uuid
    case enumeration(String)
    case component(String)
    case array(NotationType)

    init(_ t: String) {
        if t.hasPrefix("[") && t.hasSuffix("]") { self = .array(NotationType(String(t.dropFirst().dropLast()))); return }
        if t.hasPrefix("#") { self = .component(String(t.dropFirst())); return }
        if t.hasPrefix("enum:") { self = .enumeration(String(t.dropFirst(5))); return }
        switch t {
        case "int": self = .int
        case "fen": self = .fen
        case "bool": self = .bool
        case "date": self = .date
        case "uuid": self = .uuid
        default: self = .string
        }
    }
}

struct NotationField: Sendable, Hashable {
    var name: String
    var type: NotationType
    var optional: Bool
}

enum PayloadNotation {
    /// The fields of an action's body; a body that is one component ("#ProjectDraft") is that component's fields.
    static func fields(ofAction action: String) -> [NotationField]? {
        guard let notation = PayloadSchemas.actions[action] else { return nil }
        return fields(notation)
    }

    static func fields(_ notation: String) -> [NotationField] {
        if notation.hasPrefix("#") && !notation.contains(" ") {
            return fields(PayloadSchemas.components[String(notation.dropFirst())] ?? "")
        }
        return notation.split(separator: " ").compactMap { token in
            var text = String(token)
            let optional = text.hasPrefix("?")
            if optional { text.removeFirst() }
            guard let colon = text.firstIndex(of: ":") else { return nil }
            return NotationField(
                name: String(text[..<colon]), type: NotationType(String(text[text.index(after: colon)...])), optional: optional)
        }
    }

    static func component(_ name: String) -> [NotationField] { fields(PayloadSchemas.components[name] ?? "") }
}
