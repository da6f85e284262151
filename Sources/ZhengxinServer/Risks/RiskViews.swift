import Foundation
import Vapor
import ZhengxinCore

/// A line of the ranked list as the API answers it.
struct RiskSummary: Content {
    var projectId: UUID
    var code: String
    var name: String
    var unitId: UUID
    var stage: String
    var level: Int
    var levelTitle: String
    var points: Int
    var ratedOn: String
    var reasons: [RiskReason]

    init(_ row: RiskListing.Row) {
        (projectId, code, name, unitId, stage) = (row.projectId, row.code, row.name, row.unitId, row.stage)
        (level, levelTitle, points, ratedOn, reasons) = (
            row.rating.level, row.rating.chinese, row.rating.points, row.ratedOn, row.rating.reasons
        )
    }
}

/// One project's current rating with its reasons, and how it came to be (newest change first).
struct RiskDetail: Content {
    struct Change: Content {
        var fromLevel: Int?
        var fromPoints: Int?
        var toLevel: Int
        var levelTitle: String
        var points: Int
        var changedOn: String
        var changedAt: Int64
        /// The action's name, "create", "scan" (the daily scan) or "fill" (the first rating of a stored project).
        var cause: String
        var causeTitle: String
        var reasons: [RiskReason]
    }

    var projectId: UUID
    var level: Int
    var levelTitle: String
    var points: Int
    var ratedOn: String
    var reasons: [RiskReason]
    var history: [Change]

    /// A cause as the page names it.
    static func causeTitle(_ cause: String) -> String {
        switch cause {
        case "create": return "新建项目"
        case "scan": return "每日期限扫描"
        case "fill": return "首次评级"
        case "issue-annual-plan": return "下达年度投资计划"
        default: return Lifecycle.rule(named: cause)?.spec.title ?? cause
        }
    }
}
