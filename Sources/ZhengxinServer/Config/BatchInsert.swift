import Fluent

/// Multi-row INSERTs: one statement per `rowsPerStatement` models (within SQLite's and
/// PostgreSQL's bind limits for our widest table), instead of one round trip per row.
enum BatchInsert {
    static let rowsPerStatement = 1_000

    static func create<M: Model>(_ models: [M], on db: Database) async throws {
        for start in stride(from: 0, to: models.count, by: rowsPerStatement) {
            try await models[start..<min(models.count, start + rowsPerStatement)].create(on: db)
        }
    }
}
