import Foundation
import ZhengxinCrypto

/// The SM3 of an audit entry (AuditRecorder.digest), computed without building its canonical
/// string: the same bytes — each field as `<UTF-8 length>:<text>`, joined by `|`, in the fixed
/// order — are written into one reused buffer and fed to one reused EVP context, in the entry's own
/// format (AuditEntryFormat); `AuditEntryDigestTests` holds it to the string form. One per thread.
final class AuditEntryDigest {
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

    /// Whether canonical bytes already written (AuditChainSQLiteScan) hash to the lower-case hex `hex`.
    func matches(canonical: UnsafeRawBufferPointer, hex: UnsafeRawBufferPointer) -> Bool {
        hasher.update(canonical)
        var digest = hasher.finalize()
        return withUnsafeBytes(of: &digest) { Hex.isLowercase(of: $0, hex) }
    }

    private func feed(_ e: AuditChainEntry, seq: Int64?) {
        // Written into a local, not the property: a class's stored array is checked for exclusive
        // access on every append.
        var out = buffer
        buffer = []
        out.removeAll(keepingCapacity: true)
        typealias C = AuditCanonicalBytes
        C.decimalField(seq ?? e.seq, &out, start: 0)
        C.decimalField(e.at, &out, start: 0)
        C.uuidField(e.actorUserId, &out, start: 0)
        C.textField(e.actorName, &out, start: 0)
        C.uuidField(e.organisationId, &out, start: 0)
        C.textField(e.organisationType, &out, start: 0)
        C.textField(e.roles, &out, start: 0)
        C.textField(e.action, &out, start: 0)
        C.uuidField(e.projectId, &out, start: 0)
        C.textField(e.result, &out, start: 0)
        C.textField(e.summary, &out, start: 0)
        C.textField(e.before, &out, start: 0)
        C.textField(e.after, &out, start: 0)
        C.textField(e.violations, &out, start: 0)
        C.textField(e.clientAddress, &out, start: 0)
        C.textField(e.prevHash, &out, start: 0)
        if e.format != AuditEntryFormat.original { C.boundFields(format: e.format, id: e.id, state: e.state, &out, start: 0) }
        hasher.update(out)
        buffer = out
    }
}
