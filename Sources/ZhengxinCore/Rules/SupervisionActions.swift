import Foundation

/// 监督管理 (第三十五条 to 第三十九条).
enum SupervisionActions {
    static let all: [AnyActionRule] = []
}
