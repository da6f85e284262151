import Fluent
import SQLKit
import Vapor
import ZhengxinCore

/// Loading projects with the caller's scope applied: a project the caller may not see does not
/// exist for it (404), whether it belongs to another unit or is 涉密 and the caller is not named.
enum ProjectQueries {
    /// The project's record, when `actor` may see it (else 404, as for a project that does not exist).
    /// Read with one SQLKit query of the record column: Fluent's `find` fills all sixteen fields of the
    /// model through reflection, for readers that only want the record (the detail API).
    static func visibleRecord(_ id: UUID, to actor: Actor, on db: Database) async throws -> ProjectRecord {
        let row = try await (db as! any SQLDatabase).select().column("record").from(ProjectModel.schema)
            .where("id", .equal, SQLBind(id)).first()
        guard let row else { throw APIError.notFound("项目") }
        let record = try ProjectRecordStorage.decode(try row.decode(column: "record", as: String.self))
        guard record.isVisible(to: actor) else { throw APIError.notFound("项目") }
        return record
    }

    /// The row and its record, for a writer that stores the row again (ProjectActionRunner).
    static func visible(_ id: UUID, to actor: Actor, on db: Database) async throws -> (StoredProject, ProjectRecord) {
        guard let stored = try await ProjectVersioning.read(id, on: db) else { throw APIError.notFound("项目") }
        let record = try ProjectRecordStorage.decode(stored.columns.record)
        guard record.isVisible(to: actor) else { throw APIError.notFound("项目") }
        return (stored, record)
    }

    static func list(for actor: Actor, stage: Stage?, planYear: Int?, on db: Database) async throws -> [ProjectRecord] {
        let query = ProjectModel.query(on: db).sort(\.$code)
        if actor.organisationType == .unit { query.filter(\.$unitId == actor.organisationId) }
        if let stage { query.filter(\.$stage == stage.rawValue) }
        if let planYear { query.filter(\.$planYear == planYear) }
        return try await query.all().map { try $0.decoded() }.filter { $0.isVisible(to: actor) }
    }

    static func projectId(_ req: Request) throws -> UUID {
        guard let text = req.parameters.get("projectId"), let id = UUID(uuidString: text) else { throw APIError.notFound("项目") }
        return id
    }
}
