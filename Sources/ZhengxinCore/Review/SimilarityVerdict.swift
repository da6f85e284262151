/// 查重's reading of a similarity score (第七条 项目的集约性; 第二十七条 no building again what
/// already exists). The thresholds were measured on the labelled corpus in
/// `SimilarityRankingTests`: see there for the figures they give.
public enum SimilarityVerdict: String, Sendable, Equatable {
    case likelyDuplicate   // 疑似重复: the reviewer should ask the unit to justify or merge
    case similar           // 相似: worth a look, same domain or shared parts
    case none

    public static let likelyDuplicateThreshold = 0.5
    public static let similarThreshold = 0.25

    public init(score: Double) {
        if score >= Self.likelyDuplicateThreshold { self = .likelyDuplicate }
        else if score >= Self.similarThreshold { self = .similar }
        else { self = .none }
    }

    public var chinese: String {
        switch self {
        case .likelyDuplicate: return "疑似重复"
        case .similar: return "相似"
        case .none: return "无"
        }
    }
}
