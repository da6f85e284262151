import Fluent
import Vapor
import ZhengxinCore

/// Loading projects with the caller's scope applied: a project the caller may not see does not
/// exist for it (404), whether it belongs to another unit or is 涉密 and the caller is not named.
enum ProjectQueries {
    static func visible(_ id: UUID, to actor: Actor, on db: Database) async throws -> (ProjectModel, ProjectRecord) {
        guard let model = try await ProjectModel.find(id, on: db) else { throw APIError.notFound("项目") }
        let record = try model.decoded()
        guard record.isVisible(to: actor) else { throw APIError.notFound("项目") }
        return (model, record)
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
