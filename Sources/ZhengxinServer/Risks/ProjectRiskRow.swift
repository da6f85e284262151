import Fluent
import Foundation
import SQLKit
import ZhengxinCore

/// One project's 风险评级 as the `project_risks` table keeps it (CreateProjectRisks): computed from
/// the record by `RiskAssessment.rate` whenever the record is written (an action, a declaration,
/// seed-demo, zhengxin-bench) or the daily scan visits it, never typed in. The unit, 涉密 mark,
/// stage and 计划年度 are copied from the record so the ranked list filters and scopes on this table
/// alone, and the counts per level are kept from it (AddRiskTallies).
///
/// A 涉密 project's reasons may quote its sealed record (amounts of its changes and fund plans,
/// finding numbers), so they rest sealed like its reminders and are opened only for a reader named on it.
package struct ProjectRiskRow: Sendable, Equatable {
    var projectId: UUID
    var unitId: UUID
    var classified: Bool
    var stage: String
    var planYear: Int
    var rating: RiskRating
    var ratedOn: CivilDate
    /// The next day time alone may move the rating apart from the deadlines (RiskAssessment.nextChange).
    var reviewOn: CivilDate?

    package init(_ record: ProjectRecord, today: CivilDate, policy: Policy) {
        self.init(
            projectId: record.id, unitId: record.unitId, classified: record.classified, stage: record.stage.rawValue,
            planYear: record.planYear, rating: RiskAssessment.rate(record, today: today, policy: policy), ratedOn: today,
            reviewOn: RiskAssessment.nextChange(for: record, today: today))
    }

    init(
        projectId: UUID, unitId: UUID, classified: Bool, stage: String, planYear: Int, rating: RiskRating, ratedOn: CivilDate,
        reviewOn: CivilDate?
    ) {
        (self.projectId, self.unitId, self.classified, self.stage, self.planYear) = (projectId, unitId, classified, stage, planYear)
        (self.rating, self.ratedOn, self.reviewOn) = (rating, ratedOn, reviewOn)
    }

    package static let table = "project_risks"
    package static let changes = "project_risk_changes"

    static let columns = firstColumns + ["plan_year"]
    /// The columns as CreateProjectRisks made the table, which its first rating fills (plan_year
    /// came with AddRiskTallies, which copies it from the projects).
    static let firstColumns = ["project_id", "level", "points", "reasons", "rated_on", "review_on", "unit_id", "classified", "stage"]

    /// `reviewOn` as stored: a date text, or the day after every date when none lies ahead.
    var reviewText: String { reviewOn?.description ?? DeadlineReview.never }

    func values() throws -> [any Encodable & Sendable] {
        [
            projectId, Int64(rating.level), Int64(rating.points), try Self.storedReasons(rating.reasons, classified: classified),
            ratedOn.description, reviewText, unitId, classified, stage, Int64(planYear),
        ]
    }

    // MARK: Reasons as text

    /// The reasons as JSON text, sealed for a 涉密 project.
    static func storedReasons(_ reasons: [RiskReason], classified: Bool) throws -> String {
        let json = try RecordJSON.text(reasons)
        return classified ? try AtRest.seal(json) : json
    }

    /// The stored columns `isStored(as:)` compares, in its order.
    static let comparedColumns = "level, points, reasons, review_on, unit_id, classified, stage, plan_year"

    /// Whether `stored` (read with `comparedColumns`) already says what this row says, the day it was
    /// rated apart: the same level, points, reasons (opened when sealed), review day and copied columns.
    func isStored(as stored: PlainRows.Row) throws -> Bool {
        guard try stored.int(0) == rating.level, try stored.int(1) == rating.points, try stored.text(3) == reviewText,
            try stored.uuid(4) == unitId, try stored.bool(5) == classified, try stored.text(6) == stage, try stored.int(7) == planYear
        else { return false }
        let reasons = try stored.text(2)
        return try (AtRest.isSealed(reasons) ? try AtRest.open(reasons) : reasons) == RecordJSON.text(rating.reasons)
    }

    /// The reasons from their stored text (opened when sealed: only rows the caller may see are read).
    static func reasons(_ stored: String) throws -> [RiskReason] {
        let json = AtRest.isSealed(stored) ? try AtRest.open(stored) : stored
        return try JSONDecoder().decode([RiskReason].self, from: Data(json.utf8))
    }
}
