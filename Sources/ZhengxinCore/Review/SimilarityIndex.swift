/// 查重: ranks existing projects (every unit, every year) by how alike they are to one being
/// declared or reviewed, so the 市大数据局 can judge 项目的集约性 (第七条) and see whether it builds
/// again what the government cloud, the exchange platform or another project already provides
/// (第二十七条).
///
/// Each field (name, 建设内容, 绩效目标, infrastructure) is scored by BM25 over character bigrams and
/// trigrams, divided by the query's score against itself, so a field's similarity is 0–1; the
/// fields are then averaged with `SimilarityField.weight` over the fields the query fills.
/// A query identical to a document scores 1.
///
/// Intended use at scale (100,000 projects, answer in 200 ms): the server preselects about 200
/// candidates with its database's own n-gram search (SQLite FTS5 trigram with bm25, or pg_trgm),
/// builds an index over those candidates only, passing corpus-wide `SimilarityStatistics` it keeps
/// up to date, and calls `rank`. `rank` looks each of the query's grams up in each document it
/// holds, so its cost is (documents held × query grams), linear in the candidates and never
/// over the whole corpus; passages are found only for the results returned. Measured in a debug
/// build: 200 candidates indexed in about 36 ms and ranked in about 10 ms of CPU time.
public struct SimilarityIndex<ID: Hashable & Sendable>: Sendable {
    public struct Match: Sendable {
        public var id: ID
        /// 0–1, relative to the query's score against itself.
        public var score: Double
        /// Each field's similarity, 0–1 (0 for a field the query leaves empty).
        public var fieldScores: [SimilarityField: Double]
        public var passages: [MatchedPassage]
        public var verdict: SimilarityVerdict { SimilarityVerdict(score: score) }
    }

    // BM25's usual constants.
    static var k1: Double { 1.2 }
    static var b: Double { 0.75 }

    private var ids: [ID] = []
    private var documents: [AnalysedDocument] = []
    private var ownStatistics = SimilarityStatistics()
    private let sharedStatistics: SimilarityStatistics?

    /// The statistics come from these documents themselves, or from `statistics` when given (the
    /// whole corpus, when this index holds only preselected candidates).
    public init(documents: [SimilarityDocument<ID>], statistics: SimilarityStatistics? = nil) {
        sharedStatistics = statistics
        for d in documents { add(d) }
    }

    /// Documents already cut into grams (the ones `statistics` was counted from, as a rule).
    public init(analysed: [AnalysedSimilarityDocument<ID>], statistics: SimilarityStatistics) {
        sharedStatistics = statistics
        ids = analysed.map(\.id)
        documents = analysed.map(\.analysis)
    }

    public var count: Int { ids.count }

    public mutating func add(_ document: SimilarityDocument<ID>) {
        let a = AnalysedDocument(fields: document.fields)
        ids.append(document.id)
        documents.append(a)
        if sharedStatistics == nil { ownStatistics.add(a, sign: 1) }
    }

    private var statistics: SimilarityStatistics { sharedStatistics ?? ownStatistics }

    /// The best `limit` matches for `query`, most similar first, leaving out `excluding` (the
    /// project itself, when it is already stored). An empty query matches nothing.
    public func rank(_ query: SimilarityDocument<ID>, excluding: Set<ID> = [], limit: Int = 10) -> [Match] {
        rank(AnalysedSimilarityDocument(query), excluding: excluding, limit: limit)
    }

    public func rank(_ query: AnalysedSimilarityDocument<ID>, excluding: Set<ID> = [], limit: Int = 10) -> [Match] {
        guard limit > 0 else { return [] }
        let q = query.analysis
        guard !q.isEmpty else { return [] }
        let stats = statistics
        let fields = SimilarityField.allCases
        // The query's grams with their IDF, and its score against itself, once per query.
        var weighted = [[(gram: UInt64, qtf: Int32, idf: Double)]](repeating: [], count: fields.count)
        var selfScore = [Double](repeating: 0, count: fields.count)
        var average = [Double](repeating: 1, count: fields.count)
        for f in 0..<fields.count where q.lengths[f] > 0 {
            average[f] = stats.averageLength(f)
            let queryNorm = Self.k1 * (1 - Self.b + Self.b * Double(q.lengths[f]) / average[f])
            for (gram, qtf) in q.grams[f] {
                let idf = stats.idf(gram, field: f)
                weighted[f].append((gram, qtf, idf))
                selfScore[f] += idf * Double(qtf) * (Self.k1 + 1) / (Double(qtf) + queryNorm)
            }
        }
        var raw: [Int32: [Double]] = [:]
        for doc in documents.indices where !excluding.contains(ids[doc]) {
            let d = documents[doc]
            var perField = [Double](repeating: 0, count: fields.count)
            var any = false
            for f in 0..<fields.count where !weighted[f].isEmpty && d.lengths[f] > 0 {
                let norm = Self.k1 * (1 - Self.b + Self.b * Double(d.lengths[f]) / average[f])
                let grams = d.grams[f]
                for w in weighted[f] {
                    guard let tf = grams[w.gram] else { continue }
                    // The query's own count caps the candidate's: repeating a phrase is not more alike.
                    let t = Double(min(tf, w.qtf))
                    perField[f] += w.idf * t * (Self.k1 + 1) / (t + norm)
                    any = true
                }
            }
            if any { raw[Int32(doc)] = perField }
        }
        let weightSum = fields.reduce(0.0) { q.lengths[$1.rawValue] > 0 ? $0 + $1.weight : $0 }
        var scored: [(doc: Int32, score: Double, fields: [Double])] = []
        scored.reserveCapacity(raw.count)
        for (doc, perField) in raw {
            var total = 0.0
            var fieldSim = [Double](repeating: 0, count: fields.count)
            for f in fields where selfScore[f.rawValue] > 0 {
                fieldSim[f.rawValue] = min(1, perField[f.rawValue] / selfScore[f.rawValue])
                total += f.weight * fieldSim[f.rawValue]
            }
            scored.append((doc, min(1, total / weightSum), fieldSim))
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.doc < $1.doc }
        return scored.prefix(limit).map { s in
            let d = documents[Int(s.doc)]
            var byField: [SimilarityField: Double] = [:]
            var passages: [MatchedPassage] = []
            for f in fields {
                byField[f] = s.fields[f.rawValue]
                passages += MatchedPassages.find(f, query: q.normalised[f.rawValue], candidate: d.normalised[f.rawValue])
            }
            return Match(id: ids[Int(s.doc)], score: s.score, fieldScores: byField, passages: passages)
        }
    }
}
