import Foundation

/// One pass over a JSON body's bytes for what a decoder cannot be trusted to report: a key repeated
/// in one object (decoders keep one of the two silently, so `"classified":false,"classified":true`
/// would mean whatever the decoder chose), and the path of the first number that is not an exact
/// Int64 (Foundation reports an out-of-range integer as invalid JSON, naming no field). Paths are in
/// the form the violations use (`lines[0].plannedAmountFen`), each key cut to 64 characters so a
/// hostile key cannot make the answer or the audit record large.
struct JSONShape {
    private(set) var duplicateKey: String?
    private(set) var nonIntegerNumber: String?

    private enum Frame {
        case object(keys: Set<String>, current: String?, expectingKey: Bool)
        case array(index: Int)
    }

    init(_ body: Data) {
        let bytes = [UInt8](body)
        var stack: [Frame] = []
        var i = 0
        while i < bytes.count, duplicateKey == nil {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "{"):
                stack.append(.object(keys: [], current: nil, expectingKey: true))
            case UInt8(ascii: "["):
                stack.append(.array(index: 0))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = stack.popLast()
            case UInt8(ascii: ","):
                switch stack.last {
                case .object(let keys, let current, _): stack[stack.count - 1] = .object(keys: keys, current: current, expectingKey: true)
                case .array(let index): stack[stack.count - 1] = .array(index: index + 1)
                case nil: break
                }
            case UInt8(ascii: "\""):
                var j = i + 1
                var escaped = false
                var hasEscape = false
                while j < bytes.count {
                    let c = bytes[j]
                    if escaped {
                        escaped = false
                    } else if c == UInt8(ascii: "\\") {
                        escaped = true; hasEscape = true
                    } else if c == UInt8(ascii: "\"") {
                        break
                    }
                    j += 1
                }
                if case .object(var keys, _, true) = stack.last {
                    let raw = Array(bytes[(i + 1)..<min(j, bytes.count)])
                    let key = hasEscape ? Self.unescaped(raw) : String(decoding: raw, as: UTF8.self)
                    if !keys.insert(key).inserted { duplicateKey = Self.path(stack.dropLast(), then: key) }
                    stack[stack.count - 1] = .object(keys: keys, current: key, expectingKey: false)
                }
                i = j
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                var j = i
                while j < bytes.count, Self.isNumberByte(bytes[j]) { j += 1 }
                if nonIntegerNumber == nil, Int64(String(decoding: bytes[i..<j], as: UTF8.self)) == nil {
                    nonIntegerNumber = Self.path(stack[...], then: nil)
                }
                i = j - 1
            default:
                break
            }
            i += 1
        }
    }

    private static func isNumberByte(_ b: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+")
            || b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
    }

    /// A key written with escapes (`\u0063lassified`) is the key it spells.
    private static func unescaped(_ raw: [UInt8]) -> String {
        let quoted = Data([UInt8(ascii: "\"")] + raw + [UInt8(ascii: "\"")])
        return (try? JSONSerialization.jsonObject(with: quoted, options: [.fragmentsAllowed]) as? String)
            ?? String(decoding: raw, as: UTF8.self)
    }

    private static func path(_ frames: ArraySlice<Frame>, then key: String?) -> String {
        var path = ""
        for frame in frames {
            switch frame {
            case .object(_, let current, _): if let current { path += (path.isEmpty ? "" : ".") + String(current.prefix(64)) }
            case .array(let index): path += "[\(index)]"
            }
        }
        if let key { path += (path.isEmpty ? "" : ".") + String(key.prefix(64)) }
        return path
    }
}
