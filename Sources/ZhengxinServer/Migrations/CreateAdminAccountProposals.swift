import Fluent
import SQLKit
import Vapor
import ZhengxinCore

struct CreateAdminAccountProposals: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(AdminAccountProposalModel.schema)
            .id()
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("organisation_id", .uuid, .required, .references(OrganisationModel.schema, .id))
            .field("roles", .string, .required)
            .field("phone_sealed", .string)
            .field("id_number_sealed", .string)
            .field("first_half_digest", .string, .required)
            .field("proposed_by", .uuid, .required, .references(UserModel.schema, .id))
            .field("proposed_at", .int64, .required)
            .field("status", .string, .required)
            .field("decided_by", .uuid, .references(UserModel.schema, .id))
            .field("decided_at", .int64)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(AdminAccountProposalModel.schema).delete()
    }
}
