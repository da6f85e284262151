/// 查重's reading of a similarity score (第七条 项目的集约性; 第二十七条 no building again what
/// already exists).
///
/// Thresholds measured on the labelled corpus in `SimilarityRankingTests` (64 projects, 16
/// duplicate pairs, 11 near misses): labelled duplicates scored 0.37–0.71 against each other,
/// every other top-5 result (near misses included) at most 0.26. 疑似重复 sits in the middle of
/// that gap; 相似 marks the upper part of the unrelated results (same domain,
/// shared parts) for a reviewer to glance at.
public enum SimilarityVerdict: String, Sendable, Equatable {
    case likelyDuplicate  // 疑似重复: the reviewer should ask the unit to justify or merge
    case similar  // 相似: worth a look, same domain or shared parts
    case none

    public static let likelyDuplicateThreshold = 0.32
    public static let similarThreshold = 0.15

    public init(score: Double) {
        if score >= Self.likelyDuplicateThreshold {
            self = .likelyDuplicate
        } else if score >= Self.similarThreshold {
            self = .similar
        } else {
            self = .none
        }
    }

    public var chinese: String {
        switch self {
        case .likelyDuplicate: return "疑似重复"
        case .similar: return "相似"
        case .none: return "无"
        }
    }
}
