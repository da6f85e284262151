import Fluent
import Foundation
import SQLKit
import ZhengxinCore
import ZhengxinCrypto

/// The review column and the state row; rows already stored are all due for review.
struct AddDeadlineReview: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("projects").field("deadlines_review_on", .string).update()
        let sql = database as! any SQLDatabase
        try await sql.raw("UPDATE projects SET deadlines_review_on = ''").run()
        MigrationLog.moved(self, "projects.deadlines_review_on(待复查)", try await MigrationLog.count("projects", on: database), on: database)
        try await sql.raw("CREATE INDEX projects_deadlines_review_on ON projects (deadlines_review_on)").run()
        try await database.schema(DeadlineScanStateModel.schema)
            .field("id", .string, .identifier(auto: false))
            .field("last_day", .string, .required)
            .field("policy_fingerprint", .string, .required)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(DeadlineScanStateModel.schema).delete()
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP INDEX projects_deadlines_review_on").run()
        try await database.schema("projects").deleteField("deadlines_review_on").update()
    }
}
