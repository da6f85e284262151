import Foundation

/// 网络与信息安全 (第三十一条 to 第三十四条): what the project has on record for this part of the Measures.
public struct SecurityRecord: Codable, Sendable, Hashable {
    public init() {}
}
