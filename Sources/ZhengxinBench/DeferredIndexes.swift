import Fluent
import SQLKit
import ZhengxinServer

/// The secondary indexes of the tables seed-bench fills, set aside while it loads and built again,
/// exactly as the migrations defined them, once the rows are in. Kept up row by row, fifteen
/// indexes on projects and two on 2,000,000 audit entries made each chunk of 1,000 projects slower
/// than the one before (44 s for the first 10,000, ~80 s for the last); built once from sorted data
/// they cost seconds. Indexes that carry a constraint (primary keys, UNIQUE) stay, so the data are
/// checked as they arrive.
struct DeferredIndexes: Sendable {
    struct Index: Sendable, Equatable {
        var name: String
        var definition: String
    }

    let indexes: [Index]

    /// Drops the plain secondary indexes of `tables` and remembers their definitions.
    static func setAside(_ tables: [String], on db: any Database) async throws -> DeferredIndexes {
        let indexes = try await definitions(tables, on: db)
        for index in indexes { try await (db as! any SQLDatabase).raw("DROP INDEX \(ident: index.name)").run() }
        return DeferredIndexes(indexes: indexes)
    }

    /// The plain secondary indexes of `tables`, by name, as the database would make them again.
    static func definitions(_ tables: [String], on db: any Database) async throws -> [Index] {
        let sql = db as! any SQLDatabase
        let rows: [any SQLRow]
        if sql.dialect.name == "postgresql" {
            rows = try await sql.raw(
                """
                SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
                WHERE i.schemaname = current_schema() AND i.tablename IN (\(binds: tables))
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
                """
            ).all()
        } else {
            // Indexes SQLite made for a constraint (sqlite_autoindex_…) have no SQL and cannot be dropped.
            rows = try await sql.raw(
                """
                SELECT name, sql AS definition FROM sqlite_master
                WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (\(binds: tables))
                """
            ).all()
        }
        return try rows.map {
            Index(name: try $0.decode(column: "name", as: String.self), definition: try $0.decode(column: "definition", as: String.self))
        }
        .sorted { $0.name < $1.name }
    }

    /// Builds every index set aside, with the statement that first made it.
    func restore(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        for index in indexes { try await sql.raw("\(unsafeRaw: index.definition)").run() }
    }
}
