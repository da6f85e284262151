import Foundation

/// The bytes of an audit entry's canonical text (AuditRecorder.canonical): each field as
/// `<UTF-8 length>:<text>`, joined by `|`. Written straight into a byte buffer, both from a
/// decoded entry (AuditEntryDigest) and from SQLite's own column bytes (AuditChainSQLiteScan).
enum AuditCanonicalBytes {
    private static let upperHex: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// A separator unless this is the entry's first field (which starts at `start`).
    @inline(__always)
    static func separate(_ out: inout [UInt8], start: Int) {
        if out.count > start { out.append(UInt8(ascii: "|")) }
    }

    /// `n` as `String(n)` writes it.
    static func decimal(_ n: Int64, _ out: inout [UInt8]) {
        if n < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = n.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for the 20 digits of any Int64
        withUnsafeMutableBytes(of: &digits) { d in
            var count = 0
            repeat {
                d[23 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: d[(24 - count)...]))
        }
    }

    static func textField(_ utf8: UnsafeRawBufferPointer, _ out: inout [UInt8], start: Int) {
        separate(&out, start: start)
        decimal(Int64(utf8.count), &out)
        out.append(UInt8(ascii: ":"))
        out.append(contentsOf: utf8)
    }

    static func textField(_ s: String, _ out: inout [UInt8], start: Int) {
        var s = s
        s.withUTF8 { textField(UnsafeRawBufferPointer($0), &out, start: start) }
    }

    /// A number field: the text of `String(n)` with its length.
    static func decimalField(_ n: Int64, _ out: inout [UInt8], start: Int) {
        separate(&out, start: start)
        var length = n < 0 ? 1 : 0
        var rest = n.magnitude
        repeat {
            length += 1
            rest /= 10
        } while rest > 0
        decimal(Int64(length), &out)
        out.append(UInt8(ascii: ":"))
        decimal(n, &out)
    }

    /// `uuidString` (upper-case, 8-4-4-4-12) or "" for none.
    static func uuidField(_ id: UUID?, _ out: inout [UInt8], start: Int) {
        separate(&out, start: start)
        guard let id else {
            out.append(UInt8(ascii: "0"))
            out.append(UInt8(ascii: ":"))
            return
        }
        out.append(UInt8(ascii: "3"))
        out.append(UInt8(ascii: "6"))
        out.append(UInt8(ascii: ":"))
        withUnsafeBytes(of: id.uuid) { bytes in
            for (i, byte) in bytes.enumerated() {
                if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
                out.append(upperHex[Int(byte >> 4)])
                out.append(upperHex[Int(byte & 0x0f)])
            }
        }
    }

    /// The fields format 2 adds after `prev_hash` (AuditEntryFormat): the format, the entry id, the state.
    static func boundFields(format: Int64, id: UUID?, state: String, _ out: inout [UInt8], start: Int) {
        decimalField(format, &out, start: start)
        uuidField(id, &out, start: start)
        textField(state, &out, start: start)
    }

    /// A UUID stored as text, written as `uuidField(UUID(uuidString: text))` would write it:
    /// 8-4-4-4-12 hex in either case, upper-cased. False (nothing written) on anything else.
    static func uuidTextField(_ text: UnsafeRawBufferPointer, _ out: inout [UInt8], start: Int) -> Bool {
        guard text.count == 36 else { return false }
        for (i, c) in text.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard c == UInt8(ascii: "-") else { return false }
            } else {
                guard (0x30...0x39).contains(c) || (0x41...0x46).contains(c) || (0x61...0x66).contains(c) else { return false }
            }
        }
        separate(&out, start: start)
        out.append(UInt8(ascii: "3"))
        out.append(UInt8(ascii: "6"))
        out.append(UInt8(ascii: ":"))
        for c in text { out.append(c >= 0x61 ? c - 0x20 : c) }
        return true
    }
}
