import Foundation

/// 运行维护 (第二十三条 to 第二十五条).
enum OperationsActions {
    static let all: [AnyActionRule] = []
}
