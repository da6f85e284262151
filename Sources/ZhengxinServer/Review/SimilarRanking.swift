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
    }

    /// What one caller is told: its visible matches, and whether any restricted one matches.
    struct Answer: Sendable {
        /// The matches at 相似 or above the caller may see, best first, at most `resultLimit`.
        var visible: [Ranked]
        /// Whether a restricted candidate is at 相似 or above: shown as one line, last, whatever its
        /// score, however many (第十七条: neither its rank nor the count of them is disclosed).
        var restricted: Bool
    }

    /// The visible top `resultLimit` ranked among the visible candidates alone (a restricted match does
    /// not push one out, which would reveal it), then whether any restricted candidate matches.
    static func top(
        for query: SimilarRecord, app: Application, on db: Database, restricted isRestricted: (SimilarRecord) -> Bool
    ) async throws -> Answer {
        let candidates = try await SimilarCandidates.records(for: query, opened: ClassifiedRecords.of(app), on: db)
        // Each text cut into grams once, for the statistics and the index alike.
        let asked = AnalysedSimilarityDocument(document(query))
        let analysed = candidates.map { (record: $0, document: AnalysedSimilarityDocument(document($0))) }
        let shown = analysed.filter { !isRestricted($0.record) }
        let hidden = analysed.filter { isRestricted($0.record) }
        // The visible ones are scored as if the restricted ones did not exist (their grams would
        // shift the IDF, and so the visible scores, as they come and go). IDF over the candidates
        // and the query: no whole-corpus gram statistics are kept (they would have to follow every
        // write of every project's text). The candidates share the query's name words, which
        // therefore weigh a little less than across the city; 建设内容 and 绩效目标 weigh as the
        // candidates use them.
        var statistics = SimilarityStatistics(analysed: shown.map(\.document) + [asked])
        let visible = try await rank(asked, shown, statistics: statistics, on: db)
        var restricted = false
        if !hidden.isEmpty {
            // The restricted ones against every candidate's statistics.
            for h in hidden { statistics.add(h.document) }
            let index = SimilarityIndex(analysed: hidden.map(\.document), statistics: statistics)
            restricted = index.rank(asked, excluding: [query.id], limit: 1).contains { $0.verdict != .none }
        }
        return Answer(visible: visible, restricted: restricted)
    }

    /// A caller's answer where restricted means 涉密 the caller is not named on.
    static func top(for query: SimilarRecord, app: Application, on db: Database, for actor: Actor) async throws -> Answer {
        try await top(for: query, app: app, on: db) { $0.classified && !$0.classifiedAccess.contains(actor.userId) }
    }

    private static func rank(
        _ query: AnalysedSimilarityDocument<UUID>, _ candidates: [(record: SimilarRecord, document: AnalysedSimilarityDocument<UUID>)],
        statistics: SimilarityStatistics, on db: Database
    ) async throws -> [Ranked] {
        let index = SimilarityIndex(analysed: candidates.map(\.document), statistics: statistics)
        let matches = index.rank(query, excluding: [query.id], limit: resultLimit).filter { $0.verdict != .none }
        let byId = Dictionary(uniqueKeysWithValues: candidates.map { ($0.record.id, $0.record) })
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
        SimilarityDocument(
            id: record.id, name: record.name, content: record.content, goals: record.goals, infrastructure: record.infrastructure)
    }
}
