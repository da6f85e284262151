import Foundation
import FluentSQLiteDriver
import FluentKit

/// An audit entry from a SQLite row without SQLKit's Codable decoding: the profile of
/// `zhengxin audit-verify` was dominated by generic-metadata lookups and `UUID(uuidString:)`'s
/// scanf per column, not by SM3. Any other row (PostgreSQL) goes the Codable way.
enum AuditEntryRows {
    /// A page of entries after `seq` read straight from SQLite (SQLiteKit's SQLRow wrapper hides the
    /// raw row); nil on any other database.
    static func page(after seq: Int64, size: Int, columns: [String], on db: any Database) async throws -> [AuditEntryModel]? {
        guard let sqlite = db as? any SQLiteDatabase else { return nil }
        let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let rows = try await sqlite.query("SELECT \(list) FROM \"\(AuditEntryModel.schema)\" WHERE \"seq\" > ?1 ORDER BY \"seq\" LIMIT ?2",
                                          [.integer(Int(seq)), .integer(size)])
        return try rows.map(entry)
    }

    static func entry(_ row: SQLiteRow) throws -> AuditEntryModel {
        func text(_ c: String) throws -> String {
            guard case .text(let s) = row.column(c) else { throw DecodingError.valueNotFound(String.self, .init(codingPath: [], debugDescription: c)) }
            return s
        }
        func integer(_ c: String) throws -> Int64 {
            guard case .integer(let i) = row.column(c) else { throw DecodingError.valueNotFound(Int64.self, .init(codingPath: [], debugDescription: c)) }
            return Int64(i)
        }
        func uuid(_ c: String) throws -> UUID? {
            switch row.column(c) {
            case .null, nil: return nil
            case .text(let s):
                guard let id = parseUUID(s) else { throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: c)) }
                return id
            default: throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: c))
            }
        }
        let e = AuditEntryModel()
        e.id = try uuid("id")
        e.seq = try integer("seq")
        e.at = try integer("at")
        e.actorUserId = try uuid("actor_user_id")
        e.actorName = try text("actor_name")
        e.organisationId = try uuid("organisation_id")
        e.organisationType = try text("organisation_type")
        e.roles = try text("roles")
        e.action = try text("action")
        e.projectId = try uuid("project_id")
        e.result = try text("result")
        e.summary = try text("summary")
        e.before = try text("before")
        e.after = try text("after")
        e.violations = try text("violations")
        e.clientAddress = try text("client_address")
        e.prevHash = try text("prev_hash")
        e.hash = try text("hash")
        return e
    }

    /// 8-4-4-4-12 hex, either case; nil on anything else (as `UUID(uuidString:)`).
    static func parseUUID(_ s: String) -> UUID? {
        var s = s
        return s.withUTF8 { u -> UUID? in
            guard u.count == 36, u[8] == 0x2d, u[13] == 0x2d, u[18] == 0x2d, u[23] == 0x2d else { return nil }
            var bytes = [UInt8](repeating: 0, count: 16)
            var n = 0, i = 0
            while i < 36 {
                if i == 8 || i == 13 || i == 18 || i == 23 { i += 1; continue }
                guard let hi = nibble(u[i]), let lo = nibble(u[i + 1]) else { return nil }
                bytes[n] = hi << 4 | lo
                n += 1
                i += 2
            }
            return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                               bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        }
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}
