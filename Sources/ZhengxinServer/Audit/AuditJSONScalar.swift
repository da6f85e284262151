import Foundation
import ZhengxinCore

/// A value the audit diff writes as JSON text itself, exactly as JSONEncoder (sorted keys, slashes
/// unescaped) writes it: a string, number, boolean, date or identifier. One JSONEncoder call costs
/// microseconds of setup, and a project's creation alone has a few dozen such fields; a test holds
/// every conformance to JSONEncoder's own output (AuditDiffTests).
protocol AuditJSONScalar: Encodable, Equatable, Sendable {
    var auditJSON: String { get }
}

enum JSONText {
    /// `s` as a JSON string literal, escaped as JSONEncoder escapes it (withoutEscapingSlashes).
    static func quoted(_ s: String) -> String {
        var out = "\""
        append(s, to: &out)
        out += "\""
        return out
    }

    static func append(_ s: String, to out: inout String) {
        // Fast path: nothing to escape (the usual Chinese or ASCII text).
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += s
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
    }
}

extension String: AuditJSONScalar { var auditJSON: String { JSONText.quoted(self) } }
extension Bool: AuditJSONScalar { var auditJSON: String { self ? "true" : "false" } }
extension Int: AuditJSONScalar { var auditJSON: String { String(self) } }
extension Int64: AuditJSONScalar { var auditJSON: String { String(self) } }
extension UUID: AuditJSONScalar { var auditJSON: String { "\"" + uuidString + "\"" } }
extension CivilDate: AuditJSONScalar { var auditJSON: String { "\"" + description + "\"" } }
extension Instant: AuditJSONScalar { var auditJSON: String { String(secondsSinceEpoch) } }
extension Fen: AuditJSONScalar { var auditJSON: String { String(value) } }
extension Stage: AuditJSONScalar { var auditJSON: String { JSONText.quoted(rawValue) } }
extension ProjectSource: AuditJSONScalar { var auditJSON: String { JSONText.quoted(rawValue) } }
extension ProjectCategory: AuditJSONScalar { var auditJSON: String { JSONText.quoted(rawValue) } }
