import Fluent
import SQLKit

/// The newest entry of the audit chain (链头), as the next append chains to it: its seq and hash
/// only, read with one indexed query instead of loading the whole entry (before/after texts
/// included) through Fluent. Read inside the write transaction, so it cannot move underneath.
enum AuditChainHead {
    struct Head: Sendable {
        var seq: Int64
        var hash: String
    }

    static func read(on db: Database) async throws -> Head? {
        try await PlainRows.all(SQLQueryString("SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1"), on: db).first.map {
            Head(seq: try $0.int64(0), hash: try $0.text(1))
        }
    }
}
