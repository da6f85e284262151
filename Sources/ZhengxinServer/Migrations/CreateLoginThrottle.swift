import Crypto
import Fluent
import NIOCore
import SQLKit
import Vapor
import ZhengxinCrypto

struct CreateLoginThrottle: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(LoginThrottleModel.schema)
            .id()
            .field("key", .string, .required)
            .field("username_digest", .string, .required)
            .field("failures", .int, .required)
            .field("last_failure_at", .int64, .required)
            .field("blocked_until", .int64)
            .field("expires_at", .int64, .required)
            .unique(on: "key")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX login_throttle_expires ON login_throttle (expires_at)").run()
        try await sql.raw("CREATE INDEX login_throttle_username ON login_throttle (username_digest)").run()
    }

    func revert(on database: Database) async throws {
        try await database.schema(LoginThrottleModel.schema).delete()
    }
}
