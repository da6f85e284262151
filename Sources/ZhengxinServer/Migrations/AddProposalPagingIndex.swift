import Fluent

/// The account proposals in the order their list pages them (newest first), so a page is read in
/// order from the index and stops at its limit.
struct AddProposalPagingIndex: AsyncMigration {
    static let indexes = [("admin_account_proposals_recent", "admin_account_proposals (proposed_at, id)")]

    func prepare(on database: Database) async throws { try await SQLIndexes.create(Self.indexes, on: database) }

    func revert(on database: Database) async throws { try await SQLIndexes.drop(Self.indexes, on: database) }
}
