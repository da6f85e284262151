import Fluent

struct CreateOrganisations: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("organisations")
            .id()
            .field("name", .string, .required)
            .field("type", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "name")
            .create()
    }

    func revert(on database: Database) async throws { try await database.schema("organisations").delete() }
}

struct CreateUsers: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("users")
            .id()
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("password_hash", .string, .required)
            .field("organisation_id", .uuid, .required, .references("organisations", "id"))
            .field("roles", .string, .required)
            .field("active", .bool, .required)
            .field("created_at", .datetime)
            .unique(on: "username")
            .create()
    }

    func revert(on database: Database) async throws { try await database.schema("users").delete() }
}

struct CreateSessionTokens: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("session_tokens")
            .id()
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("expires_at", .int64, .required)
            .field("created_at", .int64, .required)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: Database) async throws { try await database.schema("session_tokens").delete() }
}
