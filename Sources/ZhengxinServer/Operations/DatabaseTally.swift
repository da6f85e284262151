import Foundation
import SQLKit

/// Row counts of every table and the audit chain head, read through one SQL connection so that,
/// inside one snapshot, they describe exactly the copy the backup holds.
enum DatabaseTally {
    enum Dialect: String, Sendable { case sqlite, postgres }

    private struct Name: Decodable { var name: String }
    private struct Count: Decodable { var n: Int64 }

    static func tables(on sql: any SQLDatabase, _ dialect: Dialect) async throws -> [String] {
        let query: SQLQueryString =
            switch dialect {
            case .sqlite: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            case .postgres: "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
            }
        return try await sql.raw(query).all(decoding: Name.self).map(\.name)
    }

    static func counts(on sql: any SQLDatabase, _ dialect: Dialect) async throws -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for table in try await tables(on: sql, dialect) {
            let quoted = "\"" + table.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            counts[table] = try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: quoted)").first(decoding: Count.self)?.n ?? 0
        }
        return counts
    }

    /// The newest audit entry (the same query as `AuditChainHead.read`), nil when there is none.
    static func auditHead(on sql: any SQLDatabase) async throws -> BackupManifest.ChainHead? {
        try await sql.select().column("seq").column("hash").from(AuditEntryModel.schema)
            .orderBy("seq", .descending).limit(1).first(decoding: BackupManifest.ChainHead.self)
    }

    /// How the restored database differs from the manifest, one line per difference.
    static func differences(counts: [String: Int64], head: BackupManifest.ChainHead?, from manifest: BackupManifest) -> [String] {
        var lines: [String] = []
        for table in Set(counts.keys).union(manifest.tables.keys).sorted() {
            let expected = manifest.tables[table], found = counts[table]
            if expected != found {
                lines.append("表 \(table): 清单记 \(expected.map(String.init) ?? "无此表"),恢复后 \(found.map(String.init) ?? "无此表")")
            }
        }
        if head != manifest.auditHead {
            func text(_ h: BackupManifest.ChainHead?) -> String { h.map { "第\($0.seq)条 \($0.hash.prefix(16))…" } ?? "无" }
            lines.append("审计链头: 清单记 \(text(manifest.auditHead)),恢复后 \(text(head))")
        }
        return lines
    }
}
