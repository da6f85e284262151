import Fluent
import Foundation
import ZhengxinCrypto

/// The audit record's anchor (审计记录锚点): one row naming the newest entry (its seq and hash),
/// moved in the same transaction as every append and MACed with HMAC-SM3 under a key derived from
/// the master key. The hash chain alone shows a change, a gap or a reordering, but not the newest
/// entries cut off the end; the anchor does (GB/T 22239-2019 8.1.4.3 c) 防止删除). Forging it takes
/// the master key; rolling back the whole database with its anchor is not detected.
final class AuditHeadModel: Model, @unchecked Sendable {
    static let schema = "audit_head"
    /// The one row.
    static let rowId = UUID(uuidString: "00000000-0000-0000-0000-00000000a0d1")!

    @ID(key: .id) var id: UUID?
    @Field(key: "last_seq") var lastSeq: Int64
    @Field(key: "last_hash") var lastHash: String
    /// Which master key made `mac` (AtRestKeys.keyId), so a wrong key is named as such.
    @Field(key: "key_id") var keyId: String
    @Field(key: "mac") var mac: String

    init() {}
}

package enum AuditAnchor {
    static func mac(lastSeq: Int64, lastHash: String, keys: AtRestKeys) -> String {
        HMACSM3.authenticationCode(for: message(lastSeq, lastHash), key: keys.auditAnchor).hexString
    }

    private static func message(_ lastSeq: Int64, _ lastHash: String) -> Data { Data("zhengxin/audit-head|\(lastSeq)|\(lastHash)".utf8) }

    /// Moves the anchor to `entry`. Call in the transaction that appended it (AuditRecorder.append),
    /// or after a bulk load of a whole chain, with its last entry.
    package static func advance(toSeq seq: Int64, hash: String, on db: Database) async throws {
        let keys = try AtRest.current()
        try await AuditHeadModel.query(on: db).filter(\.$id == AuditHeadModel.rowId)
            .set(\.$lastSeq, to: seq).set(\.$lastHash, to: hash).set(\.$keyId, to: keys.keyId)
            .set(\.$mac, to: mac(lastSeq: seq, lastHash: hash, keys: keys))
            .update()
    }

    /// The anchor's verdict on a chain that is intact as far as it goes (`last` = its newest entry),
    /// checked with `keys` when given, else with the installed key the anchor names.
    static func check(last: AuditEntryModel?, entries: Int, on db: Database, keys: AtRestKeys? = nil) async throws -> AuditChainReport
        .Problem?
    {
        guard let head = try await AuditHeadModel.find(AuditHeadModel.rowId, on: db) else { return .anchorMissing }
        guard let keys = keys ?? AtRest.installed(keyId: head.keyId), keys.keyId == head.keyId else {
            return .anchorKeyMismatch(keyId: head.keyId)
        }
        guard HMACSM3.isValid(Data(hex: head.mac) ?? Data(), for: message(head.lastSeq, head.lastHash), key: keys.auditAnchor) else {
            return .anchorForged
        }
        let lastSeq = last?.seq ?? 0
        if lastSeq < head.lastSeq { return .truncated(lastPresent: lastSeq, anchored: head.lastSeq) }
        if lastSeq > head.lastSeq { return .beyondAnchor(from: head.lastSeq + 1) }
        if (last?.hash ?? AuditRecorder.genesis) != head.lastHash { return .changed(seq: lastSeq) }
        return nil
    }
}
