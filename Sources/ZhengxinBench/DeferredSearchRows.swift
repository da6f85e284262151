import Fluent
import SQLKit
import ZhengxinServer

/// The triggers that write a project's search and party rows as it is inserted, set aside while
/// seed-bench loads and made again, exactly as the migrations defined them, once the rows are in;
/// the rows they would have written are then made from the loaded projects with one statement per
/// table (AddProjectSearch.fill, AddProjectParties.fill). Row by row, the FTS5 table, ~27 grams per
/// project and the parties' JSON walk cut the load from 53,000 to 12,000 projects a minute; as
/// with DeferredIndexes, building them once from the loaded table is the same result for a fraction.
/// Only insert triggers: a load inserts; deletes and updates keep their triggers.
struct DeferredSearchRows: Sendable {
    struct Trigger: Sendable, Equatable {
        var name: String
        var definition: String
    }

    static let sqliteTriggers = ["project_search_insert", "project_parties_insert"]
    /// PostgreSQL keeps the search grams in a GIN index (set aside by DeferredIndexes) and as rows;
    /// the gram rows and the parties have one trigger each for insert, update and delete.
    static let postgresTriggers = ["project_parties_follow", "project_search_grams_follow"]

    let triggers: [Trigger]

    /// Drops the insert triggers of the search and party rows and remembers their definitions.
    static func setAside(on db: any Database) async throws -> DeferredSearchRows {
        let triggers = try await definitions(on: db)
        let sql = db as! any SQLDatabase
        for trigger in triggers {
            if sql.dialect.name == "postgresql" {
                try await sql.raw("DROP TRIGGER \(ident: trigger.name) ON projects").run()
            } else {
                try await sql.raw("DROP TRIGGER \(ident: trigger.name)").run()
            }
        }
        return DeferredSearchRows(triggers: triggers)
    }

    /// The triggers as the database would make them again.
    static func definitions(on db: any Database) async throws -> [Trigger] {
        let sql = db as! any SQLDatabase
        let rows: [any SQLRow]
        if sql.dialect.name == "postgresql" {
            rows = try await sql.raw(
                """
                SELECT t.tgname::text AS name, pg_get_triggerdef(t.oid) AS definition FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                WHERE c.relname = 'projects' AND NOT t.tgisinternal AND t.tgname::text IN \(SQLBind.group(postgresTriggers))
                """
            ).all()
        } else {
            rows = try await sql.raw(
                """
                SELECT name, sql AS definition FROM sqlite_master WHERE type = 'trigger' AND name IN \(SQLBind.group(sqliteTriggers))
                """
            ).all()
        }
        return try rows.map {
            Trigger(name: try $0.decode(column: "name", as: String.self), definition: try $0.decode(column: "definition", as: String.self))
        }
        .sorted { $0.name < $1.name }
    }

    /// Writes every loaded project's search and party rows, then makes the triggers again.
    func restore(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await LoadedProjectRows.fillSearchAndParties(on: sql)
        for trigger in triggers { try await sql.raw("\(unsafeRaw: trigger.definition)").run() }
    }
}
