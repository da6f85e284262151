import Fluent
import Foundation
import Vapor
import ZhengxinCore

/// The 查重 facts the review rule reads (R-REV-3, 第七条 集约性, 第二十七条), loaded before the action
/// is decided: the project's current top matches, and which ids the payload names that are no
/// project the reviewer may see.
///
/// A 涉密 match (第十七条) is handed to the core as a score alone (SimilarityFacts.Match.restricted),
/// so nothing the core answers can identify it. An id the
/// reviewer names is checked with the same scope as every read (ProjectQueries.visibleRecord): a
/// hidden 涉密 project and an id that does not exist are both "unknown", one answer for both.
enum ReviewSimilarityFacts {
    /// The actions whose rule reads the facts.
    static let actions: Set<String> = [IssueReviewOpinion.spec.name]
    /// Named ids checked at most: the core refuses more than 20 as input before it reads the facts.
    static let namedLimit = 32

    static func load(action: String, body: Data, projectId: UUID, actor: Actor, app: Application, on db: Database) async throws
        -> SimilarityFacts?
    {
        guard actions.contains(action), actor.organisationType == .bdb else { return nil }
        let record: ProjectRecord
        do {
            record = try await ProjectQueries.visibleRecord(projectId, to: actor, on: db)
        } catch let error as APIError where error.status == .notFound {
            return nil  // the runner answers 404 as for any action
        }
        // Every 涉密 match is restricted here, even to a reviewer named on it: the opinion, its refusals
        // and their audit entries are read by whoever sees this project. The restricted ones are one
        // fact, at 相似, whatever their scores and number: the core answers one sentence for it.
        let answer = try await SimilarRanking.top(for: SimilarRecord(record), app: app, on: db) { $0.classified }
        let matches =
            answer.visible.map { r in
                SimilarityFacts.Match(projectId: r.record.id, label: "\(r.record.code) \(r.record.name)", score: r.match.score)
            } + (answer.restricted ? [.restricted(score: SimilarityVerdict.similarThreshold)] : [])
        // The matches were shown to the reviewer already (GET …/similar, the project page).
        let shown = Set(matches.compactMap(\.projectId))
        var (unknown, classified) = (Set<UUID>(), Set<UUID>())
        for id in named(in: body).prefix(namedLimit) where !shown.contains(id) {
            do {
                if try await ProjectQueries.visibleRecord(id, to: actor, on: db).classified { classified.insert(id) }
            } catch let error as APIError where error.status == .notFound {
                unknown.insert(id)
            }
        }
        return SimilarityFacts(matches: matches, unknownNamed: unknown, classifiedNamed: classified)
    }

    /// The ids the body names as considered; none when it does not decode (the core reports why).
    static func named(in body: Data) -> [UUID] {
        struct Named: Decodable {
            struct Finding: Decodable { var consideredProjects: [UUID]? }
            var findings: [Finding]?
        }
        guard let named = try? JSONDecoder().decode(Named.self, from: body) else { return [] }
        var seen = Set<UUID>()
        return (named.findings ?? []).flatMap { $0.consideredProjects ?? [] }.filter { seen.insert($0).inserted }
    }
}

extension DecisionContext {
    /// This context with the 查重 facts loaded for the action (nil leaves it as it is).
    func with(_ facts: SimilarityFacts?) -> DecisionContext {
        var ctx = self
        if let facts { ctx.similarity = facts }
        return ctx
    }
}
