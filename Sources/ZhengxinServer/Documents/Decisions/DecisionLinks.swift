import Fluent
import Vapor
import ZhengxinCore

/// The project page's list of the project's signed decisions, each linking to its PDF document
/// (第十条); the page is shown only to those who may see the project, as the PDF is.
struct DecisionLink: Encodable, Sendable {
    var title: String
    var signedAt: String
    var href: String

    static func of(_ projectId: UUID, _ req: Request) async throws -> [DecisionLink] {
        try await DecisionSignatureModel.query(on: req.db).filter(\.$projectId == projectId).sort(\.$auditSeq).all().map { row in
            DecisionLink(
                title: Lifecycle.rule(named: row.action)?.spec.title ?? row.action, signedAt: SigningTime.text(row.signedAt),
                href: "/projects/\(projectId.uuidString)/decisions/\(try row.requireID().uuidString.lowercased()).pdf")
        }
    }
}
