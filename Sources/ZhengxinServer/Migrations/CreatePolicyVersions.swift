import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import ZhengxinCore

struct CreatePolicyVersions: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("policy_versions")
            .field("id", .string, .identifier(auto: false))
            .field("jurisdiction", .string, .required)
            .field("effective_from", .string, .required)
            .field("record", .sql(unsafeRaw: "TEXT"), .required)
            .create()
    }

    func revert(on database: Database) async throws { try await database.schema("policy_versions").delete() }
}
