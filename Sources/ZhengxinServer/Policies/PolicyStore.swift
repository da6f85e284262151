import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
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
        record = try RecordJSON.text(policy)
    }
}

/// The policy book in force: the built-in versions plus those stored.
///
/// Read on every request that judges a project, so the stored versions' text is read
/// (a handful of rows, none in most deployments) and decoded only when it differs from the text
/// last decoded in this process. The cache is keyed on the full stored text, so a version added by
/// another server on the same database is in force at this server's next read: never stale.
package enum PolicyStore {
    private static let lastDecoded = NIOLockedValueBox<(texts: [String], book: PolicyBook)>(([], .builtIn))

    package static func book(on db: Database) async throws -> PolicyBook {
        // Read by position, not a Fluent query: this runs on every action and page.
        let texts = try await PlainRows.all(SQLQueryString("SELECT record FROM policy_versions"), on: db).map { try $0.text(0) }
        let cached = lastDecoded.withLockedValue { $0 }
        if cached.texts == texts { return cached.book }
        let book = PolicyBook(versions: PolicyBook.builtIn.versions + (try texts.map { try RecordJSON.decode(Policy.self, from: $0) }))
        lastDecoded.withLockedValue { $0 = (texts, book) }
        return book
    }
}
