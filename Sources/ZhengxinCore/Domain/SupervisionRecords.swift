import Foundation

/// 监督管理 (第三十五条 to 第三十九条): what the project has on record for this part of the Measures.
public struct SupervisionRecord: Codable, Sendable, Hashable {
    public init() {}
}
