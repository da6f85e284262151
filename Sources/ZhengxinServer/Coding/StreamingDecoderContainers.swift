import Foundation

struct StreamingKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    /// Where the next key is looked for first: types read their keys in the order they wrote them.
    private final class Cursor { @exclusivity(unchecked) var next = 0 }  // see JSONByteWriter

    let reader: JSONByteReader
    let members: [JSONByteReader.Member]
    let node: CodingPathNode?
    private let cursor = Cursor()

    init(reader: JSONByteReader, members: [JSONByteReader.Member], node: CodingPathNode?) {
        self.reader = reader
        self.members = members
        self.node = node
    }

    var codingPath: [any CodingKey] { CodingPathNode.path(node) }
    var allKeys: [Key] { members.compactMap { Key(stringValue: reader.keyText($0)) } }

    /// Where the value of `key` starts, or nil when the object has no such key.
    private func find(_ key: Key) -> Int? {
        let name = key.stringValue
        let count = members.count
        var index = cursor.next
        for _ in 0..<count {
            if index >= count { index = 0 }
            if reader.keyMatches(members[index], name) {
                cursor.next = index + 1
                return members[index].value
            }
            index += 1
        }
        return nil
    }

    private func required(_ key: Key) throws -> Int {
        guard let i = find(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "缺少键 \"\(key.stringValue)\""))
        }
        return i
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }
    func decodeNil(forKey key: Key) throws -> Bool { reader.isNull(try required(key)) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decode(type, key) }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try decodeIfPresent(type, key) }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(type as Bool.Type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decode(type as String.Type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try reader.primitiveFloat(type, at: try required(key), CodingPathNode(node, key))
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        try reader.primitiveFloat(type, at: try required(key), CodingPathNode(node, key))
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(type, key) }

    // One lookup for an optional, instead of the default's contains + decodeNil + decode.
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try decodeIfPresent(type as Bool.Type, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try decodeIfPresent(type as String.Type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try decodeIfPresent(type as Int.Type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try decodeIfPresent(type as Int64.Type, key) }

    // The bodies of the generic and the primitive requirements (a primitive one calling the generic
    // requirement by name would call itself).
    private func decode<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        try reader.value(type, at: try required(key), path: CodingPathNode(node, key))
    }

    private func decodeIfPresent<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
        guard let i = find(key), !reader.isNull(i) else { return nil }
        return try reader.value(type, at: i, path: CodingPathNode(node, key))
    }

    private func integer<I: FixedWidthInteger>(_ type: I.Type, _ key: Key) throws -> I {
        try reader.primitiveInteger(type, at: try required(key), CodingPathNode(node, key))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try StreamingDecoder(reader: reader, start: try required(key), node: CodingPathNode(node, key)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try StreamingDecoder(reader: reader, start: try required(key), node: CodingPathNode(node, key)).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        guard let i = members.first(where: { reader.keyMatches($0, "super") })?.value else {
            throw DecodingError.keyNotFound(JSONKey("super"), .init(codingPath: codingPath, debugDescription: "缺少键 \"super\""))
        }
        return StreamingDecoder(reader: reader, start: i, node: CodingPathNode(node, JSONKey("super")))
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        StreamingDecoder(reader: reader, start: try required(key), node: CodingPathNode(node, key))
    }
}

struct StreamingUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let reader: JSONByteReader
    let elements: [Int]
    let node: CodingPathNode?
    private(set) var currentIndex = 0

    init(reader: JSONByteReader, elements: [Int], node: CodingPathNode?) {
        self.reader = reader
        self.elements = elements
        self.node = node
    }

    var codingPath: [any CodingKey] { CodingPathNode.path(node) }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private func current(_ type: Any.Type) throws -> Int {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath, debugDescription: "数组已无更多元素"))
        }
        return elements[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        guard reader.isNull(try current(Never.self)) else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try advance(type) { try $0.value(type, at: $1, path: $2()) } }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try advance(type) { try $0.primitiveBool(at: $1, $2()) } }
    mutating func decode(_ type: String.Type) throws -> String { try advance(type) { try $0.primitiveString(at: $1, $2()) } }
    mutating func decode(_ type: Double.Type) throws -> Double { try float(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try float(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    private mutating func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        try advance(type) { try $0.primitiveInteger(type, at: $1, $2()) }
    }

    private mutating func float<F: BinaryFloatingPoint & LosslessStringConvertible>(_ type: F.Type) throws -> F {
        try advance(type) { try $0.primitiveFloat(type, at: $1, $2()) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try advance(type) { try StreamingDecoder(reader: $0, start: $1, node: $2()).container(keyedBy: type) }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try advance([String].self) { try StreamingDecoder(reader: $0, start: $1, node: $2()).unkeyedContainer() }
    }

    mutating func superDecoder() throws -> any Decoder {
        try advance(Never.self) { StreamingDecoder(reader: $0, start: $1, node: $2()) }
    }

    /// Reads the current element with `read` (given the reader, where the element starts and how to make
    /// its coding path), then moves past it; `expected` names the type in the error when the array has no more elements.
    private mutating func advance<T>(_ expected: Any.Type, _ read: (JSONByteReader, Int, () -> CodingPathNode) throws -> T) throws -> T {
        let start = try current(expected)
        let node = self.node, index = currentIndex
        let value = try read(reader, start, { CodingPathNode(node, JSONKey(String(index))) })
        currentIndex += 1
        return value
    }
}

struct StreamingSingleValueDecodingContainer: SingleValueDecodingContainer {
    let reader: JSONByteReader
    let start: Int
    let node: CodingPathNode?
    var codingPath: [any CodingKey] { CodingPathNode.path(node) }

    func decodeNil() -> Bool { reader.isNull(start) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try reader.value(type, at: start, path: node) }
    func decode(_ type: Bool.Type) throws -> Bool { try reader.primitiveBool(at: start, node) }
    func decode(_ type: String.Type) throws -> String { try reader.primitiveString(at: start, node) }
    func decode(_ type: Double.Type) throws -> Double { try reader.primitiveFloat(type, at: start, node) }
    func decode(_ type: Float.Type) throws -> Float { try reader.primitiveFloat(type, at: start, node) }
    func decode(_ type: Int.Type) throws -> Int { try reader.primitiveInteger(type, at: start, node) }
    func decode(_ type: Int8.Type) throws -> Int8 { try reader.primitiveInteger(type, at: start, node) }
    func decode(_ type: Int16.Type) throws -> Int16 { try reader.primitiveInteger(type, at: start, node) }
    func decode(_ type: Int32.Type) throws -> Int32 { try reader.primitiveInteger(type, at: start, node) }
    func decode(_ type: Int64.Type) throws -> Int64 { try reader.primitiveInteger(type, at: start, node) }
    func decode(_ type: UInt.Type) throws -> UInt { try reader.primitiveInteger(type, at: start, node) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try reader.primitiveInteger(type, at: start, node) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try reader.primitiveInteger(type, at: start, node) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try reader.primitiveInteger(type, at: start, node) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try reader.primitiveInteger(type, at: start, node) }
}
