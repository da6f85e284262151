import Fluent
import Foundation
import Vapor
import ZhengxinCore

/// 查重 (第七条 项目的集约性, 第二十七条): one project's top matches among every unit's projects of every
/// year, as the API, the project page, the declaration warning and the review rule (R-REV-3) all read
/// them, so the four cannot disagree.
enum SimilarRanking {
    static let resultLimit = 5

    /// A match with the record it matched and its unit's name.
    struct Ranked: Sendable {
        var match: SimilarityIndex<UUID>.Match
        var record: SimilarRecord
        var unitName: String

        /// 第十七条: a 涉密 match the caller is not named on is, to that caller, only "a restricted project".
        func isRestricted(to actor: Actor) -> Bool { record.classified && !record.classifiedAccess.contains(actor.userId) }
    }

    /// The matches at 相似 or above, best first, at most `resultLimit`.
    static func top(for query: SimilarRecord, app: Application, on db: Database) async throws -> [Ranked] {
        let candidates = try await SimilarCandidates.records(for: query, opened: ClassifiedRecords.of(app), on: db)
        let documents = candidates.map(document)
        // IDF over the candidates and the query: no whole-corpus gram statistics are kept (they would
        // have to follow every write of every project's text). The candidates share the query's name
        // words, which therefore weigh a little less than across the city; 建设内容 and 绩效目标
        // weigh as the candidates use them.
        let statistics = SimilarityStatistics(documents: documents + [document(query)])
        let index = SimilarityIndex(documents: documents, statistics: statistics)
        let matches = index.rank(document(query), excluding: [query.id], limit: resultLimit).filter { $0.verdict != .none }
        let byId = Dictionary(uniqueKeysWithValues: candidates.map { ($0.id, $0) })
        let units = Set(matches.compactMap { byId[$0.id]?.unitId })
        let unitNames = try await OrganisationModel.query(on: db).filter(\.$id ~~ Array(units)).all()
            .reduce(into: [UUID: String]()) { names, org in if let id = org.id { names[id] = org.name } }
        return matches.compactMap { match in
            byId[match.id].map { Ranked(match: match, record: $0, unitName: unitNames[$0.unitId] ?? "") }
        }
    }

    /// What 查重 compares of a record: its name, 建设内容, 绩效目标 and the infrastructure it plans
    /// of its own (第二十七条: items, justification, sharing plan).
    static func document(_ record: SimilarRecord) -> SimilarityDocument<UUID> {
        let own = record.ownInfrastructure.map { ($0.items + [$0.justification, $0.sharingPlan]).joined(separator: "。") } ?? ""
        return SimilarityDocument(id: record.id, name: record.name, content: record.content, goals: record.goals, infrastructure: own)
    }
}
