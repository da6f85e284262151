import Foundation

/// The `Encoder` a value writes itself to (StreamingJSONEncoder): its containers write straight into
/// the shared JSONByteWriter, at `level` (the number of containers open around this value).
struct StreamingEncoder: Encoder {
    let writer: JSONByteWriter
    let level: Int
    let node: CodingPathNode?
    var codingPath: [any CodingKey] { CodingPathNode.path(node) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        writer.open(UInt8(ascii: "{"), UInt8(ascii: "}"), level: level)
        return KeyedEncodingContainer(StreamingKeyedContainer<Key>(writer: writer, level: level, node: node))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        writer.open(UInt8(ascii: "["), UInt8(ascii: "]"), level: level)
        return StreamingUnkeyedContainer(writer: writer, level: level, node: node)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        StreamingSingleValueContainer(writer: writer, level: level, node: node)
    }
}

struct StreamingKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: JSONByteWriter
    let level: Int
    let node: CodingPathNode?
    var codingPath: [any CodingKey] { CodingPathNode.path(node) }

    private func begin(_ key: Key) {
        writer.element(level: level)
        writer.key(key.stringValue)
    }

    mutating func encodeNil(forKey key: Key) throws { begin(key); writer.null() }
    mutating func encode(_ value: Bool, forKey key: Key) throws { begin(key); writer.bool(value) }
    mutating func encode(_ value: String, forKey key: Key) throws {
        begin(key)
        if let mark = writer.mark, level == 1, key.stringValue == mark.inner, node?.key.stringValue == mark.outer {
            let start = writer.bytes.count
            writer.string(value)
            writer.marked = start..<writer.bytes.count
        } else {
            writer.string(value)
        }
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        begin(key); try writer.floating(value, node: CodingPathNode(node, key))
    }
    mutating func encode(_ value: Float, forKey key: Key) throws { begin(key); try writer.floating(value, node: CodingPathNode(node, key)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { begin(key); writer.integer(value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { begin(key); writer.integer(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { begin(key); writer.integer(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { begin(key); writer.integer(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { begin(key); writer.integer(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { begin(key); writer.integer(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { begin(key); writer.integer(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { begin(key); writer.integer(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { begin(key); writer.integer(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { begin(key); writer.integer(value) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        begin(key)
        try writer.value(value, level: level + 1, node: CodingPathNode(node, key))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<
        NestedKey
    > {
        begin(key)
        writer.open(UInt8(ascii: "{"), UInt8(ascii: "}"), level: level + 1)
        return KeyedEncodingContainer(StreamingKeyedContainer<NestedKey>(writer: writer, level: level + 1, node: CodingPathNode(node, key)))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        begin(key)
        writer.open(UInt8(ascii: "["), UInt8(ascii: "]"), level: level + 1)
        return StreamingUnkeyedContainer(writer: writer, level: level + 1, node: CodingPathNode(node, key))
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: JSONKey("super")) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key) }

    private func superEncoder(named key: any CodingKey) -> any Encoder {
        writer.element(level: level)
        writer.key(key.stringValue)
        return StreamingEncoder(writer: writer, level: level + 1, node: CodingPathNode(node, key))
    }
}

struct StreamingUnkeyedContainer: UnkeyedEncodingContainer {
    let writer: JSONByteWriter
    let level: Int
    let node: CodingPathNode?
    var codingPath: [any CodingKey] { CodingPathNode.path(node) }
    private(set) var count = 0

    init(writer: JSONByteWriter, level: Int, node: CodingPathNode?) {
        self.writer = writer
        self.level = level
        self.node = node
    }

    private mutating func begin() {
        writer.element(level: level)
        count += 1
    }

    private var indexKey: any CodingKey { JSONKey(String(count - 1)) }

    mutating func encodeNil() throws { begin(); writer.null() }
    mutating func encode(_ value: Bool) throws { begin(); writer.bool(value) }
    mutating func encode(_ value: String) throws { begin(); writer.string(value) }
    mutating func encode(_ value: Double) throws { begin(); try writer.floating(value, node: CodingPathNode(node, indexKey)) }
    mutating func encode(_ value: Float) throws { begin(); try writer.floating(value, node: CodingPathNode(node, indexKey)) }
    mutating func encode(_ value: Int) throws { begin(); writer.integer(value) }
    mutating func encode(_ value: Int8) throws { begin(); writer.integer(value) }
    mutating func encode(_ value: Int16) throws { begin(); writer.integer(value) }
    mutating func encode(_ value: Int32) throws { begin(); writer.integer(value) }
    mutating func encode(_ value: Int64) throws { begin(); writer.integer(value) }
    mutating func encode(_ value: UInt) throws { begin(); writer.integer(value) }
    mutating func encode(_ value: UInt8) throws { begin(); writer.integer(value) }
    mutating func encode(_ value: UInt16) throws { begin(); writer.integer(value) }
    mutating func encode(_ value: UInt32) throws { begin(); writer.integer(value) }
    mutating func encode(_ value: UInt64) throws { begin(); writer.integer(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        begin()
        try writer.value(value, level: level + 1, node: CodingPathNode(node, indexKey))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        begin()
        writer.open(UInt8(ascii: "{"), UInt8(ascii: "}"), level: level + 1)
        return KeyedEncodingContainer(StreamingKeyedContainer<NestedKey>(writer: writer, level: level + 1, node: node))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        begin()
        writer.open(UInt8(ascii: "["), UInt8(ascii: "]"), level: level + 1)
        return StreamingUnkeyedContainer(writer: writer, level: level + 1, node: node)
    }

    mutating func superEncoder() -> any Encoder {
        begin()
        return StreamingEncoder(writer: writer, level: level + 1, node: node)
    }
}

struct StreamingSingleValueContainer: SingleValueEncodingContainer {
    let writer: JSONByteWriter
    let level: Int
    let node: CodingPathNode?
    var codingPath: [any CodingKey] { CodingPathNode.path(node) }

    mutating func encodeNil() throws { writer.null() }
    mutating func encode(_ value: Bool) throws { writer.bool(value) }
    mutating func encode(_ value: String) throws { writer.string(value) }
    mutating func encode(_ value: Double) throws { try writer.floating(value, node: node) }
    mutating func encode(_ value: Float) throws { try writer.floating(value, node: node) }
    mutating func encode(_ value: Int) throws { writer.integer(value) }
    mutating func encode(_ value: Int8) throws { writer.integer(value) }
    mutating func encode(_ value: Int16) throws { writer.integer(value) }
    mutating func encode(_ value: Int32) throws { writer.integer(value) }
    mutating func encode(_ value: Int64) throws { writer.integer(value) }
    mutating func encode(_ value: UInt) throws { writer.integer(value) }
    mutating func encode(_ value: UInt8) throws { writer.integer(value) }
    mutating func encode(_ value: UInt16) throws { writer.integer(value) }
    mutating func encode(_ value: UInt32) throws { writer.integer(value) }
    mutating func encode(_ value: UInt64) throws { writer.integer(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try writer.value(value, level: level, node: node) }
}
