import Foundation

/// 运行维护 (第二十三条 to 第二十五条): what the project has on record for this part of the Measures.
public struct OperationsRecord: Codable, Sendable, Hashable {
    public init() {}
}
