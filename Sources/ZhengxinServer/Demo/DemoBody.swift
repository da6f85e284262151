import Foundation

/// The JSON text of a demo or bench step's body, as a client would send it. The bodies are
/// literals of strings, integers, booleans, arrays and dictionaries; Foundation's
/// JSONSerialization bridges each of them through NSNumber/NSString and was an eighth of
/// zhengxin-bench's time, so those types are written here and anything else goes to JSONSerialization.
enum DemoBody {
    static func json(_ body: [String: Any]) throws -> Data {
        var out = ""
        out.reserveCapacity(256)
        guard write(body, to: &out) else { return try JSONSerialization.data(withJSONObject: body) }
        return Data(out.utf8)
    }

    /// False when `value` holds a type this writer does not know.
    private static func write(_ value: Any, to out: inout String) -> Bool {
        switch value {
        case let s as String: out += JSONText.quoted(s)
        case let b as Bool: out += b ? "true" : "false"
        case let i as Int: out += String(i)
        case let i as Int64: out += String(i)
        case let d as [String: Any]:
            out += "{"
            for (n, key) in d.keys.sorted().enumerated() {
                if n > 0 { out += "," }
                out += JSONText.quoted(key)
                out += ":"
                guard write(d[key]!, to: &out) else { return false }
            }
            out += "}"
        case let a as [Any]:
            out += "["
            for (n, element) in a.enumerated() {
                if n > 0 { out += "," }
                guard write(element, to: &out) else { return false }
            }
            out += "]"
        default: return false
        }
        return true
    }
}
