import Foundation

/// Reads JSON text in place for StreamingJSONDecoder: an object is scanned once for where its keys
/// and values start, and a value is parsed only when the type asks for it. Nothing is built for the
/// parts a type never reads.
struct JSONByteReader {
    let bytes: UnsafeBufferPointer<UInt8>

    struct Malformed: Error {
        var offset: Int
        var reason: String
    }

    /// A member of an object: where its key's text lies (between the quotes) and where its value starts.
    struct Member {
        var keyStart: Int
        var keyEnd: Int
        /// The key's text when it holds escapes (rare); nil when the raw bytes are the key.
        var unescapedKey: String?
        var value: Int
    }

    func skipSpace(_ i: Int) -> Int {
        var i = i
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x0A, 0x0D, 0x09: i += 1
            default: return i
            }
        }
        return i
    }

    func byte(_ i: Int) -> UInt8? { i < bytes.count ? bytes[i] : nil }

    func expect(_ expected: UInt8, at i: Int) throws {
        guard byte(i) == expected else { throw Malformed(offset: i, reason: "应为 '\(Character(Unicode.Scalar(expected)))'") }
    }

    /// The members of the object starting at `start` (at its "{"), in the order written.
    func members(at start: Int) throws -> [Member] {
        try expect(UInt8(ascii: "{"), at: start)
        var out: [Member] = []
        out.reserveCapacity(16)
        var i = skipSpace(start + 1)
        if byte(i) == UInt8(ascii: "}") { return out }
        while true {
            try expect(UInt8(ascii: "\""), at: i)
            let (keyEnd, escaped) = try stringEnd(from: i + 1)
            let unescaped = escaped ? try string(at: i) : nil
            let keyStart = i + 1
            i = skipSpace(keyEnd + 1)
            try expect(UInt8(ascii: ":"), at: i)
            let value = skipSpace(i + 1)
            out.append(Member(keyStart: keyStart, keyEnd: keyEnd, unescapedKey: unescaped, value: value))
            i = skipSpace(try end(of: value))
            switch byte(i) {
            case UInt8(ascii: ","): i = skipSpace(i + 1)
            case UInt8(ascii: "}"): return out
            default: throw Malformed(offset: i, reason: "对象成员之后应为 ',' 或 '}'")
            }
        }
    }

    /// Where the elements of the array starting at `start` (at its "[") start.
    func elements(at start: Int) throws -> [Int] {
        try expect(UInt8(ascii: "["), at: start)
        var out: [Int] = []
        var i = skipSpace(start + 1)
        if byte(i) == UInt8(ascii: "]") { return out }
        while true {
            out.append(i)
            i = skipSpace(try end(of: i))
            switch byte(i) {
            case UInt8(ascii: ","): i = skipSpace(i + 1)
            case UInt8(ascii: "]"): return out
            default: throw Malformed(offset: i, reason: "数组元素之后应为 ',' 或 ']'")
            }
        }
    }

    /// Just past the value starting at `i`.
    func end(of i: Int) throws -> Int {
        guard let first = byte(i) else { throw Malformed(offset: i, reason: "缺少值") }
        switch first {
        case UInt8(ascii: "\""):
            return try stringEnd(from: i + 1).end + 1
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var j = i
            while j < bytes.count {
                switch bytes[j] {
                case UInt8(ascii: "\""): j = try stringEnd(from: j + 1).end
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return j + 1 }
                default: break
                }
                j += 1
            }
            throw Malformed(offset: i, reason: "对象或数组未结束")
        case UInt8(ascii: "t"): return try literal(i, "true")
        case UInt8(ascii: "f"): return try literal(i, "false")
        case UInt8(ascii: "n"): return try literal(i, "null")
        default:
            var j = i
            while j < bytes.count, Self.isNumberByte(bytes[j]) { j += 1 }
            guard j > i else { throw Malformed(offset: i, reason: "无法识别的值") }
            return j
        }
    }

    private static func isNumberByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+")
            || b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
    }

    private func literal(_ i: Int, _ word: StaticString) throws -> Int {
        let count = word.utf8CodeUnitCount
        guard i + count <= bytes.count else { throw Malformed(offset: i, reason: "无法识别的值") }
        for k in 0..<count where bytes[i + k] != word.utf8Start[k] { throw Malformed(offset: i, reason: "无法识别的值") }
        return i + count
    }

    func isNull(_ i: Int) -> Bool {
        byte(i) == UInt8(ascii: "n") && (try? literal(i, "null")) != nil
    }

    /// The closing quote of a string whose text starts at `i`, and whether it holds escapes.
    func stringEnd(from i: Int) throws -> (end: Int, escaped: Bool) {
        var j = i
        var escaped = false
        while j < bytes.count {
            switch bytes[j] {
            case UInt8(ascii: "\""): return (j, escaped)
            case UInt8(ascii: "\\"):
                escaped = true
                j += 2
            case 0..<0x20: throw Malformed(offset: j, reason: "字符串中有未转义的控制字符")
            default: j += 1
            }
        }
        throw Malformed(offset: i, reason: "字符串未结束")
    }

    /// The string value starting at `i` (at its opening quote).
    func string(at i: Int) throws -> String {
        try expect(UInt8(ascii: "\""), at: i)
        let (end, escaped) = try stringEnd(from: i + 1)
        let raw = UnsafeBufferPointer(rebasing: bytes[(i + 1)..<end])
        if !escaped { return try validated(raw, at: i) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var j = i + 1
        while j < end {
            let b = bytes[j]
            guard b == UInt8(ascii: "\\") else { out.append(b); j += 1; continue }
            let code = bytes[j + 1]
            j += 2
            switch code {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(code)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(j, end: end)
                j += 4
                if (0xD800..<0xDC00).contains(scalar) {  // a surrogate pair: the low half must follow
                    guard j + 6 <= end, bytes[j] == UInt8(ascii: "\\"), bytes[j + 1] == UInt8(ascii: "u") else {
                        throw Malformed(offset: j, reason: "UTF-16 代理对不完整")
                    }
                    let low = try hex4(j + 2, end: end)
                    guard (0xDC00..<0xE000).contains(low) else { throw Malformed(offset: j, reason: "UTF-16 代理对不完整") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    j += 6
                }
                guard let s = Unicode.Scalar(scalar) else { throw Malformed(offset: j, reason: "无效的 Unicode 码点") }
                out.append(contentsOf: Array(String(Character(s)).utf8))
            default: throw Malformed(offset: j - 2, reason: "无效的转义")
            }
        }
        return try out.withUnsafeBufferPointer { try validated($0, at: i) }
    }

    private func validated(_ utf8: UnsafeBufferPointer<UInt8>, at i: Int) throws -> String {
        guard let s = String(validating: utf8, as: UTF8.self) else { throw Malformed(offset: i, reason: "字符串不是有效的 UTF-8") }
        return s
    }

    private func hex4(_ j: Int, end: Int) throws -> UInt32 {
        guard j + 4 <= end else { throw Malformed(offset: j, reason: "\\u 之后应为四位十六进制数") }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = bytes[j + k]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw Malformed(offset: j, reason: "\\u 之后应为四位十六进制数")
            }
            v = v << 4 | d
        }
        return v
    }

    /// Whether the key of `member` is `key`.
    func keyMatches(_ member: Member, _ key: String) -> Bool {
        if let unescaped = member.unescapedKey { return unescaped == key }
        var key = key
        return key.withUTF8 { k in
            k.count == member.keyEnd - member.keyStart && memcmp(k.baseAddress!, bytes.baseAddress! + member.keyStart, k.count) == 0
        }
    }

    func keyText(_ member: Member) -> String {
        member.unescapedKey ?? String(decoding: UnsafeBufferPointer(rebasing: bytes[member.keyStart..<member.keyEnd]), as: UTF8.self)
    }

    /// The number at `i` as a signed integer, or nil when it is not one that fits (a fraction, an exponent, too large).
    func integer(at i: Int) throws -> Int64? {
        var j = i
        let negative = byte(j) == UInt8(ascii: "-")
        if negative { j += 1 }
        var magnitude: UInt64 = 0
        let digitsStart = j
        while let b = byte(j), b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") {
            let (m1, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (m2, o2) = m1.addingReportingOverflow(UInt64(b - UInt8(ascii: "0")))
            if o1 || o2 { return nil }
            magnitude = m2
            j += 1
        }
        guard j > digitsStart else { throw Malformed(offset: i, reason: "应为数值") }
        if let b = byte(j), Self.isNumberByte(b) { return nil }  // fraction or exponent
        if negative { return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// The number at `i` as text (for floating point and the slow integer path).
    func numberText(at i: Int) throws -> String {
        let end = try end(of: i)
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<end]), as: UTF8.self)
    }
}
