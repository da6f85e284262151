import Fluent

/// Indexes that another index begins with: (updated_at) is the start of (updated_at, code,
/// classified), (total_investment_fen) of (total_investment_fen, code, classified), (plan_year) of
/// (plan_year, code, classified). Every query they served is served by the longer one, and
/// (updated_at) changed with every action, one more index entry moved on each write.
struct DropPrefixProjectIndexes: AsyncMigration {
    static let indexes = [
        ("projects_updated", "projects (updated_at)"),
        ("projects_investment", "projects (total_investment_fen)"),
        ("projects_year", "projects (plan_year)"),
    ]

    func prepare(on database: Database) async throws { try await SQLIndexes.drop(Self.indexes, on: database) }
    func revert(on database: Database) async throws { try await SQLIndexes.create(Self.indexes, on: database) }
}
