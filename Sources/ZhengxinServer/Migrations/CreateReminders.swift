import Fluent
import Foundation
import ZhengxinCore

struct CreateReminders: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("reminders")
            .id()
            .field("key", .string, .required)
            .field("project_id", .uuid, .required)
            .field("unit_id", .uuid, .required)
            .field("kind", .string, .required)
            .field("ref", .string, .required)
            .field("due_on", .string, .required)
            .field("status", .string, .required)
            .field("audience", .string, .required)
            .field("rule", .string, .required)
            .field("article", .string, .required)
            .field("message", .sql(unsafeRaw: "TEXT"), .required)
            .field("raised_at", .int64, .required)
            .field("resolved_at", .int64)
            .unique(on: "key")
            .create()
        try await database.schema("scan_runs")
            .field("day", .string, .identifier(auto: false))
            .field("started_at", .int64, .required)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema("scan_runs").delete()
        try await database.schema("reminders").delete()
    }
}
