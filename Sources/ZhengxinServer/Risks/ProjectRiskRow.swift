import Fluent
import Foundation
import SQLKit
import ZhengxinCore

/// One project's 风险评级 as the `project_risks` table keeps it (CreateProjectRisks): computed from
/// the record by `RiskAssessment.rate` whenever the record is written (an action, a declaration,
/// seed-demo, zhengxin-bench) or the daily scan visits it, never typed in. The unit, 涉密 mark and
/// stage are copied from the record so the ranked list filters and scopes on this table alone.
///
/// A 涉密 project's reasons may quote its sealed record (amounts of its changes and fund plans,
/// finding numbers), so they rest sealed like its reminders and are opened only for a reader named on it.
package struct ProjectRiskRow: Sendable, Equatable {
    var projectId: UUID
    var unitId: UUID
    var classified: Bool
    var stage: String
    var rating: RiskRating
    var ratedOn: CivilDate
    /// The next day time alone may move the rating apart from the deadlines (RiskAssessment.nextChange).
    var reviewOn: CivilDate?

    package init(_ record: ProjectRecord, today: CivilDate, policy: Policy) {
        self.init(
            projectId: record.id, unitId: record.unitId, classified: record.classified, stage: record.stage.rawValue,
            rating: RiskAssessment.rate(record, today: today, policy: policy), ratedOn: today,
            reviewOn: RiskAssessment.nextChange(for: record, today: today))
    }

    init(
        projectId: UUID, unitId: UUID, classified: Bool, stage: String, rating: RiskRating, ratedOn: CivilDate, reviewOn: CivilDate?
    ) {
        (self.projectId, self.unitId, self.classified, self.stage) = (projectId, unitId, classified, stage)
        (self.rating, self.ratedOn, self.reviewOn) = (rating, ratedOn, reviewOn)
    }

    package static let table = "project_risks"
    package static let changes = "project_risk_changes"

    static let columns = ["project_id", "level", "points", "reasons", "rated_on", "review_on", "unit_id", "classified", "stage"]

    /// `reviewOn` as stored: a date text, or the day after every date when none lies ahead.
    var reviewText: String { reviewOn?.description ?? DeadlineReview.never }

    func values() throws -> [any Encodable & Sendable] {
        [
            projectId, Int64(rating.level), Int64(rating.points), try Self.storedReasons(rating.reasons, classified: classified),
            ratedOn.description, reviewText, unitId, classified, stage,
        ]
    }

    // MARK: Reasons as text

    /// The reasons as JSON text, sealed for a 涉密 project.
    static func storedReasons(_ reasons: [RiskReason], classified: Bool) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(reasons), as: UTF8.self)
        return classified ? try AtRest.seal(json) : json
    }

    /// The reasons from their stored text (opened when sealed: only rows the caller may see are read).
    static func reasons(_ stored: String) throws -> [RiskReason] {
        let json = AtRest.isSealed(stored) ? try AtRest.open(stored) : stored
        return try JSONDecoder().decode([RiskReason].self, from: Data(json.utf8))
    }
}
