import Vapor
import ZhengxinCore

/// /api/v1/risks (the ranked 风险评级 list, RiskListing) and /api/v1/projects/{id}/risk (one
/// project's rating and history, ProjectRiskQueries).
struct RiskController {
    func register(_ routes: RoutesBuilder) {
        routes.get("risks", use: list)
        routes.get("projects", ":projectId", "risk", use: show)
    }

    /// A page in rank order; the number of matching projects in `X-Total-Count`.
    func list(_ req: Request) async throws -> Response {
        let actor = try req.caller()
        try RiskListing.requireReader(actor)
        let page = try await RiskListing.page(try RiskListQuery.parse(req), for: actor, on: req)
        return try await PageRequest.response(page.rows.map(RiskSummary.init), total: page.total, for: req)
    }

    func show(_ req: Request) async throws -> RiskDetail {
        try await ProjectRiskQueries.detail(try ProjectQueries.projectId(req), for: try req.caller(), at: req.now, on: req.db)
    }
}
