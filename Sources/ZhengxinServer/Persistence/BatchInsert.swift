import Fluent
import Foundation
import SQLKit

/// A row whose columns are written by `BatchInsert` straight through SQLKit: Fluent's own
/// `create` walks a model with a reflection Mirror four or five times per row (collectInput,
/// timestamps, touchTimestamps), which was a quarter of zhengxin-bench's time and part of every audit
/// append. A Fluent model's column list is tested equal to Fluent's own input of the model
/// (BulkRowTests), so a field added to the model without its column here fails the suite.
package protocol BulkRow {
    static var schema: String { get }
    /// The row's id; a row without one is refused (Fluent would have made one).
    var bulkID: UUID? { get }
    /// Column names, in the order of `bulkValues`.
    static var bulkColumns: [String] { get }
    /// This row's values; a nil optional is written as NULL.
    var bulkValues: [any Encodable & Sendable] { get }
}

/// Multi-row INSERTs: one statement per `rowsPerStatement` models (within SQLite's and
/// PostgreSQL's bind limits for our widest table), instead of one round trip per row.
package enum BatchInsert {
    static let rowsPerStatement = 1_000
    /// Below SQLite's 32,766 and PostgreSQL's 65,535 bound parameters per statement.
    static let bindsPerStatement = 30_000

    package static func create<M: BulkRow>(_ models: [M], on db: Database) async throws {
        guard !models.isEmpty else { return }
        // Fluent would generate a missing id; a bulk row is written as given, so it must have one.
        guard models.allSatisfy({ $0.bulkID != nil }) else { throw BulkRowWithoutID(table: M.schema) }
        let sql = db as! any SQLDatabase
        let rows = max(1, min(rowsPerStatement, bindsPerStatement / M.bulkColumns.count))
        for part in models.chunks(of: rows) {
            var insert = sql.insert(into: M.schema).columns(M.bulkColumns)
            for model in part {
                insert = insert.values(model.bulkValues.map { SQLBind($0) as any SQLExpression })
            }
            try await insert.run()
        }
    }

    static func create<M: BulkRow>(_ model: M, on db: Database) async throws {
        try await create([model], on: db)
    }
}

extension BulkRow where Self: Model, IDValue == UUID {
    package var bulkID: UUID? { id }
}

struct BulkRowWithoutID: Error, CustomStringConvertible {
    var table: String
    var description: String { "BatchInsert: a row for \(table) has no id" }
}

extension Array {
    /// Consecutive slices of at most `size` elements, in order: one statement's worth of rows or
    /// bound ids each, so no statement passes the databases' bind limits.
    func chunks(of size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min(count, $0 + size)] }
    }
}
