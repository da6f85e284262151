import Fluent
import SQLKit
import Vapor

/// Optimistic versioning of the project row: an accepted action writes only if the row still has
/// the version it was decided on. Within one process the write gate already serialises writers,
/// and on PostgreSQL the advisory lock serialises processes; this is what keeps a second server, or
/// any writer that skipped both, from silently overwriting an update it never saw.
enum ProjectVersioning {
    /// The row moved on between the read and the write; the transaction is rolled back.
    struct Conflict: Error {}

    static let conflictError = APIError(
        status: .conflict, code: "CONFLICT",
        message: "项目刚刚被其他操作修改,本次操作未生效,请刷新后重新办理")

    /// Stores `row` over `stored` in ONE statement, only if the row still has `stored.version`
    /// (`row.version` is the next one); throws `Conflict` otherwise. Only the columns that changed are
    /// set (ProjectRow.changed).
    static func store(_ row: ProjectRow, over stored: ProjectRow, on db: Database) async throws {
        var update: SQLQueryString = "UPDATE projects SET version = \(bind: row.version)"
        for change in row.changed(since: stored) {
            update += ", \(unsafeRaw: change.column) = \(change.value)"
        }
        update += " WHERE id = \(bind: stored.id) AND version = \(bind: stored.version) RETURNING version"
        let rows = try await (db as! any SQLDatabase).raw(update).all()
        if rows.isEmpty { throw Conflict() }
    }

    /// Runs `attempt` (one write transaction deciding on a fresh read); on a conflict runs it once
    /// more, then answers 409 CONFLICT.
    static func retryingOnce<T: Sendable>(_ attempt: () async throws -> T) async throws -> T {
        try await retryingOnce(optimistic: attempt, locked: attempt)
    }

    /// Runs `optimistic` (decided outside the write lock, stored only if the version is unchanged);
    /// on a conflict runs `locked` (decided inside the write lock, where only a writer that skipped
    /// the gate and the lock can conflict), then answers 409 CONFLICT.
    static func retryingOnce<T: Sendable>(optimistic: () async throws -> T, locked: () async throws -> T) async throws -> T {
        do { return try await optimistic() } catch is Conflict {}
        do { return try await locked() } catch is Conflict { throw conflictError }
    }
}
