import Foundation

/// UUIDs as text (8-4-4-4-12 hex) without Foundation's `UUID(uuidString:)` and `uuidString`, which go
/// through sscanf and sprintf: a record holds a dozen ids and more, and the two showed in the daily
/// deadline scan's CPU and were most of reading an audit page. Same results: parsing takes
/// either case and nothing else, writing gives Foundation's upper case.
enum UUIDText {
    /// The id written as `text`, or nil on anything but 36 characters of 8-4-4-4-12 hex.
    static func parse(_ text: String) -> UUID? {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    static func parse(_ u: UnsafeBufferPointer<UInt8>) -> UUID? {
        guard u.count == 36, u[8] == 0x2d, u[13] == 0x2d, u[18] == 0x2d, u[23] == 0x2d else { return nil }
        var id: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)  // on the stack, not an array per call
        let parsed = withUnsafeMutableBytes(of: &id) { bytes -> Bool in
            var n = 0, i = 0
            while i < 36 {
                if i == 8 || i == 13 || i == 18 || i == 23 { i += 1; continue }
                guard let hi = nibble(u[i]), let lo = nibble(u[i + 1]) else { return false }
                bytes[n] = hi << 4 | lo
                n += 1
                i += 2
            }
            return true
        }
        return parsed ? UUID(uuid: id) : nil
    }

    /// Appends the id's 36 characters, upper case as `uuidString`, to `out`.
    static func append(_ id: UUID, to out: inout [UInt8]) {
        withUnsafeBytes(of: id.uuid) { bytes in
            for (n, byte) in bytes.enumerated() {
                if n == 4 || n == 6 || n == 8 || n == 10 { out.append(0x2d) }
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0f)])
            }
        }
    }

    /// The id as `uuidString` writes it.
    static func string(_ id: UUID) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(36)
        append(id, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static let digits: [UInt8] = Array("0123456789ABCDEF".utf8)

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}
