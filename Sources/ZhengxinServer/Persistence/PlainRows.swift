import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit

/// Rows of a SQLKit query read by position from the driver's own values: SQLKit's `SQLRow`
/// decodes every column through Codable by name (a column-name search, generic metadata look-ups, a
/// `UUID(uuidString:)` sscanf), a large part of an uncached project list and of an uncached
/// portfolio report. The query is still written and bound with SQLKit; only the reading differs.
enum PlainRows {
    /// One column's value as the database gave it.
    enum Cell: Sendable {
        case null
        case integer(Int64)
        case real(Double)
        case text(String)
        case bool(Bool)
        case uuid(UUID)
    }

    /// A row's cells in the SELECT list's order.
    struct Row: Sendable {
        var cells: [Cell]

        init(cells: [Cell]) { self.cells = cells }

        /// A PostgreSQL row, each cell decoded by its type.
        init(_ row: PostgresRow) throws { cells = try row.map(PlainRows.cell) }

        func int64(_ i: Int) throws -> Int64 {
            switch cells[i] {
            case .integer(let n): return n
            case .bool(let b): return b ? 1 : 0
            // A whole REAL within Int64 (SQLite may hand back a computed integer so); one past it, or
            // inf or NaN, is a mismatch, never a trap.
            case .real(let d): if let n = Int64(exactly: d) { return n } else { throw mismatch(i, "integer") }
            default: throw mismatch(i, "integer")
            }
        }

        func int(_ i: Int) throws -> Int { Int(try int64(i)) }

        func optionalInt64(_ i: Int) throws -> Int64? {
            if case .null = cells[i] { return nil }
            return try int64(i)
        }

        func text(_ i: Int) throws -> String {
            guard case .text(let s) = cells[i] else { throw mismatch(i, "text") }
            return s
        }

        func optionalText(_ i: Int) throws -> String? {
            if case .null = cells[i] { return nil }
            return try text(i)
        }

        /// SQLite keeps booleans as 0 and 1.
        func bool(_ i: Int) throws -> Bool {
            switch cells[i] {
            case .bool(let b): return b
            case .integer(let n) where n == 0 || n == 1: return n == 1
            default: throw mismatch(i, "boolean")
            }
        }

        /// SQLite keeps UUIDs as their text.
        func uuid(_ i: Int) throws -> UUID {
            switch cells[i] {
            case .uuid(let id): return id
            case .text(let s):
                guard let id = UUIDText.parse(s) else { throw mismatch(i, "UUID") }
                return id
            default: throw mismatch(i, "UUID")
            }
        }

        private func mismatch(_ i: Int, _ expected: String) -> DecodingError {
            .typeMismatch(Any.self, .init(codingPath: [], debugDescription: "column \(i): expected \(expected), found \(cells[i])"))
        }
    }

    struct UnsupportedBind: Error, CustomStringConvertible {
        var type: String
        var description: String { "PlainRows cannot bind a value of type \(type) for PostgreSQL" }
    }

    /// Runs `query` and returns its rows; on a database that is neither SQLite nor PostgreSQL it
    /// throws: the two drivers are the only ones Zhengxin runs on.
    static func all(_ query: any SQLExpression, on db: any Database) async throws -> [Row] {
        let sql = db as! any SQLDatabase
        let (text, binds) = sql.serialize(query)
        if let sqlite = db as? any SQLiteDatabase { return try await rows(of: sqlite, text, binds) }
        if let postgres = db as? any PostgresDatabase { return try await rows(of: postgres, text, try postgresBindings(binds)) }
        throw UnsupportedBind(type: "database \(type(of: db))")
    }

    static func rows(of postgres: any PostgresDatabase, _ text: String, _ bindings: PostgresBindings) async throws -> [Row] {
        try await rows(of: postgres, text, bindings, Row.init)
    }

    /// PostgreSQL's rows as they came, not yet decoded: for a long page that the caller decodes on
    /// every core (`Row.init`) rather than on the connection's event loop (AuditEntryRows).
    static func undecoded(_ query: any SQLExpression, on postgres: any PostgresDatabase) async throws -> [PostgresRow] {
        let (text, binds) = (postgres as! any SQLDatabase).serialize(query)
        return try await rows(of: postgres, text, try postgresBindings(binds)) { $0 }
    }

    /// Each row of `text` as `each` makes it, on the connection's event loop.
    private static func rows<T: Sendable>(
        of postgres: any PostgresDatabase, _ text: String, _ bindings: PostgresBindings,
        _ each: @escaping @Sendable (PostgresRow) throws -> T
    ) async throws -> [T] {
        try await onConnection(of: postgres) { connection, logger in
            var rows: [T] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: text, binds: bindings), logger: logger) {
                rows.append(try each(row))
            }
            return rows
        }
    }

    /// `read` on one of the database's connections (a transaction's own, inside one).
    static func onConnection<T: Sendable>(
        of postgres: any PostgresDatabase, _ read: @escaping @Sendable (PostgresConnection, Logger) async throws -> T
    ) async throws -> T {
        let logger = postgres.logger
        return try await postgres.withConnection { connection in
            connection.eventLoop.makeFutureWithTask { try await read(connection, logger) }
        }.get()
    }

    static func rows(of sqlite: any SQLiteDatabase, _ text: String, _ binds: [any Encodable & Sendable]) async throws -> [Row] {
        let encoder = SQLiteDataEncoder()
        let rows = try await sqlite.query(text, try binds.map { try encoder.encode($0) })
        return rows.map { row in Row(cells: row.columns.map { column in cell(column.data) }) }
    }

    private static func cell(_ data: SQLiteData) -> Cell {
        switch data {
        case .integer(let n): return .integer(Int64(n))
        case .float(let d): return .real(d)
        case .text(let s): return .text(s)
        case .blob(var buffer): return .text(buffer.readString(length: buffer.readableBytes) ?? "")
        case .null: return .null
        }
    }

    static func cell(_ cell: PostgresCell) throws -> Cell {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .bool: return .bool(try cell.decode(Bool.self))
        case .uuid: return .uuid(try cell.decode(UUID.self))
        case .float4, .float8: return .real(try cell.decode(Double.self))
        default: return .text(try cell.decode(String.self))
        }
    }

    /// SQLKit's binds as PostgreSQL's, for the types the queries here bind.
    static func postgresBindings(_ binds: [any Encodable & Sendable]) throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: binds.count)
        for bind in binds {
            switch bind {
            case let value as UUID: bindings.append(value)
            case let value as String: bindings.append(value)
            case let value as Int: bindings.append(value)
            case let value as Int64: bindings.append(value)
            case let value as Bool: bindings.append(value)
            default: throw UnsupportedBind(type: String(describing: type(of: bind)))
            }
        }
        return bindings
    }
}
