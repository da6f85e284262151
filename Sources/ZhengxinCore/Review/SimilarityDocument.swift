import Foundation

/// 第七条 项目的集约性 / 第二十七条: the parts of a declaration that 查重 compares.
public enum SimilarityField: Int, CaseIterable, Sendable, Hashable {
    case name  // 项目名称
    case content  // 建设内容
    case goals  // 绩效目标
    case infrastructure  // 拟建基础设施 (服务器、存储、机房、网络、政务云资源)

    public var chinese: String {
        switch self {
        case .name: return "项目名称"
        case .content: return "建设内容"
        case .goals: return "绩效目标"
        case .infrastructure: return "基础设施"
        }
    }

    /// The name says what a project is; 建设内容 says it at length, in part in the words every
    /// project uses; the infrastructure asked for is much alike between projects (云主机、存储),
    /// so it counts least. The name, a dozen characters, weighs as much as 建设内容's hundreds, so
    /// each of its characters counts far more. Measured on the labelled corpus: at 3 duplicates
    /// score ≥ 0.37 and other top-5 results ≤ 0.26; raising the name to 4 narrows that to
    /// 0.35 / 0.28, because a rephrased name (数字城管 / 数字化城市管理) shares little.
    public var weight: Double {
        switch self {
        case .name: return 3
        case .content: return 3
        case .goals: return 2
        case .infrastructure: return 1
        }
    }
}

/// One project as 查重 sees it: any unit, any year.
public struct SimilarityDocument<ID: Hashable & Sendable>: Sendable {
    public var id: ID
    public var fields: [SimilarityField: String]

    public init(id: ID, name: String, content: String = "", goals: String = "", infrastructure: String = "") {
        self.id = id
        self.fields = [.name: name, .content: content, .goals: goals, .infrastructure: infrastructure]
    }
}

/// A document cut into grams once, for the statistics and an index alike: the server counts the
/// candidates and the query into one set of statistics and indexes the same candidates, and cutting
/// each text again for each (four times for a candidate when restricted candidates are ranked
/// apart) was most of 查重's CPU.
public struct AnalysedSimilarityDocument<ID: Hashable & Sendable>: Sendable {
    public let id: ID
    let analysis: AnalysedDocument

    public init(_ document: SimilarityDocument<ID>) {
        id = document.id
        analysis = AnalysedDocument(fields: document.fields)
    }
}

/// A document cut into grams, field by field.
struct AnalysedDocument: Sendable {
    var normalised: [SimilarityText.Normalised]  // indexed by SimilarityField.rawValue
    var grams: [[UInt64: Int32]]
    var lengths: [Int]

    init(fields: [SimilarityField: String]) {
        normalised = []; grams = []; lengths = []
        for field in SimilarityField.allCases {
            let n = SimilarityText.normalise(fields[field] ?? "")
            let g = SimilarityText.grams(n)
            normalised.append(n); grams.append(g.counts); lengths.append(g.length)
        }
    }

    var isEmpty: Bool { lengths.allSatisfy { $0 == 0 } }
}

/// Corpus-wide counts BM25 needs: how many projects, their mean field lengths, and in how many
/// projects each gram occurs (document frequency, which makes 「郑州市」「系统」 weigh little).
///
/// An index over a few hundred preselected candidates must not take its IDF from those candidates
/// alone (they all share the query's words); the server keeps these counts for the whole corpus
/// and passes them in.
public struct SimilarityStatistics: Sendable {
    public private(set) var documentCount = 0
    var totalLength = [Int](repeating: 0, count: SimilarityField.allCases.count)
    var documentFrequency = [[UInt64: Int32]](repeating: [:], count: SimilarityField.allCases.count)

    public init() {}

    public init<ID>(documents: [SimilarityDocument<ID>]) {
        for d in documents { add(d) }
    }

    public init<ID>(analysed: [AnalysedSimilarityDocument<ID>]) {
        for d in analysed { add(d.analysis, sign: 1) }
    }

    public mutating func add<ID>(_ document: SimilarityDocument<ID>) { add(AnalysedDocument(fields: document.fields), sign: 1) }

    public mutating func add<ID>(_ document: AnalysedSimilarityDocument<ID>) { add(document.analysis, sign: 1) }

    /// For a project whose declaration changed: remove the old text, add the new.
    public mutating func remove<ID>(_ document: SimilarityDocument<ID>) { add(AnalysedDocument(fields: document.fields), sign: -1) }

    mutating func add(_ a: AnalysedDocument, sign: Int) {
        documentCount += sign
        for f in 0..<a.grams.count {
            totalLength[f] += sign * a.lengths[f]
            for gram in a.grams[f].keys {
                let n = documentFrequency[f][gram, default: 0] + Int32(sign)
                documentFrequency[f][gram] = n > 0 ? n : nil
            }
        }
    }

    func averageLength(_ field: Int) -> Double {
        documentCount > 0 ? max(1, Double(totalLength[field]) / Double(documentCount)) : 1
    }

    /// BM25's IDF, never negative: log(1 + (N − df + 0.5) / (df + 0.5)).
    func idf(_ gram: UInt64, field: Int) -> Double {
        let df = Double(documentFrequency[field][gram] ?? 0)
        let n = Double(max(documentCount, 1))
        return log1p((max(n - df, 0) + 0.5) / (df + 0.5))
    }
}
