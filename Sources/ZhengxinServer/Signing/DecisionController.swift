import Fluent
import Vapor
import ZhengxinCore

/// GET /api/v1/projects/{projectId}/decisions: the project's signed decisions, each a complete
/// export (document, SM2 signature, public key) that `zhengxin verify-decision` checks offline.
struct DecisionController {
    func register(_ routes: RoutesBuilder) {
        routes.get("projects", ":projectId", "decisions", use: list)
    }

    func list(_ req: Request) async throws -> [SignedDecisionExport] {
        let actor = try req.caller()
        let record = try await ProjectQueries.visibleRecord(try ProjectQueries.projectId(req), to: actor, on: req.db)
        return try await DecisionSignatureModel.query(on: req.db).filter(\.$projectId == record.id).sort(\.$auditSeq).all()
            .map(SignedDecisionExport.init)
    }
}

extension SignedDecisionExport: Content {}
