import Fluent
import SQLKit

/// 邮件提醒: the outbox of mails to send (written in the transaction of the event that causes them)
/// and each account's mail address (sealed, as personal data) and how it wants to be told.
struct CreateMailOutbox: AsyncMigration {
    /// The worker's query: pending rows in next-attempt order, read from the index alone.
    static let indexes = [("mail_outbox_due", "mail_outbox (status, next_attempt_at, id)")]

    func prepare(on database: Database) async throws {
        try await database.schema("mail_outbox")
            .id()
            .field("user_id", .uuid, .required)
            .field("address_sealed", .sql(unsafeRaw: "TEXT"), .required)
            .field("subject", .sql(unsafeRaw: "TEXT"), .required)
            .field("body", .sql(unsafeRaw: "TEXT"), .required)
            .field("link", .sql(unsafeRaw: "TEXT"), .required)
            .field("kind", .string, .required)
            .field("created_at", .int64, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .int64, .required)
            .field("sent_at", .int64)
            .field("last_error", .sql(unsafeRaw: "TEXT"))
            .create()
        try await SQLIndexes.create(Self.indexes, on: database)
        try await database.schema("mail_addresses")
            .field("user_id", .uuid, .identifier(auto: false))
            .field("address_sealed", .sql(unsafeRaw: "TEXT"), .required)
            .field("updated_at", .int64, .required)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema("mail_addresses").delete()
        try await database.schema("mail_outbox").delete()
    }
}
