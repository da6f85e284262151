import Fluent
import SQLKit

/// How each account wants to be told (立即 / 每日汇总 / 不发送), and which outbox rows wait for the
/// recipient's daily digest instead of going alone, and which worker's claim a row is under
/// (MailWorker). Existing addresses keep being mailed at once, as they were.
struct AddMailDelivery: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("mail_addresses")
            .field("delivery", .string, .required, .sql(.default(MailDelivery.immediate.rawValue)))
            .update()
        try await database.schema("mail_outbox")
            .field("digest", .bool, .required, .sql(.default(false)))
            .update()
        // SQLite adds one column per ALTER TABLE.
        try await database.schema("mail_outbox").field("claim", .string).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema("mail_outbox").deleteField("claim").update()
        try await database.schema("mail_outbox").deleteField("digest").update()
        try await database.schema("mail_addresses").deleteField("delivery").update()
    }
}
