import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation

/// An audit entry (AuditChainEntry) from a database row without SQLKit's Codable decoding: the
/// profile of `zhengxin audit-verify` was dominated by generic-metadata lookups and
/// `UUID(uuidString:)`'s scanf per column, not by SM3. SQLite's rows are read by position,
/// PostgreSQL's with PostgresNIO's typed decoding of the binary columns.
enum AuditEntryRows {
    /// A page of entries after `seq` read straight from the driver (SQLKit's SQLRow wrapper decodes
    /// each column through Codable); nil on a database that is neither.
    static func page(after seq: Int64, size: Int, on db: any Database) async throws -> [AuditChainEntry]? {
        if let postgres = db as? any PostgresDatabase { return try await page(after: seq, size: size, on: postgres) }
        guard let sqlite = db as? any SQLiteDatabase else { return nil }
        let list = AuditChainEntry.columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let rows = try await sqlite.query(
            "SELECT \(list) FROM \"\(AuditEntryModel.schema)\" WHERE \"seq\" > ?1 ORDER BY \"seq\" LIMIT ?2",
            [.integer(Int(seq)), .integer(size)])
        return try rows.map(entry)
    }

    /// The same from PostgreSQL, with PostgresNIO's typed decoding: through SQLKit's per-column Codable
    /// decoding, most of a walk of millions of entries went to reading the rows, not to hashing them.
    private static func page(after seq: Int64, size: Int, on postgres: any PostgresDatabase) async throws -> [AuditChainEntry] {
        let list = AuditChainEntry.columns.map { "\"\($0)\"" }.joined(separator: ", ")
        var query = PostgresQuery(
            unsafeSQL: "SELECT \(list) FROM \"\(AuditEntryModel.schema)\" WHERE \"seq\" > $1 ORDER BY \"seq\" LIMIT $2")
        query.binds.append(seq)
        query.binds.append(Int64(size))
        let logger = postgres.logger
        return try await postgres.withConnection { connection in
            connection.eventLoop.makeFutureWithTask {
                var entries: [AuditChainEntry] = []
                entries.reserveCapacity(size)
                for try await row in try await connection.query(query, logger: logger) {
                    let (
                        seq, at, actorUserId, actorName, organisationId, organisationType, roles, action, projectId, result, summary,
                        before, after, violations, clientAddress, prevHash, hash, id, format, state
                    ) =
                        try row.decode(
                            (
                                Int64, Int64, UUID?, String, UUID?, String, String, String, UUID?, String, String,
                                String, String, String, String, String, String, UUID?, Int64, String
                            ).self)
                    entries.append(
                        AuditChainEntry(
                            seq: seq, at: at, actorUserId: actorUserId, actorName: actorName,
                            organisationId: organisationId, organisationType: organisationType, roles: roles,
                            action: action, projectId: projectId, result: result, summary: summary,
                            before: before, after: after, violations: violations,
                            clientAddress: clientAddress, prevHash: prevHash, hash: hash,
                            id: id, format: format, state: state))
                }
                return entries
            }
        }.get()
    }

    /// The row's columns by position, in `AuditChainEntry.columns` order (one array per row instead
    /// of a name lookup per column).
    static func entry(_ row: SQLiteRow) throws -> AuditChainEntry {
        let columns = row.columns
        guard columns.count == AuditChainEntry.columns.count else { throw corrupt("columns") }
        func text(_ i: Int) throws -> String {
            guard case .text(let s) = columns[i].data else { throw corrupt(columns[i].name) }
            return s
        }
        func integer(_ i: Int) throws -> Int64 {
            guard case .integer(let n) = columns[i].data else { throw corrupt(columns[i].name) }
            return Int64(n)
        }
        func uuid(_ i: Int) throws -> UUID? {
            switch columns[i].data {
            case .null: return nil
            case .text(let s):
                guard let id = UUIDText.parse(s) else { throw corrupt(columns[i].name) }
                return id
            default: throw corrupt(columns[i].name)
            }
        }
        return AuditChainEntry(
            seq: try integer(0), at: try integer(1), actorUserId: try uuid(2), actorName: try text(3),
            organisationId: try uuid(4), organisationType: try text(5), roles: try text(6), action: try text(7),
            projectId: try uuid(8), result: try text(9), summary: try text(10), before: try text(11),
            after: try text(12), violations: try text(13), clientAddress: try text(14), prevHash: try text(15),
            hash: try text(16), id: try uuid(17), format: try integer(18), state: try text(19))
    }

    private static func corrupt(_ column: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: [], debugDescription: column))
    }
}
