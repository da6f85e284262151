import Fluent

/// The project list's 涉密 candidates (ProjectListing.scope: id, version, updated_at of every 涉密 row
/// in the caller's reach, on every list) read from the index alone: with (classified, unit_id) only,
/// each of the ~300 candidates at 100,000 projects was a seek into the table, on every list request.
/// The new index has the old one as its prefix, which it replaces.
struct AddClassifiedKeysIndex: AsyncMigration {
    static let indexes = [("projects_classified_keys", "projects (classified, unit_id, id, version, updated_at)")]

    func prepare(on database: Database) async throws {
        try await SQLIndexes.create(Self.indexes, on: database)
        try await SQLIndexes.drop([("projects_classified", "")], on: database)
    }

    func revert(on database: Database) async throws {
        try await SQLIndexes.create([("projects_classified", "projects (classified, unit_id)")], on: database)
        try await SQLIndexes.drop(Self.indexes, on: database)
    }
}
