import Foundation
import Testing

@testable import ZhengxinCore

/// 查重 (第七条 项目的集约性; 第二十七条 no building again what exists): the ranking measured on the
/// labelled corpus in `SimilarityCorpus`, and its boundaries.
@Suite("查重 similarity ranking")
struct SimilarityRankingTests {
    static let corpus = SimilarityCorpus.projects
    static let index = SimilarityIndex(documents: corpus.map(\.document))
    static let byId = Dictionary(uniqueKeysWithValues: corpus.map { ($0.id, $0) })
    static let duplicatePairs: Set<Set<String>> = Set(SimilarityCorpus.duplicates.map { [$0.0, $0.1] })

    static func ranked(_ id: String, limit: Int = 5) -> [SimilarityIndex<String>.Match] {
        index.rank(byId[id]!.document, excluding: [id], limit: limit)
    }

    static func score(of candidate: String, query: String) -> Double {
        ranked(query, limit: corpus.count).first { $0.id == candidate }?.score ?? 0
    }

    static func doc(_ id: String, _ name: String, content: String = "", goals: String = "", infrastructure: String = "")
        -> SimilarityDocument<String>
    {
        SimilarityDocument(id: id, name: name, content: content, goals: goals, infrastructure: infrastructure)
    }

    @Test("the corpus is what it claims: 60+ projects, 15+ duplicate pairs, 10+ near misses, realistic text")
    func corpusShape() {
        #expect(Self.corpus.count >= 60 && Self.byId.count == Self.corpus.count)
        #expect(SimilarityCorpus.duplicates.count >= 15 && SimilarityCorpus.nearMisses.count >= 10)
        for (a, b) in SimilarityCorpus.duplicates + SimilarityCorpus.nearMisses {
            #expect(Self.byId[a] != nil && Self.byId[b] != nil, "\(a) \(b)")
        }
        for p in Self.corpus {
            let all = [p.name, p.content, p.goals, p.infrastructure].joined()
            #expect(!all.lowercased().contains("lorem") && p.name.hasPrefix("郑州") && p.content.count >= 60, "\(p.id)")
        }
    }

    @Test("recall@5 ≥ 0.9: each labelled duplicate finds its partner among the top five, both ways")
    func recallAtFive() {
        var found = 0, asked = 0
        for (a, b) in SimilarityCorpus.duplicates {
            for (q, partner) in [(a, b), (b, a)] {
                asked += 1
                if Self.ranked(q).contains(where: { $0.id == partner }) { found += 1 } else { print("查重 missed: \(q) → \(partner)") }
            }
        }
        let recall = Double(found) / Double(asked)
        print("查重 recall@5 = \(found)/\(asked) = \(String(format: "%.3f", recall))")
        #expect(recall >= 0.9)
    }

    @Test("疑似重复 over every top-5 result: precision and recall as measured (1.0 and 1.0), held at 0.95 and 0.9")
    func verdictPrecision() {
        var flagged = 0, correct = 0, highestOther = 0.0, lowestDuplicate = 1.0
        for p in Self.corpus {
            for m in Self.ranked(p.id) {
                let isDuplicate = Self.duplicatePairs.contains([p.id, m.id])
                if isDuplicate { lowestDuplicate = min(lowestDuplicate, m.score) } else { highestOther = max(highestOther, m.score) }
                guard m.verdict == .likelyDuplicate else { continue }
                flagged += 1
                if isDuplicate { correct += 1 } else { print("查重 false 疑似重复: \(p.id) → \(m.id) \(m.score)") }
            }
        }
        let precision = flagged == 0 ? 0 : Double(correct) / Double(flagged)
        let verdictRecall = Double(correct) / Double(2 * SimilarityCorpus.duplicates.count)
        print(
            "查重 疑似重复 precision = \(correct)/\(flagged) = \(String(format: "%.3f", precision)), recall = \(String(format: "%.3f", verdictRecall)); duplicates score ≥ \(String(format: "%.3f", lowestDuplicate)), others ≤ \(String(format: "%.3f", highestOther))"
        )
        #expect(precision >= 0.95)
        #expect(verdictRecall >= 0.9)
    }

    @Test("near misses (same domain, same boilerplate, another purpose) never get 疑似重复")
    func nearMisses() {
        for (a, b) in SimilarityCorpus.nearMisses {
            let forward = Self.score(of: b, query: a), backward = Self.score(of: a, query: b)
            #expect(SimilarityVerdict(score: forward) != .likelyDuplicate, "\(a) → \(b): \(forward)")
            #expect(SimilarityVerdict(score: backward) != .likelyDuplicate, "\(b) → \(a): \(backward)")
        }
        // 交通信号控制 and 交通违法处理 share 「郑州市交通」「系统」「平台」 and a unit, yet stay apart.
        #expect(Self.score(of: "jt-violation", query: "jt-signal") < SimilarityVerdict.similarThreshold)
    }

    @Test("verdict thresholds: 疑似重复 at 0.32, 相似 at 0.15, none below")
    func verdictBoundaries() {
        #expect(SimilarityVerdict(score: 0.32) == .likelyDuplicate && SimilarityVerdict(score: 0.3199) == .similar)
        #expect(SimilarityVerdict(score: 0.15) == .similar && SimilarityVerdict(score: 0.1499) == SimilarityVerdict.none)
        #expect(SimilarityVerdict.likelyDuplicate.chinese == "疑似重复" && SimilarityVerdict.similar.chinese == "相似")
    }

    @Test("normalising: full-width folds to half-width, Latin lower-cased, punctuation and spaces dropped")
    func normalising() {
        #expect(SimilarityText.normalise("ＧＩＳ　平台（２０２４）").text == "gis平台2024")
        #expect(SimilarityText.normalise("“一网通办”，一次登录、全网通办。").text == "一网通办一次登录全网通办")
        #expect(SimilarityText.normalise("  ，。！ ").scalars.isEmpty && SimilarityText.normalise("").scalars.isEmpty)
        // Punctuation is a boundary: no gram spans 「办，一」.
        let grams = SimilarityText.grams(SimilarityText.normalise("通办，一次")).counts
        #expect(grams.count == 2)  // 通办 and 一次; not 办一, 办一次 or 通办一
        let typed = Self.doc("q", "郑州市ＧＩＳ平台", content: "建设“一网通办”平台。")
        let plain = Self.doc("d", "郑州市gis平台", content: "建设 一网通办 平台")
        let index = SimilarityIndex(documents: [plain])
        #expect(index.rank(typed).first?.score == 1.0)
    }

    @Test("an empty or punctuation-only query matches nothing; a zero limit returns nothing")
    func emptyQuery() {
        #expect(Self.index.rank(Self.doc("q", "")).isEmpty)
        #expect(Self.index.rank(Self.doc("q", "，。 、", content: "  ")).isEmpty)
        #expect(Self.index.rank(Self.byId["jt-signal"]!.document, limit: 0).isEmpty)
    }

    @Test("a query identical to a stored project scores 1.0 and is excluded when it is that project")
    func identicalAndSelf() {
        let p = Self.byId["yb-mobile-pay"]!
        let asNew = SimilarityDocument(id: "new", name: p.name, content: p.content, goals: p.goals, infrastructure: p.infrastructure)
        let top = Self.index.rank(asNew, limit: 3)
        #expect(top.first?.id == p.id && top.first?.score == 1.0 && top.first?.verdict == .likelyDuplicate)
        #expect(top.dropFirst().allSatisfy { $0.score < 1.0 })
        #expect(Self.ranked(p.id, limit: Self.corpus.count).allSatisfy { $0.id != p.id })
        #expect(Self.ranked(p.id, limit: Self.corpus.count).allSatisfy { $0.score >= 0 && $0.score <= 1 })
    }

    @Test("matched passages: the longest shared runs of ≥ 4 characters, per field, as the candidate typed them")
    func passages() {
        let m = Self.ranked("jt-video-a").first { $0.id == "jt-video-b" }!
        let content = m.passages.filter { $0.field == .content }
        #expect(content.contains { $0.text.contains("视频汇聚与解析平台") })
        #expect(m.passages.allSatisfy { $0.length >= 4 })
        #expect(content.map(\.length) == content.map(\.length).sorted(by: >))
        let original = Array(Self.byId["jt-video-b"]!.content.unicodeScalars)
        for p in content {
            var s = String.UnicodeScalarView(); s.append(contentsOf: original[p.scalarOffsets])
            #expect(String(s) == p.text)
        }
        // 「视频监控」 and 「视频监视」 differ in one character: the names share only 「郑州市」 and shorter runs.
        #expect(m.passages.filter { $0.field == .name }.allSatisfy { $0.length >= 4 })
        // Punctuation inside a match is kept in the shown text but not counted.
        let a = Self.doc("a", "郑州市道路交通视频监视平台")
        let q = Self.doc("q", "道路交通，视频监视")
        let shown = SimilarityIndex(documents: [a]).rank(q).first!.passages.map(\.queryText)
        #expect(shown == ["道路交通", "视频监视"])
    }

    @Test("an index over preselected candidates with corpus-wide statistics scores as the full index does")
    func candidatesWithCorpusStatistics() {
        let statistics = SimilarityStatistics(documents: Self.corpus.map(\.document))
        let query = Self.byId["zw-ywtb-a"]!
        let full = Self.ranked(query.id, limit: 8)
        let candidates = SimilarityIndex(documents: full.map { Self.byId[$0.id]!.document }, statistics: statistics)
        let again = candidates.rank(query.document, excluding: [query.id], limit: 8)
        #expect(again.map(\.id) == full.map(\.id))
        for (x, y) in zip(again, full) { #expect(abs(x.score - y.score) < 1e-12) }
        // Without them, IDF from the candidates alone misjudges what is common.
        let alone = SimilarityIndex(documents: full.map { Self.byId[$0.id]!.document })
        #expect(alone.rank(query.document, excluding: [query.id], limit: 8).map(\.score) != full.map(\.score))
        var removed = statistics
        removed.remove(query.document)
        #expect(removed.documentCount == statistics.documentCount - 1)
    }

    @Test("documents cut into grams once rank as the documents do, statistics counted in any order")
    func analysedOnce() {
        let query = Self.byId["zw-ywtb-a"]!
        let candidates = Self.corpus.filter { $0.id != query.id }.map(\.document)
        let (shown, held) = (Array(candidates.prefix(40)), Array(candidates.dropFirst(40)))
        let expected = SimilarityIndex(documents: shown, statistics: SimilarityStatistics(documents: candidates + [query.document]))
            .rank(query.document, excluding: [query.id], limit: 10)
        // The statistics of the shown and the query, then the held back added to them.
        let asked = AnalysedSimilarityDocument(query.document)
        var statistics = SimilarityStatistics(analysed: shown.map(AnalysedSimilarityDocument.init) + [asked])
        for d in held { statistics.add(AnalysedSimilarityDocument(d)) }
        let again = SimilarityIndex(analysed: shown.map(AnalysedSimilarityDocument.init), statistics: statistics)
            .rank(asked, excluding: [query.id], limit: 10)
        #expect(!expected.isEmpty)
        #expect(again.map(\.id) == expected.map(\.id))
        // Equal to the last bits but for the order of a sum (a dictionary's own order of the query's grams).
        for (x, y) in zip(again, expected) {
            #expect(abs(x.score - y.score) < 1e-12)
            #expect(x.passages.map(\.queryText) == y.passages.map(\.queryText))
        }
    }

    @Test("200 candidates, the corpus repeated over four years: the same project's other years rank first")
    func repeatedYears() {
        let statistics = SimilarityStatistics(documents: Self.corpus.map(\.document))
        var candidates: [SimilarityDocument<String>] = []
        for round in 0..<4 {
            for p in Self.corpus where candidates.count < 200 {
                candidates.append(
                    SimilarityDocument(
                        id: "\(p.id)-\(round)", name: "\(p.name)（\(2021 + round)年）",
                        content: p.content, goals: p.goals, infrastructure: p.infrastructure))
            }
        }
        let top = SimilarityIndex(documents: candidates, statistics: statistics).rank(Self.byId["sj-exchange-b"]!.document, limit: 10)
        #expect(top.count == 10 && top.first?.id.hasPrefix("sj-exchange-") == true)
    }
}
