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

    func hex(_ e: AuditEntryModel, seq: Int64? = nil) -> String {
        buffer.removeAll(keepingCapacity: true)
        decimalField(seq ?? e.seq)
        decimalField(e.at)
        uuidField(e.actorUserId)
        textField(e.actorName)
        uuidField(e.organisationId)
        textField(e.organisationType)
        textField(e.roles)
        textField(e.action)
        uuidField(e.projectId)
        textField(e.result)
        textField(e.summary)
        textField(e.before)
        textField(e.after)
        textField(e.violations)
        textField(e.clientAddress)
        textField(e.prevHash)
        hasher.update(buffer)
        return hasher.finalizeHex()
    }

    private func separate() {
        if !buffer.isEmpty { buffer.append(UInt8(ascii: "|")) }
    }

    /// Small numbers as text (Swift keeps them inline: no allocation).
    private func decimalField(_ n: Int64) { textField(String(n)) }

    private func textField(_ s: String) {
        separate()
        var s = s
        s.withUTF8 { utf8 in
            var length = String(utf8.count)
            length.withUTF8 { buffer.append(contentsOf: $0) }
            buffer.append(UInt8(ascii: ":"))
            buffer.append(contentsOf: utf8)
        }
    }

    /// `uuidString` (upper-case, 8-4-4-4-12) or "" for none.
    private func uuidField(_ id: UUID?) {
        separate()
        guard let id else {
            buffer.append(contentsOf: [UInt8(ascii: "0"), UInt8(ascii: ":")])
            return
        }
        buffer.append(contentsOf: [UInt8(ascii: "3"), UInt8(ascii: "6"), UInt8(ascii: ":")])
        withUnsafeBytes(of: id.uuid) { bytes in
            for (i, byte) in bytes.enumerated() {
                if i == 4 || i == 6 || i == 8 || i == 10 { buffer.append(UInt8(ascii: "-")) }
                buffer.append(Self.upperHex[Int(byte >> 4)])
                buffer.append(Self.upperHex[Int(byte & 0x0f)])
            }
        }
    }
}
