import Foundation
import ZhengxinCrypto

/// The SM3 of an audit entry (AuditRecorder.digest), computed without building its canonical
/// string: the same bytes — each field as `<UTF-8 length>:<text>`, joined by `|`, in the fixed
/// order — are written into one reused buffer and fed to one reused EVP context. The chain format
/// is unchanged; `AuditEntryDigestTests` holds it to the string form. One per thread.
final class AuditEntryDigest {
    private static let upperHex: [UInt8] = Array("0123456789ABCDEF".utf8)
    private let hasher = SM3Hasher()
    private var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(4096) }

    func hex(_ e: AuditEntryModel, seq: Int64? = nil) -> String { hex(AuditChainEntry(e), seq: seq) }

    func hex(_ e: AuditChainEntry, seq: Int64? = nil) -> String {
        feed(e, seq: seq)
        return hasher.finalizeHex()
    }

    /// Whether the entry (numbered `seq` when given) hashes to `hex`, without building the digest's text.
    func matches(_ e: AuditChainEntry, seq: Int64? = nil, hex: String) -> Bool {
        feed(e, seq: seq)
        return hasher.finalizeMatches(hex: hex)
    }

    private func feed(_ e: AuditChainEntry, seq: Int64?) {
        // Written into a local, not the property: a class's stored array is checked for exclusive
        // access on every append.
        var out = buffer
        buffer = []
        out.removeAll(keepingCapacity: true)
        Self.decimalField(seq ?? e.seq, &out)
        Self.decimalField(e.at, &out)
        Self.uuidField(e.actorUserId, &out)
        Self.textField(e.actorName, &out)
        Self.uuidField(e.organisationId, &out)
        Self.textField(e.organisationType, &out)
        Self.textField(e.roles, &out)
        Self.textField(e.action, &out)
        Self.uuidField(e.projectId, &out)
        Self.textField(e.result, &out)
        Self.textField(e.summary, &out)
        Self.textField(e.before, &out)
        Self.textField(e.after, &out)
        Self.textField(e.violations, &out)
        Self.textField(e.clientAddress, &out)
        Self.textField(e.prevHash, &out)
        hasher.update(out)
        buffer = out
    }

    private static func separate(_ out: inout [UInt8]) {
        if !out.isEmpty { out.append(UInt8(ascii: "|")) }
    }

    /// `<digits>` of a non-negative count or any number, as `String(n)` writes it.
    private static func decimal(_ n: Int64, _ out: inout [UInt8]) {
        if n < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = n.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for UInt64.max's 20 digits
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

    /// Numbers as text, as `String(n)` writes them (small strings: no allocation).
    private static func decimalField(_ n: Int64, _ out: inout [UInt8]) { textField(String(n), &out) }

    private static func textField(_ s: String, _ out: inout [UInt8]) {
        separate(&out)
        var s = s
        s.withUTF8 { utf8 in
            decimal(Int64(utf8.count), &out)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: utf8)
        }
    }

    /// `uuidString` (upper-case, 8-4-4-4-12) or "" for none.
    private static func uuidField(_ id: UUID?, _ out: inout [UInt8]) {
        separate(&out)
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
}
