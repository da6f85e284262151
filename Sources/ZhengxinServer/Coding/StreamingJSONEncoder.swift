import Foundation
import NIOConcurrencyHelpers

/// A Codable JSON encoder that writes bytes as the values arrive, for the project record and the
/// project views. Foundation's JSONEncoder first builds a tree of boxed values and then
/// serialises it; on an 8 KB record that took ~0.7 ms, twice per lifecycle action, and was the
/// largest single cost of the detail API, of every write and of zhengxin-bench.
///
/// The output is plain JSON that Foundation's JSONDecoder reads back (tests check both ways): keys in
/// the order the type encodes them (declaration order for synthesized conformances; a dictionary's
/// keys sorted, so equal values give equal bytes), no insignificant whitespace, "/" not escaped,
/// non-ASCII text as UTF-8, control characters escaped. Non-finite numbers are refused, as Foundation does.
struct StreamingJSONEncoder {
    func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let writer = JSONByteWriter()
        try writer.value(value, level: 0, node: nil)
        writer.close(toLevel: 0)
        return writer.bytes
    }

    func encodeString<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }

    /// Encodes `value` and says where the JSON text (quotes included) of one string member was
    /// written: the member `inner` of the object under the top-level key `outer`. ProjectRecordStorage
    /// seals that one value of an encoding it also answers with, instead of encoding twice.
    func encode<T: Encodable>(_ value: T, marking outer: String, _ inner: String) throws -> (bytes: [UInt8], marked: Range<Int>?) {
        let writer = JSONByteWriter()
        writer.mark = (outer, inner)
        try writer.value(value, level: 0, node: nil)
        writer.close(toLevel: 0)
        return (writer.bytes, writer.marked)
    }
}

/// A string-keyed dictionary, whose keys the writer sorts (iteration order differs run to run).
private protocol SortedKeyDictionary {
    func writeSorted(_ writer: JSONByteWriter, level: Int, node: CodingPathNode?) throws
}

extension Dictionary: SortedKeyDictionary where Key == String, Value: Encodable {
    fileprivate func writeSorted(_ writer: JSONByteWriter, level: Int, node: CodingPathNode?) throws {
        writer.open(UInt8(ascii: "{"), UInt8(ascii: "}"), level: level)
        for key in keys.sorted() {
            writer.element(level: level)
            writer.key(key)
            try writer.value(self[key]!, level: level + 1, node: CodingPathNode(node, JSONKey(key)))
        }
    }
}

/// Which types are string-keyed dictionaries, remembered per type: asking the runtime
/// (`as? any SortedKeyDictionary`) of every value walked its conformance tables each time, for a
/// type that is not one, a cost paid again on every value of every record.
private enum SortedKeyDictionaryTypes {
    private static let known = NIOLockedValueBox<[ObjectIdentifier: Bool]>([:])

    static func includes<T>(_ type: T.Type) -> Bool {
        let id = ObjectIdentifier(type)
        if let answer = known.withLockedValue({ $0[id] }) { return answer }
        let answer = type is any SortedKeyDictionary.Type
        known.withLockedValue { $0[id] = answer }
        return answer
    }
}

/// The bytes written so far and the containers still open. Containers close lazily: a value's
/// `encode(to:)` has no "done" call, so a container is closed when its parent writes its next
/// element, or at the end.
///
/// The stored properties are exempt from dynamic exclusivity checks: each access of a class's `var`
/// otherwise registers in a thread-local access set, a large part of the encoding time of a
/// record. One writer belongs to one encode on one task, and no access to these arrays
/// overlaps another (no inout of one escapes a method).
final class JSONByteWriter {
    @exclusivity(unchecked) var bytes: [UInt8] = []
    /// Per open container, outermost first: its closing byte, and whether it has an element yet.
    @exclusivity(unchecked) private var closers: [UInt8] = []
    @exclusivity(unchecked) private var filled: [Bool] = []
    /// The string member to watch for (StreamingJSONEncoder.encode(_:marking:_:)), and where it went.
    var mark: (outer: String, inner: String)?
    var marked: Range<Int>?

    init() { bytes.reserveCapacity(4096) }

    func close(toLevel level: Int) {
        while closers.count > level {
            bytes.append(closers.removeLast())
            filled.removeLast()
        }
    }

    func open(_ opener: UInt8, _ closer: UInt8, level: Int) {
        close(toLevel: level)
        bytes.append(opener)
        closers.append(closer)
        filled.append(false)
    }

    /// Before an element of the container at `level`: closes what a previous element left open, adds the comma.
    func element(level: Int) {
        close(toLevel: level + 1)
        if filled[level] { bytes.append(UInt8(ascii: ",")) } else { filled[level] = true }
    }

    func key(_ key: String) {
        string(key)
        bytes.append(UInt8(ascii: ":"))
    }

    func value<T: Encodable>(_ value: T, level: Int, node: CodingPathNode?) throws {
        // Primitives inside arrays and optionals arrive here generically; write them without the Encoder.
        if T.self == String.self { return string(unsafeBitCast(value, to: String.self)) }
        if T.self == Int.self { return integer(unsafeBitCast(value, to: Int.self)) }
        if T.self == Int64.self { return integer(unsafeBitCast(value, to: Int64.self)) }
        if T.self == Bool.self { return bool(unsafeBitCast(value, to: Bool.self)) }
        if T.self == UUID.self { return uuid(unsafeBitCast(value, to: UUID.self)) }
        if SortedKeyDictionaryTypes.includes(T.self), let dictionary = value as? any SortedKeyDictionary {
            return try dictionary.writeSorted(self, level: level, node: node)
        }
        let start = bytes.count
        try value.encode(to: StreamingEncoder(writer: self, level: level, node: node))
        // Encoded nothing: `{}`, as Foundation writes it.
        if bytes.count == start { bytes.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")]) }
    }

    /// A UUID as Foundation encodes it (its `uuidString`), without sprintf (UUIDText).
    func uuid(_ id: UUID) {
        bytes.append(UInt8(ascii: "\""))
        UUIDText.append(id, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    func null() { bytes.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")]) }

    func bool(_ b: Bool) {
        if b {
            bytes.append(contentsOf: [UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "u"), UInt8(ascii: "e")])
        } else {
            bytes.append(contentsOf: [UInt8(ascii: "f"), UInt8(ascii: "a"), UInt8(ascii: "l"), UInt8(ascii: "s"), UInt8(ascii: "e")])
        }
    }

    func integer<I: FixedWidthInteger>(_ value: I) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = UInt64(value.magnitude)
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: a 64-bit integer has at most 20 digits
        withUnsafeMutableBytes(of: &scratch) { digits in
            var i = digits.count
            repeat {
                i -= 1
                digits[i] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: digits[i...]))
        }
    }

    func floating<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F, node: CodingPathNode?) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: CodingPathNode.path(node), debugDescription: "JSON 不能表示非有限数值 \(value)"))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }  // 3.0 as 3, as Foundation writes it
        bytes.append(contentsOf: text.utf8)
    }

    func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            var runStart = 0
            for i in 0..<utf8.count {
                let byte = utf8[i]
                guard byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                escape(byte)
                runStart = i + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private func escape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        }
    }
}

/// A key made from text (dictionary keys, "super").
struct JSONKey: CodingKey {
    var stringValue: String
    var intValue: Int? { Int(stringValue) }
    init(_ s: String) { stringValue = s }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { stringValue = String(intValue) }
}
