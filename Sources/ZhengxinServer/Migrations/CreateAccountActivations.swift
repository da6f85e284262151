import Fluent
import SQLKit
import Vapor
import ZhengxinCore

struct CreateAccountActivations: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(AccountActivationModel.schema)
            .id()
            .field("user_id", .uuid, .required, .references(UserModel.schema, .id))
            .field("token_digest", .string, .required)
            .field("first_half_digest", .string)
            .field("purpose", .string, .required)
            .field("created_at", .int64, .required)
            .field("expires_at", .int64, .required)
            .unique(on: "token_digest")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(AccountActivationModel.schema).delete()
    }
}
