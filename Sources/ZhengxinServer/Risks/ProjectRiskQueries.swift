import Fluent
import Foundation
import SQLKit
import Vapor
import ZhengxinCore

/// One project's rating and history, for a caller who may see the project (ProjectQueries: 404
/// otherwise, as GET /projects/{id}). A project not rated yet (stored by a path that does not rate,
/// before the next scan) is rated from its record on the spot, with no history.
enum ProjectRiskQueries {
    /// The newest changes shown; a project's rating moves a few times a year.
    static let historyLimit = 100

    static func detail(_ id: UUID, for actor: Actor, at now: Instant, on db: Database) async throws -> RiskDetail {
        let record = try await ProjectQueries.visibleRecord(id, to: actor, on: db)
        try RiskListing.requireReader(actor)
        let stored = try await PlainRows.all(
            SQLQueryString("SELECT level, points, reasons, rated_on FROM project_risks WHERE project_id = \(bind: id)"), on: db
        ).first
        let rating: RiskRating
        let ratedOn: String
        if let stored {
            rating = RiskRating(
                storedLevel: try stored.int(0), points: try stored.int(1), reasons: try ProjectRiskRow.reasons(try stored.text(2)))
            ratedOn = try stored.text(3)
        } else {
            let today = now.beijingDate
            rating = RiskAssessment.rate(record, today: today, policy: try await PolicyStore.book(on: db).governing(record, today: today))
            ratedOn = today.description
        }
        let changes = try await PlainRows.all(
            SQLQueryString(
                """
                SELECT from_level, from_points, to_level, points, changed_on, changed_at, cause, reasons FROM project_risk_changes
                WHERE project_id = \(bind: id) ORDER BY changed_on DESC, changed_at DESC, id DESC LIMIT \(unsafeRaw: String(historyLimit))
                """), on: db)
        let history = try changes.map { c in
            let level = try c.int(2)
            return RiskDetail.Change(
                fromLevel: try c.optionalInt64(0).map(Int.init), fromPoints: try c.optionalInt64(1).map(Int.init), toLevel: level,
                levelTitle: RiskAssessment.levelTitles[max(0, min(4, level - 1))], points: try c.int(3), changedOn: try c.text(4),
                changedAt: try c.int64(5), cause: try c.text(6), causeTitle: RiskDetail.causeTitle(try c.text(6)),
                reasons: try ProjectRiskRow.reasons(try c.text(7)))
        }
        return RiskDetail(
            projectId: id, level: rating.level, levelTitle: rating.chinese, points: rating.points, ratedOn: ratedOn,
            reasons: rating.reasons, history: history)
    }
}
