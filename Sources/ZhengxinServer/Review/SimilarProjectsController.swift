import Fluent
import Foundation
import Vapor
import ZhengxinCore

/// GET /api/v1/projects/{projectId}/similar: 查重 (第七条 项目的集约性, 第二十七条), the projects of
/// every unit and year most alike to one, for whoever may see that one (404 otherwise, as for an
/// unknown id).
///
/// The review is city-wide, so other units' ordinary projects are shown, but only as the fields of
/// `SimilarProjectView`. A 涉密 match the caller is not named on is shown only as "a restricted
/// project matches": its verdict and score, nothing that identifies it (第十七条).
struct SimilarProjectsController {
    static let resultLimit = 5

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
        let candidates = try await SimilarCandidates.records(for: query, opened: ClassifiedRecords.of(req.application), on: req.db)
        let documents = candidates.map(Self.document)
        // IDF over the candidates and the query: no whole-corpus gram statistics are kept (they would
        // have to follow every write of every project's text). The candidates share the query's name
        // words, which therefore weigh a little less than across the city; 建设内容 and 绩效目标
        // weigh as the candidates use them.
        let statistics = SimilarityStatistics(documents: documents + [Self.document(query)])
        let index = SimilarityIndex(documents: documents, statistics: statistics)
        let matches = index.rank(Self.document(query), excluding: [query.id], limit: Self.resultLimit)
            .filter { $0.verdict != .none }
        let byId = Dictionary(uniqueKeysWithValues: candidates.map { ($0.id, $0) })
        let units = Set(matches.compactMap { byId[$0.id]?.unitId })
        let unitNames = try await OrganisationModel.query(on: req.db).filter(\.$id ~~ Array(units)).all()
            .reduce(into: [UUID: String]()) { names, org in if let id = org.id { names[id] = org.name } }
        let items = matches.compactMap { match -> SimilarProjectView? in
            guard let record = byId[match.id] else { return nil }
            return SimilarProjectView(match, record: record, unitName: unitNames[record.unitId] ?? "", for: actor)
        }
        return SimilarProjectsView(projectId: query.id, matches: items)
    }

    /// What 查重 compares of a record: its name, 建设内容, 绩效目标 and the infrastructure it plans
    /// of its own (第二十七条: items, justification, sharing plan).
    static func document(_ record: SimilarRecord) -> SimilarityDocument<UUID> {
        let own = record.ownInfrastructure.map { ($0.items + [$0.justification, $0.sharingPlan]).joined(separator: "。") } ?? ""
        return SimilarityDocument(id: record.id, name: record.name, content: record.content, goals: record.goals, infrastructure: own)
    }
}

struct SimilarProjectsView: Content {
    var projectId: UUID
    var matches: [SimilarProjectView]
}

/// One match. Everything but `verdict` and `score` is left out of a restricted one.
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
    var score: Double
    var verdict: String
    var passages: [Passage]?

    init(_ match: SimilarityIndex<UUID>.Match, record: SimilarRecord, unitName: String, for actor: Actor) {
        score = (match.score * 1000).rounded() / 1000
        verdict = match.verdict.rawValue
        // 第十七条: a 涉密 project exists only for those named on it; to others, that one matches.
        if record.classified && !record.classifiedAccess.contains(actor.userId) {
            restricted = true
            return
        }
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
