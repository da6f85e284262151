import Fluent
import SQLKit
import Vapor

/// Optimistic versioning of the project row: an accepted action writes only if the row still has
/// the version it was decided on. Within one process the write gate already serialises writers,
/// and on PostgreSQL the advisory lock serialises processes; this is what keeps a second server, or
/// any writer that skipped both, from silently overwriting an update it never saw (issue 6 item 4).
enum ProjectVersioning {
    /// The row moved on between the read and the write; the transaction is rolled back.
    struct Conflict: Error {}

    static let conflictError = APIError(status: .conflict, code: "CONFLICT",
                                        message: "项目刚刚被其他操作修改,本次操作未生效,请刷新后重新办理")

    /// Moves the row from `expected` to `expected + 1`; throws `Conflict` when it no longer has `expected`.
    static func claimNext(_ id: UUID, expected: Int, on db: Database) async throws {
        let sql = db as! any SQLDatabase
        let rows = try await sql.raw("""
            UPDATE projects SET version = \(bind: expected + 1) WHERE id = \(bind: id) AND version = \(bind: expected) RETURNING version
            """).all()
        if rows.isEmpty { throw Conflict() }
    }

    /// Runs `attempt` (one write transaction deciding on a fresh read); on a conflict runs it once
    /// more, then answers 409 CONFLICT.
    static func retryingOnce<T: Sendable>(_ attempt: () async throws -> T) async throws -> T {
        do { return try await attempt() } catch is Conflict {}
        do { return try await attempt() } catch is Conflict { throw conflictError }
    }
}
