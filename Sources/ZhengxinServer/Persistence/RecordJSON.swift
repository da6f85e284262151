import Foundation

/// How records, their audit diffs and the project answers are written and read: Foundation's JSON
/// coders, configured in one place. Keys are sorted so the same value always gives the same bytes
/// (a dictionary's order would otherwise vary from run to run, and the audit chain hashes these
/// bytes); slashes are left unescaped so a seal's base64 stands in the JSON exactly as sealed.
enum RecordJSON {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] { Array(try encoder().encode(value)) }

    /// `encode` as text, for the records stored in text columns (annual plans, policy versions, violations).
    static func text<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder().encode(value), as: UTF8.self) }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
