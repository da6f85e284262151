import Foundation

/// 信息资源共享 (第二十六条 to 第三十条).
enum SharingActions {
    static let all: [AnyActionRule] = []
}
