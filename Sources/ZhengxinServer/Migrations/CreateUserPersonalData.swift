import Fluent
import Vapor
import ZhengxinCore

struct CreateUserPersonalData: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(UserPersonalDataModel.schema)
            .id()
            .field("user_id", .uuid, .required, .references(UserModel.schema, .id))
            .field("phone_sealed", .string)
            .field("id_number_sealed", .string)
            .unique(on: "user_id")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(UserPersonalDataModel.schema).delete()
    }
}
