import Fluent
import Foundation
import ZhengxinCrypto

/// Creates the anchor and sets it to the chain as it stands (databases from before the anchor).
struct CreateAuditHead: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(AuditHeadModel.schema)
            .id()
            .field("last_seq", .int64, .required)
            .field("last_hash", .string, .required)
            .field("key_id", .string, .required)
            .field("mac", .string, .required)
            .create()
        let last = try await AuditEntryModel.query(on: database).sort(\.$seq, .descending).first()
        let keys = try AtRest.current()
        let head = AuditHeadModel()
        head.id = AuditHeadModel.rowId
        head.lastSeq = last?.seq ?? 0
        head.lastHash = last?.hash ?? AuditRecorder.genesis
        head.keyId = keys.keyId
        head.mac = AuditAnchor.mac(lastSeq: head.lastSeq, lastHash: head.lastHash, keys: keys)
        try await head.create(on: database)
        MigrationLog.moved(self, "audit_head(锚点记至第\(head.lastSeq)条)", 1, on: database)
    }

    func revert(on database: Database) async throws {
        try await database.schema(AuditHeadModel.schema).delete()
    }
}
