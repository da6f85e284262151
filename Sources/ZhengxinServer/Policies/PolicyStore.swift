import Fluent
import Foundation
import ZhengxinCore

/// A policy version added after shipping (a county's own measures, or a revision), stored whole.
final class PolicyVersionModel: Model, @unchecked Sendable {
    static let schema = "policy_versions"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "jurisdiction") var jurisdiction: String
    @Field(key: "effective_from") var effectiveFrom: String
    @Field(key: "record") var record: String

    init() {}

    init(_ policy: Policy) throws {
        id = policy.id
        jurisdiction = policy.jurisdiction
        effectiveFrom = policy.effectiveFrom.description
        record = try RecordCoding.encode(policy)
    }
}

/// The policy book in force: the built-in versions plus those stored.
enum PolicyStore {
    static func book(on db: Database) async throws -> PolicyBook {
        let stored = try await PolicyVersionModel.query(on: db).all().map { try RecordCoding.decode(Policy.self, $0.record) }
        return PolicyBook(versions: PolicyBook.builtIn.versions + stored)
    }
}

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
