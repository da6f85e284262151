import Fluent
import Foundation

/// Account security state, and the idle-timeout clock on sessions (8.1.4.1 b) 登录连接超时自动退出).
struct CreateAccountSecurity: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(AccountSecurityModel.schema)
            .id()
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("failed_logins", .int, .required)
            .field("locked_until", .int64)
            .field("totp_secret", .string)
            .field("totp_is_demo", .bool, .required)
            .field("totp_last_step", .int64)
            .unique(on: "user_id")
            .create()
        try await database.schema("session_tokens").field("last_seen_at", .int64).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema("session_tokens").deleteField("last_seen_at").update()
        try await database.schema(AccountSecurityModel.schema).delete()
    }
}
