import Fluent
import SQLKit
import Vapor
import ZhengxinCore

/// GET /api/v1/organisations: the organisations on record (names and types only), a page at a
/// time by name (`page`, `perPage`), read in order from the unique index on the name; how many
/// there are in `X-Total-Count`.
struct OrganisationController {
    struct View: Content { var id: UUID; var name: String; var type: String; var typeTitle: String }

    func register(_ routes: RoutesBuilder) {
        routes.get("organisations", use: list)
    }

    func list(_ req: Request) async throws -> Response {
        _ = try req.caller()
        let paging = try PageRequest.collection(req)
        let total = try await OrganisationModel.query(on: req.db).count()
        let rows = try await (req.db as! any SQLDatabase).raw(Self.pageQuery(paging)).all(decodingFluent: OrganisationModel.self)
        let views = try rows.map { View(id: try $0.requireID(), name: $0.name, type: $0.type, typeTitle: $0.organisationType.chinese) }
        return try await PageRequest.response(views, total: total, for: req)
    }

    static func pageQuery(_ paging: PageRequest) -> SQLQueryString {
        "SELECT * FROM organisations ORDER BY name" + paging.sqlLimit
    }
}
