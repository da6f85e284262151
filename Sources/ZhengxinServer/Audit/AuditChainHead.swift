import Fluent
import SQLKit

/// The newest entry of the audit chain (链头), as the next append chains to it: its seq and hash
/// only, read with one indexed query instead of loading the whole entry (before/after texts
/// included) through Fluent. Read inside the write transaction, so it cannot move underneath.
enum AuditChainHead {
    struct Head: Sendable, Decodable {
        var seq: Int64
        var hash: String
    }

    static func read(on db: Database) async throws -> Head? {
        try await (db as! any SQLDatabase).select()
            .column("seq").column("hash")
            .from(AuditEntryModel.schema)
            .orderBy("seq", .descending)
            .limit(1)
            .first(decoding: Head.self)
    }
}
