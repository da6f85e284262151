import Fluent
import SQLKit

/// Open reminders in due-date order, for the city and for one unit: the inbox reads them a page at
/// a time instead of sorting every open reminder.
struct AddReminderPagingIndexes: AsyncMigration {
    static let indexes = [
        ("reminders_open_due", "reminders (due_on, key, project_id) WHERE resolved_at IS NULL"),
        ("reminders_open_unit_due", "reminders (unit_id, due_on, key, project_id) WHERE resolved_at IS NULL"),
    ]

    func prepare(on database: Database) async throws { try await SQLIndexes.create(Self.indexes, on: database) }
    func revert(on database: Database) async throws { try await SQLIndexes.drop(Self.indexes, on: database) }
}
