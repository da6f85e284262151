import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import ZhengxinCore

/// 第四十二条: organisations belong to the city or to a county.
struct AddOrganisationJurisdiction: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema("organisations")
            .field("jurisdiction", .string, .required, .sql(.default(PolicyBook.city)))
            .update()
    }

    func revert(on database: Database) async throws {
        try await database.schema("organisations").deleteField("jurisdiction").update()
    }
}
