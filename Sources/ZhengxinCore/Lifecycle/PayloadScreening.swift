import Foundation

/// Checks a JSON body must pass before it is decoded, whatever payload it is for:
/// - nesting no deeper than `maxDepth`, judged by a flat scan, so a body of a hundred thousand
///   brackets never reaches a recursive parser or walker;
/// - no control characters (other than tab and line breaks) and no bidirectional overrides in any
///   string: they cannot be stored in PostgreSQL text (NUL), corrupt terminals and logs (ESC), or
///   make a name read differently from what it is (U+202E).
public enum PayloadScreening {
    public static let maxDepth = 32

    public static func violation(in body: Data) -> Violation? {
        // UTF-8 only: Foundation's JSON parsers take UTF-16 and UTF-32 too, whose bytes the screens below
        // do not read as text (U+202E is 2E 20 there, and a NUL 00 00), so such a body passed them all.
        if body.contains(0) || String(data: body, encoding: .utf8) == nil { return .input("", "请求内容须为 UTF-8 编码的 JSON") }
        if tooDeep(body) { return .input("", "请求内容嵌套层次过深(不超过\(maxDepth)层)") }
        if let key = JSONShape(body).duplicateKey { return .input(key, "字段「\(key)」在同一对象中重复出现") }
        guard mayHoldForbiddenScalars(body),
            let json = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]),
            let field = forbiddenText(in: json, at: "")
        else { return nil }
        return refusal(field: field, name: field.isEmpty ? "请求内容" : "字段「\(field)」")
    }

    /// The refusal of text holding a forbidden scalar, `name` saying which text (empty: the field's
    /// own label says it, as a batch row's).
    public static func refusal(field: String, name: String) -> Violation {
        .input(field, "\(name)含有不允许的控制字符、文字方向控制符、分行符或非字符")
    }

    /// Whether `text` holds a scalar the screen refuses (isForbidden): for text that reaches the
    /// system by a way other than a JSON body (a workbook cell, a form's name field).
    public static func holdsForbidden(_ text: String) -> Bool { text.unicodeScalars.contains(where: isForbidden) }

    /// Stricter, for a one-line value quoted in an audit summary (a login name, an audit filter): no
    /// tab or line break either, which would forge a line there.
    public static func isPrintableLine(_ text: String) -> Bool { !text.unicodeScalars.contains { $0.value < 0x20 || isForbidden($0) } }

    static func tooDeep(_ body: Data) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in body {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maxDepth { return true }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return false
    }

    /// C0 controls arrive only as \u escapes (raw ones are not JSON); DEL and the C1 controls are
    /// valid JSON raw too, as 7F and C2 80–9F (a page form's body is made by a serialiser that writes
    /// them raw); bidi controls and marks and the line separators raw as E2 80 xx, E2 81 xx or D8 9C;
    /// noncharacters. Anything else skips the second parse.
    static func mayHoldForbiddenScalars(_ body: Data) -> Bool {
        var previous: UInt8 = 0
        for byte in body {
            if previous == UInt8(ascii: "\\") && byte == UInt8(ascii: "u") { return true }
            if byte == 0x7F || (previous == 0xC2 && (0x80...0x9F).contains(byte)) { return true }
            if previous == 0xE2 && (byte == 0x80 || byte == 0x81) { return true }
            if previous == 0xD8 && byte == 0x9C { return true }  // U+061C
            // Noncharacters: U+FDD0–FDEF as EF B7 90–AF, U+FFFE, U+FFFF and their kind beyond as … BF BE|BF.
            if (previous == 0xB7 && (0x90...0xAF).contains(byte)) || (previous == 0xBF && byte >= 0xBE) { return true }
            previous = byte
        }
        return false
    }

    static func forbiddenText(in value: Any, at here: String) -> String? {
        if let text = value as? String {
            return holdsForbidden(text) ? here : nil
        }
        if let object = value as? [String: Any] {
            for key in object.keys.sorted() {
                let path = here.isEmpty ? key : here + "." + key
                if holdsForbidden(key) { return path }
                if let found = forbiddenText(in: object[key]!, at: path) { return found }
            }
        } else if let array = value as? [Any] {
            for (i, element) in array.enumerated() {
                if let found = forbiddenText(in: element, at: here + "[\(i)]") { return found }
            }
        }
        return nil
    }

    public static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return false  // tab and line breaks are ordinary text
        case 0x00...0x1F, 0x7F...0x9F: return true  // C0 and C1 controls
        case 0x202A...0x202E, 0x2066...0x2069: return true  // bidirectional embeddings, overrides, isolates
        // Bidirectional marks (LRM, RLM, ALM), which still reorder the neutral characters around them in
        // a displayed name, and the line and paragraph separators, which break a line where a renderer
        // honours them: none belongs in this system's Chinese text.
        case 0x200E, 0x200F, 0x061C, 0x2028, 0x2029: return true
        // Noncharacters: never text. U+FFFE and U+FFFF are not even allowed in XML, and one in a project's
        // name made the workbook download of every list that held it malformed.
        case 0xFDD0...0xFDEF: return true
        case let v where v & 0xFFFE == 0xFFFE: return true
        default: return false
        }
    }
}
