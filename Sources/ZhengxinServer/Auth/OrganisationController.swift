import Fluent
import Vapor
import ZhengxinCore

/// GET /api/v1/organisations: the organisations on record (names and types only).
struct OrganisationController {
    struct View: Content { var id: UUID; var name: String; var type: String; var typeTitle: String }

    func register(_ routes: RoutesBuilder) {
        routes.get("organisations", use: list)
    }

    func list(_ req: Request) async throws -> [View] {
        _ = try req.caller()
        return try await OrganisationModel.query(on: req.db).sort(\.$name).all().map {
            View(id: try $0.requireID(), name: $0.name, type: $0.type, typeTitle: $0.organisationType.chinese)
        }
    }
}
