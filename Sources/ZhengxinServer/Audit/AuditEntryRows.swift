import FluentKit
import FluentPostgresDriver
import Foundation
import SQLKit

/// Audit entries (AuditChainEntry) a page at a time, read by position with PlainRows like every
/// other row the server reads below Fluent. `audit-verify` walks millions of them on PostgreSQL
/// this way (on SQLite it reads the file directly, AuditChainSQLiteScan).
enum AuditEntryRows {
    static func page(after seq: Int64, size: Int, on db: any Database) async throws -> [AuditChainEntry] {
        let list = AuditChainEntry.columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let query: SQLQueryString =
            "SELECT \(unsafeRaw: list) FROM audit_entries WHERE seq > \(bind: seq) ORDER BY seq LIMIT \(bind: size)"
        guard let postgres = db as? any PostgresDatabase else { return try await PlainRows.all(query, on: db).map(entry) }
        // 20,000 entries decoded on the connection's event loop would keep that thread from reading
        // the next page while this one is hashed: they are decoded on every core instead.
        let rows = try await PlainRows.undecoded(query, on: postgres)
        return try await EveryCore.offLoop {
            try rows.mapOnEveryCore { row in Result { try entry(PlainRows.Row(row)) } }.map { try $0.get() }
        }
    }

    /// A row in `AuditChainEntry.columns` order.
    static func entry(_ r: PlainRows.Row) throws -> AuditChainEntry {
        func uuid(_ i: Int) throws -> UUID? {
            if case .null = r.cells[i] { return nil }
            return try r.uuid(i)
        }
        return AuditChainEntry(
            seq: try r.int64(0), at: try r.int64(1), actorUserId: try uuid(2), actorName: try r.text(3),
            organisationId: try uuid(4), organisationType: try r.text(5), roles: try r.text(6), action: try r.text(7),
            projectId: try uuid(8), result: try r.text(9), summary: try r.text(10), before: try r.text(11),
            after: try r.text(12), violations: try r.text(13), clientAddress: try r.text(14), prevHash: try r.text(15),
            hash: try r.text(16), id: try uuid(17), format: try r.int64(18), state: try r.text(19))
    }
}
