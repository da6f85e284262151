import Fluent
import SQLKit

/// Indexes for the project list (ProjectListing) and the home pages' queues: each sort key,
/// a unit's list in code order, the 涉密 candidates, and the deadline scan's unresolved marks by
/// status (the `overdue` filter) and by project (the overdue column of a page).
struct AddProjectListIndexes: AsyncMigration {
    static let indexes = [
        ("projects_updated", "projects (updated_at)"),
        ("projects_investment", "projects (total_investment_fen)"),
        ("projects_unit_code", "projects (unit_id, code)"),
        ("projects_classified", "projects (classified, unit_id)"),
        ("projects_year", "projects (plan_year)"),
        ("reminders_status_open", "reminders (status, resolved_at, project_id)"),
        ("reminders_project", "reminders (project_id, resolved_at)"),
    ]

    func prepare(on database: Database) async throws { try await SQLIndexes.create(Self.indexes, on: database) }
    func revert(on database: Database) async throws { try await SQLIndexes.drop(Self.indexes, on: database) }
}
