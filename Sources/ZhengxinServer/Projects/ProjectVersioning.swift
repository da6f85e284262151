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

    /// Stores `model` (its columns as `update(from:)` set them) as version `expected + 1` in ONE
    /// statement, only if the row still has `expected`; throws `Conflict` otherwise. The columns come
    /// from the model's own fields, so a column added to ProjectModel is stored here too.
    static func store(_ model: ProjectModel, expected: Int, on db: Database) async throws {
        let id = try model.requireID()
        model.version = expected + 1
        let columns = ModelColumns()
        model.input(to: columns)
        let sql = db as! any SQLDatabase
        var update = sql.update(ProjectModel.schema)
        for (key, value) in columns.values where key != .id {
            update = update.set(SQLIdentifier(key.description), to: try ModelColumns.expression(value))
        }
        let rows = try await update.where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(expected))
            .returning("version").all()
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

/// A model's columns as Fluent would write them (`Model.input(to:)`): only the fields set since it
/// was loaded, as `update(on:)` writes them.
final class ModelColumns: DatabaseInput {
    private(set) var values: [(FieldKey, DatabaseQuery.Value)] = []

    func set(_ value: DatabaseQuery.Value, at key: FieldKey) { values.append((key, value)) }

    static func expression(_ value: DatabaseQuery.Value) throws -> any SQLExpression {
        switch value {
        case .bind(let bound): return SQLBind(bound)
        case .null: return SQLLiteral.null
        default: throw Abort(.internalServerError, reason: "unsupported column value \(value)")
        }
    }
}
