import Vapor
import ZhengxinCore

/// The project page's 风险评级 panel: the current rating with its reasons and its changes, as
/// GET /api/v1/projects/{id}/risk answers them (ProjectRiskQueries); vendors see none, as on the API.
struct RiskPanel: Encodable {
    struct Reason: Encodable { var text: String, article: String, points: Int }
    struct Change: Encodable { var on: String, from: String, to: String, cause: String }

    var level: Int
    var title: String
    var points: Int
    var ratedOn: String
    var high: Bool
    var reasons: [Reason]
    var hasReasons: Bool
    var changes: [Change]
    var hasChanges: Bool

    /// The changes shown on the page; the API has up to ProjectRiskQueries.historyLimit.
    static let shownChanges = 10

    static func of(_ projectId: UUID, for actor: Actor, _ req: Request) async throws -> RiskPanel? {
        guard actor.organisationType != .vendor else { return nil }
        let d = try await ProjectRiskQueries.detail(projectId, for: actor, at: req.now, on: req.db)
        let reasons = d.reasons.map { Reason(text: $0.text, article: $0.article, points: $0.points) }
        let changes = d.history.prefix(shownChanges).map { c in
            Change(
                on: CivilDate(iso: c.changedOn)?.chinese ?? c.changedOn,
                from: c.fromLevel.map { "\($0)级(\(c.fromPoints ?? 0)分)" } ?? "—", to: "\(c.toLevel)级 \(c.levelTitle)(\(c.points)分)",
                cause: c.causeTitle)
        }
        return RiskPanel(
            level: d.level, title: d.levelTitle, points: d.points, ratedOn: CivilDate(iso: d.ratedOn)?.chinese ?? d.ratedOn,
            high: d.level >= 4, reasons: reasons, hasReasons: !reasons.isEmpty, changes: Array(changes), hasChanges: !changes.isEmpty)
    }
}
