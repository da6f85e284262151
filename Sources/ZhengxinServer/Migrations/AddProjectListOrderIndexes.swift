import Fluent
import SQLKit

/// The project list's pages read in their order from an index and stopped at the LIMIT, for each
/// sort key in both directions (a B-tree reads backwards as well): for the whole list, one unit's,
/// and the stage, tier and plan-year filters. Each index ends in (code, classified): the tie-break of
/// every order, and the column that decides the reach (`NOT classified`, ProjectListing.condition)
/// from the index alone. QueryPlanTests found each missing one as a temporary B-tree sorting every
/// matching row (an agency's first page: all ~100,000 projects at a city's whole history).
struct AddProjectListOrderIndexes: AsyncMigration {
    static let indexes: [(String, String)] = {
        let keys = [
            ("code", "code"), ("name", "name, code"), ("updated", "updated_at, code"), ("investment", "total_investment_fen, code"),
        ]
        var all: [(String, String)] = keys.map { ("projects_order_\($0.0)", "projects (\($0.1), classified)") }
        for (prefix, column) in [("unit", "unit_id"), ("tier", "tier"), ("year", "plan_year")] {
            all += keys.filter { prefix != "unit" || $0.0 != "code" }  // (unit_id, code) is projects_unit_code
                .map { ("projects_\(prefix)_\($0.0)", "projects (\(column), \($0.1), classified)") }
        }
        return all + [("projects_stage_name", "projects (stage, name, code, classified)")]
    }()
    func prepare(on database: Database) async throws {
        try await SQLIndexes.create(Self.indexes, on: database)
        // PostgreSQL: the grams function builds an array of ~50 strings per row; costed at the default
        // (100) the planner would rather run it on every row of a table of a few hundred than read
        // its GIN index (QueryPlanTests: a search's count read no text index).
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" { try await sql.raw("ALTER FUNCTION project_search_grams(text, text) COST 1000").run() }
    }
    func revert(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" { try await sql.raw("ALTER FUNCTION project_search_grams(text, text) COST 100").run() }
        try await SQLIndexes.drop(Self.indexes, on: database)
    }
}
