import Fluent
import SQLKit

/// An index in the order of every paged collection and of the home page's lists, so a page is read
/// in order and stops at its limit:
/// - a project's signed decisions by audit sequence, the annual plans by year;
/// - the newest project audit entries (recent activity on the home page), past login entries;
/// - open reminders with their audience in the index, so the inbox's count and its walk in
///   due-date order never read the table to learn whom a reminder is addressed to. These replace
///   the indexes without the audience (AddReminderPagingIndexes), which are prefixes of them.
struct AddCollectionPagingIndexes: AsyncMigration {
    static let indexes = [
        ("decision_signatures_project", "decision_signatures (project_id, audit_seq)"),
        ("annual_plans_year", "annual_plans (year, id)"),
        ("audit_entries_project_recent", "audit_entries (seq, project_id) WHERE project_id IS NOT NULL"),
        ("reminders_open_due_audience", "reminders (due_on, key, project_id, audience) WHERE resolved_at IS NULL"),
        ("reminders_open_unit_due_audience", "reminders (unit_id, due_on, key, project_id, audience) WHERE resolved_at IS NULL"),
    ]

    func prepare(on database: Database) async throws {
        try await SQLIndexes.create(Self.indexes, on: database)
        try await SQLIndexes.drop(AddReminderPagingIndexes.indexes, on: database)
    }

    func revert(on database: Database) async throws {
        try await SQLIndexes.create(AddReminderPagingIndexes.indexes, on: database)
        try await SQLIndexes.drop(Self.indexes, on: database)
    }
}
