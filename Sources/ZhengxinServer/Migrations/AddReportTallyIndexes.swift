import Fluent
import SQLKit

/// SQLite: the portfolio report's two groupings of `project_tallies` (PortfolioQuery.Grouping: by
/// unit; by stage, year and tier) read from an index in their GROUP BY's order that holds every
/// column they sum. Through the primary key, SQLite looked up each of the ~7,000 tally rows in the
/// table and sorted them into groups in a temporary B-tree, ~4 ms a grouping at 100,000 projects;
/// from these, ~1 ms. `plan_year` sits in the unit index for the report's year filter. PostgreSQL
/// hashes the same rows from the table in ~2 ms and takes neither index (measured), so it gets none
/// to keep up on every tally written.
struct AddReportTallyIndexes: AsyncMigration {
    static let sums = "projects, requested, approved, planned, disbursed"
    static let indexes = [
        ("project_tallies_by_unit", "project_tallies (unit_id, classified, plan_year, \(sums))"),
        ("project_tallies_by_stage", "project_tallies (stage, plan_year, tier, classified, \(sums))"),
    ]

    func prepare(on database: Database) async throws {
        guard (database as! any SQLDatabase).dialect.name == "sqlite" else { return }
        try await SQLIndexes.create(Self.indexes, on: database)
    }

    func revert(on database: Database) async throws {
        guard (database as! any SQLDatabase).dialect.name == "sqlite" else { return }
        try await SQLIndexes.drop(Self.indexes, on: database)
    }
}
