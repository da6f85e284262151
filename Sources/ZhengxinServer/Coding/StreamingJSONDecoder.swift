import Foundation

/// A Codable JSON decoder that reads the text in place (JSONByteReader), the partner of
/// StreamingJSONEncoder: Foundation's JSONDecoder took ~0.7 ms for an 8 KB project record, on every
/// detail request, project page, lifecycle action and full deadline scan. It reads any JSON
/// Foundation's encoder writes (rows stored before it, with sorted keys, read the same), and answers
/// DecodingError's cases where Foundation does: a missing key, null where a value is needed, a wrong type.
struct StreamingJSONDecoder {
    func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        var text = text
        return try text.withUTF8 { try decode(type, from: $0) }
    }

    func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBufferPointer { try decode(type, from: $0) }
    }

    func decode<T: Decodable>(_ type: T.Type, from buffer: UnsafeBufferPointer<UInt8>) throws -> T {
        let reader = JSONByteReader(bytes: buffer)
        do {
            let start = reader.skipSpace(0)
            guard start < buffer.count else { throw JSONByteReader.Malformed(offset: 0, reason: "内容为空") }
            let value = try reader.value(T.self, at: start, path: nil)
            let rest = reader.skipSpace(try reader.end(of: start))
            guard rest == buffer.count else { throw JSONByteReader.Malformed(offset: rest, reason: "值之后还有多余的内容") }
            return value
        } catch let malformed as JSONByteReader.Malformed {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: "JSON 格式错误(第\(malformed.offset)字节): \(malformed.reason)"))
        }
    }
}

/// A coding path kept as a chain from the value up to the root, made into an array only when an
/// error or a type asks for it: most values are decoded without anyone looking at their path. A
/// primitive's node is not even made unless it fails (the reader's `path` arguments are autoclosures):
/// one allocation per value was a large part of decoding a record.
final class CodingPathNode {
    let parent: CodingPathNode?
    let key: any CodingKey

    init(_ parent: CodingPathNode?, _ key: any CodingKey) {
        self.parent = parent
        self.key = key
    }

    static func path(_ node: CodingPathNode?) -> [any CodingKey] {
        var keys: [any CodingKey] = []
        var node = node
        while let n = node { keys.append(n.key); node = n.parent }
        return keys.reversed()
    }
}

extension JSONByteReader {
    /// The value of type `T` starting at `i`; primitives without the Decoder machinery.
    func value<T: Decodable>(_ type: T.Type, at i: Int, path: @autoclosure () -> CodingPathNode?) throws -> T {
        if T.self == String.self { return unsafeBitCast(try primitiveString(at: i, path()), to: T.self) }
        if T.self == Int.self { return unsafeBitCast(try primitiveInteger(Int.self, at: i, path()), to: T.self) }
        if T.self == Int64.self { return unsafeBitCast(try primitiveInteger(Int64.self, at: i, path()), to: T.self) }
        if T.self == Bool.self { return unsafeBitCast(try primitiveBool(at: i, path()), to: T.self) }
        if T.self == UUID.self { return unsafeBitCast(try primitiveUUID(at: i, path()), to: T.self) }
        return try T(from: StreamingDecoder(reader: self, start: i, node: path()))
    }

    func mismatch<T>(_ type: T.Type, at i: Int, _ path: CodingPathNode?) -> DecodingError {
        let codingPath = CodingPathNode.path(path)
        if isNull(i) { return .valueNotFound(type, .init(codingPath: codingPath, debugDescription: "应为 \(type) 值,实为 null")) }
        return .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "应为 \(type) 值"))
    }

    func primitiveString(at i: Int, _ path: @autoclosure () -> CodingPathNode?) throws -> String {
        guard byte(i) == UInt8(ascii: "\"") else { throw mismatch(String.self, at: i, path()) }
        return try string(at: i)
    }

    /// A UUID as Foundation decodes it (a string of 8-4-4-4-12 hex, either case), without sscanf (UUIDText).
    func primitiveUUID(at i: Int, _ path: @autoclosure () -> CodingPathNode?) throws -> UUID {
        guard byte(i) == UInt8(ascii: "\"") else { throw mismatch(String.self, at: i, path()) }
        let (end, escaped) = try stringEnd(from: i + 1)
        let id = escaped ? UUIDText.parse(try string(at: i)) : UUIDText.parse(UnsafeBufferPointer(rebasing: bytes[(i + 1)..<end]))
        guard let id else {
            throw DecodingError.dataCorrupted(.init(codingPath: CodingPathNode.path(path()), debugDescription: "不是有效的UUID文本"))
        }
        return id
    }

    func primitiveBool(at i: Int, _ path: @autoclosure () -> CodingPathNode?) throws -> Bool {
        switch byte(i) {
        case UInt8(ascii: "t"): _ = try end(of: i); return true
        case UInt8(ascii: "f"): _ = try end(of: i); return false
        default: throw mismatch(Bool.self, at: i, path())
        }
    }

    func primitiveInteger<I: FixedWidthInteger>(_ type: I.Type, at i: Int, _ path: @autoclosure () -> CodingPathNode?) throws -> I {
        guard let b = byte(i), b == UInt8(ascii: "-") || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) else {
            throw mismatch(I.self, at: i, path())
        }
        if let v = try integer(at: i), let exact = I(exactly: v) { return exact }
        let text = try numberText(at: i)
        if let exact = UInt64(text).flatMap({ I(exactly: $0) }) ?? Double(text).flatMap({ I(exactly: $0) }) { return exact }
        throw DecodingError.dataCorrupted(.init(codingPath: CodingPathNode.path(path()), debugDescription: "数值 \(text) 不能表示为 \(I.self)"))
    }

    func primitiveFloat<F: BinaryFloatingPoint & LosslessStringConvertible>(
        _ type: F.Type, at i: Int, _ path: @autoclosure () -> CodingPathNode?
    ) throws -> F {
        guard let b = byte(i), b == UInt8(ascii: "-") || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) else {
            throw mismatch(F.self, at: i, path())
        }
        let text = try numberText(at: i)
        guard let v = F(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: CodingPathNode.path(path()), debugDescription: "数值 \(text) 不能表示为 \(F.self)"))
        }
        return v
    }
}

/// The `Decoder` a value reads itself from: the value starting at `start`.
struct StreamingDecoder: Decoder {
    let reader: JSONByteReader
    let start: Int
    let node: CodingPathNode?
    var codingPath: [any CodingKey] { CodingPathNode.path(node) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard reader.byte(start) == UInt8(ascii: "{") else { throw reader.mismatch([String: String].self, at: start, node) }
        return KeyedDecodingContainer(
            StreamingKeyedDecodingContainer<Key>(reader: reader, members: try reader.members(at: start), node: node))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard reader.byte(start) == UInt8(ascii: "[") else { throw reader.mismatch([String].self, at: start, node) }
        return StreamingUnkeyedDecodingContainer(reader: reader, elements: try reader.elements(at: start), node: node)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        StreamingSingleValueDecodingContainer(reader: reader, start: start, node: node)
    }
}
