import Foundation

/// 网络与信息安全 (第三十一条 to 第三十四条).
enum SecurityActions {
    static let all: [AnyActionRule] = []
}
