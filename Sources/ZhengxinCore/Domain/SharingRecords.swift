import Foundation

/// 信息资源共享 (第二十六条 to 第三十条): what the project has on record for this part of the Measures.
public struct SharingRecord: Codable, Sendable, Hashable {
    public init() {}
}
