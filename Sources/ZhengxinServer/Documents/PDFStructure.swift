import Foundation

/// Just enough of PDF's syntax to find every stream with its dictionary: names, strings,
/// comments, dictionaries and arrays, and stream data skipped by its /Length (or up to
/// `endstream`). What cannot be read this way (an unterminated string or dictionary, nesting
/// deeper than any writer makes) is refused: a reader that lost its place could be made to
/// miss an object stream.
enum PDFStructure {
    indirect enum Value: Equatable {
        case name(String), int(Int), ref(Int), dict([String: Value]), array([Value]), other
    }

    struct Stream {
        var dict: [String: Value]
        var data: Range<Int>

        var isTypedObjectStream: Bool {
            if case .name(let type)? = dict["Type"], type.lowercased() == "objstm" { return true }
            return false
        }

        /// By its type, or by the keys a viewer reads compressed objects with (a viewer does not
        /// insist on the type).
        var isObjectStream: Bool { isTypedObjectStream || (dict["N"] != nil && dict["First"] != nil) }
    }

    static let maxDepth = 64

    static func refuse(_ why: String) -> DocumentSniffer.Refusal {
        DocumentSniffer.Refusal("DOC-PDF-STRUCTURE", "PDF 文件结构无法解析: \(why)")
    }

    static func isDelimiter(_ c: UInt8) -> Bool { "()<>[]{}/%".utf8.contains(c) }
    static func isWhite(_ c: UInt8) -> Bool { Markup.isSpace(c) || c == 0 }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }

    /// The name starting at `from` (after its '/'), `#xx` decoded, at most `limit` bytes of it,
    /// and where reading stopped.
    static func name(_ b: UnsafeBufferPointer<UInt8>, from: Int, limit: Int = .max) -> ([UInt8], Int) {
        var out: [UInt8] = []
        var k = from
        while k < b.count, out.count < limit {
            let c = b[k]
            if isWhite(c) || isDelimiter(c) { break }
            if c == 0x23, k + 2 < b.count, let hi = hexValue(b[k + 1]), let lo = hexValue(b[k + 2]) {
                out.append(hi << 4 | lo)
                k += 3
            } else {
                out.append(c)
                k += 1
            }
        }
        return (out, k)
    }

    enum Token {
        case name(String), dictOpen, dictClose, arrayOpen, arrayClose, string, word(String), other
    }

    struct Lexer {
        let b: UnsafeBufferPointer<UInt8>
        var i = 0
        var depth = 0

        mutating func skipSpace() {
            while i < b.count {
                if isWhite(b[i]) {
                    i += 1
                } else if b[i] == 0x25 {  // '%' comment to the end of the line
                    while i < b.count && b[i] != 0x0A && b[i] != 0x0D { i += 1 }
                } else {
                    return
                }
            }
        }

        mutating func next() throws -> Token? {
            skipSpace()
            guard i < b.count else { return nil }
            let c = b[i]
            switch c {
            case 0x2F:  // '/'
                let (bytes, end) = PDFStructure.name(b, from: i + 1)
                i = end
                return .name(String(decoding: bytes, as: UTF8.self))
            case 0x3C:  // '<'
                if i + 1 < b.count && b[i + 1] == 0x3C { i += 2; return .dictOpen }
                guard let close = b[(i + 1)...].firstIndex(of: 0x3E) else { throw refuse("十六进制字符串没有结束") }
                i = close + 1
                return .string
            case 0x3E:  // '>'
                if i + 1 < b.count && b[i + 1] == 0x3E { i += 2; return .dictClose }
                i += 1
                return .other
            case 0x5B: i += 1; return .arrayOpen
            case 0x5D: i += 1; return .arrayClose
            case 0x28:  // '(' literal string, nested parentheses, backslash escapes
                var level = 1
                i += 1
                while i < b.count {
                    switch b[i] {
                    case 0x5C: i += 2; continue
                    case 0x28: level += 1
                    case 0x29: level -= 1
                    default: break
                    }
                    i += 1
                    if level == 0 { return .string }
                }
                throw refuse("字符串没有结束")
            case 0x29, 0x7B, 0x7D:
                i += 1
                return .other
            default:
                let start = i
                while i < b.count && !isWhite(b[i]) && !isDelimiter(b[i]) && i - start < 64 { i += 1 }
                let word = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
                while i < b.count && !isWhite(b[i]) && !isDelimiter(b[i]) { i += 1 }
                return .word(word)
            }
        }

        mutating func value(_ token: Token) throws -> Value {
            switch token {
            case .dictOpen: return .dict(try dict())
            case .arrayOpen: return .array(try array())
            case .name(let n): return .name(n)
            case .word(let w):
                guard let n = Int(w) else { return .other }
                let save = i
                if case .word(let g)? = try? next(), Int(g) != nil, case .word("R")? = try? next() { return .ref(n) }
                i = save
                return .int(n)
            case .dictClose, .arrayClose: throw refuse("字典或数组的括号不配对")
            default: return .other
            }
        }

        mutating func dict() throws -> [String: Value] {
            depth += 1
            defer { depth -= 1 }
            guard depth <= maxDepth else { throw refuse("嵌套过深") }
            var result: [String: Value] = [:]
            while true {
                guard let token = try next() else { throw refuse("字典没有结束") }
                switch token {
                case .dictClose: return result
                case .name(let key):
                    guard let valueToken = try next() else { throw refuse("字典没有结束") }
                    if case .dictClose = valueToken { return result }
                    result[key] = try value(valueToken)
                case .arrayClose: throw refuse("字典或数组的括号不配对")
                default: _ = try value(token)
                }
            }
        }

        mutating func array() throws -> [Value] {
            depth += 1
            defer { depth -= 1 }
            guard depth <= maxDepth else { throw refuse("嵌套过深") }
            var result: [Value] = []
            while true {
                guard let token = try next() else { throw refuse("数组没有结束") }
                if case .arrayClose = token { return result }
                result.append(try value(token))
            }
        }

        func matches(_ word: String, at k: Int) -> Bool {
            let w = Array(word.utf8)
            return k + w.count <= b.count && Array(b[k..<(k + w.count)]) == w
        }

        /// The data of the stream `dict` opens, when the keyword `stream` follows it.
        mutating func streamData(_ dict: [String: Value]) throws -> Range<Int>? {
            let save = i
            while i < b.count && isWhite(b[i]) { i += 1 }
            guard matches("stream", at: i), i + 6 < b.count, b[i + 6] == 0x0A || b[i + 6] == 0x0D else {
                i = save
                return nil
            }
            var start = i + 6
            if b[start] == 0x0D && start + 1 < b.count && b[start + 1] == 0x0A { start += 2 } else { start += 1 }
            if case .int(let length)? = dict["Length"], length >= 0, length <= b.count - start {
                var k = start + length
                while k < b.count && isWhite(b[k]) { k += 1 }
                if matches("endstream", at: k) {
                    i = k + 9
                    return start..<(start + length)
                }
            }
            // No usable /Length (indirect, or wrong): the data runs to `endstream`.
            var k = start
            while k < b.count && !matches("endstream", at: k) { k += 1 }
            guard k < b.count else { throw refuse("数据流没有 endstream 结束标记") }
            i = k + 9
            var end = k
            if end > start && b[end - 1] == 0x0A { end -= 1 }
            if end > start && b[end - 1] == 0x0D { end -= 1 }
            return start..<end
        }
    }

    /// Every stream with its dictionary, in file order.
    static func streams(_ b: UnsafeBufferPointer<UInt8>) throws -> [Stream] {
        var lexer = Lexer(b: b)
        var found: [Stream] = []
        while let token = try lexer.next() {
            guard case .dictOpen = token else { continue }
            let dict = try lexer.dict()
            if let data = try lexer.streamData(dict) { found.append(Stream(dict: dict, data: data)) }
        }
        return found
    }
}
