import Fluent
import Foundation
import Vapor
import ZhengxinCore

/// GET /api/v1/projects/{projectId}/similar: 查重 (第七条 项目的集约性, 第二十七条), the projects of
/// every unit and year most alike to one, for whoever may see that one (404 otherwise, as for an
/// unknown id).
///
/// The review is city-wide, so other units' ordinary projects are shown, but only as the fields of
/// `SimilarProjectView`. 涉密 matches the caller is not named on are one line, last, "a restricted
/// project matches": no score, no verdict, not how many (第十七条); the visible top five are ranked
/// without them, so they push none out.
struct SimilarProjectsController {
    func register(_ routes: RoutesBuilder) {
        routes.grouped("projects", ":projectId").get("similar", use: similar)
    }

    func similar(_ req: Request) async throws -> SimilarProjectsView {
        let actor = try req.caller()
        let query = SimilarRecord(try await ProjectQueries.visibleRecord(try ProjectQueries.projectId(req), to: actor, on: req.db))
        // 查重 serves the declaring unit and the reviewing agencies (第七条). A contracted vendor sees
        // its project, not the city's other projects that resemble it.
        guard actor.organisationType != .vendor else {
            throw APIError.forbidden("查重结果仅向项目单位和各审查、审批机关提供")
        }
        let answer = try await SimilarRanking.top(for: query, app: req.application, on: req.db, for: actor)
        let visible = answer.visible.map { SimilarProjectView($0.match, record: $0.record, unitName: $0.unitName) }
        return SimilarProjectsView(projectId: query.id, matches: visible + (answer.restricted ? [.restricted] : []))
    }
}

struct SimilarProjectsView: Content {
    var projectId: UUID
    var matches: [SimilarProjectView]
}

/// One match, or the one line for every restricted match: `restricted` and `summary` alone.
struct SimilarProjectView: Content {
    struct Passage: Content {
        var field: String
        var text: String
    }

    var restricted: Bool?
    var projectId: UUID?
    var code: String?
    var name: String?
    var unitName: String?
    var stage: Stage?
    var planYear: Int?
    var score: Double?
    var verdict: String?
    var passages: [Passage]?
    var summary: String?

    static let restrictedSummary = "有受限项目相似"

    /// 第十七条: a 涉密 project exists only for those named on it; to others, that some match.
    static let restricted = SimilarProjectView(restricted: true, summary: restrictedSummary)

    private init(restricted: Bool, summary: String) { (self.restricted, self.summary) = (restricted, summary) }

    /// A match the caller may see.
    init(_ match: SimilarityIndex<UUID>.Match, record: SimilarRecord, unitName: String) {
        score = (match.score * 1000).rounded() / 1000
        verdict = match.verdict.rawValue
        (projectId, code, name, self.unitName, stage, planYear) = (
            record.id, record.code, record.name, unitName, record.stage, record.planYear
        )
        passages = match.passages.map { Passage(field: Self.fieldName($0.field), text: $0.text) }
    }

    static func fieldName(_ field: SimilarityField) -> String {
        switch field {
        case .name: return "name"
        case .content: return "content"
        case .goals: return "goals"
        case .infrastructure: return "infrastructure"
        }
    }
}
