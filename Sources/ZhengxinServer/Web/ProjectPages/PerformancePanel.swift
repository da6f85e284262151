import Fluent
import SQLKit
import Vapor
import ZhengxinCore

/// The project page's 绩效 panel: the 绩效目标 table (R-GOAL-1, 第五条), reviewed with the project and
/// fixed by approval, and the latest 绩效评价 with its per-indicator scores (R-GOAL-2, 第三十五条).
struct PerformancePanel: Encodable {
    struct Indicator: Encodable {
        var number: Int; var level: String; var category: String; var name: String; var target: String; var weight: String
    }
    struct Score: Encodable {
        var number: Int; var name: String; var target: String; var actual: String; var met: String; var score: String; var weight: String
        var evidence: String; var document: String?
    }
    struct Evaluation: Encodable {
        var heading: String; var total: String; var grade: String; var conclusion: String; var scores: [Score]
    }

    var indicators: [Indicator]
    var hasIndicators: Bool
    var weightsNote: String
    var latest: Evaluation?
    var earlierCount: Int
    var hasEarlier: Bool
    var unitEvaluations: UnitEvaluations?

    /// The panel on the page, and the unit's evaluations beside the O&M fee forms.
    static func attach(
        to model: inout ProjectPageModel, _ p: ProjectRecord, for actor: Actor, organisations: [Organisations.Row], _ req: Request
    ) async throws {
        var panel = of(p, organisations: organisations)
        panel.unitEvaluations = try await UnitEvaluations.of(p, for: actor, on: req.db)
        for i in model.actions.indices where feeActions.contains(model.actions[i].form.action) {
            model.actions[i].unitEvaluations = panel.unitEvaluations
        }
        model.performance = panel
    }

    /// Where O&M fees are decided (第二十五条).
    static let feeActions: Set<String> = [ApplyForOperationsFee.spec.name, ApproveOperationsFee.spec.name, RejectOperationsFee.spec.name]

    static func of(_ p: ProjectRecord, organisations: [Organisations.Row]) -> PerformancePanel {
        let goals = p.performanceGoals
        let indicators = (goals?.indicators ?? []).map {
            Indicator(
                number: $0.number, level: $0.level.chinese, category: $0.category.chinese, name: $0.name, target: $0.targetText,
                weight: $0.weight.text)
        }
        var latest: Evaluation?
        if let e = p.supervision.latestEvaluation {
            let agency = organisations.first { $0.id == e.agencyOrganisationId }?.name ?? e.agency.chinese
            latest = Evaluation(
                heading: "第\(e.number)次绩效评价 · \(agency) · \(e.evaluatedOn.chinese)", total: e.total.text, grade: e.grade.chinese,
                conclusion: e.conclusion,
                scores: e.scores.map { s in
                    let i = goals?.indicator(s.indicatorNumber)
                    return Score(
                        number: s.indicatorNumber, name: i?.name ?? "—", target: i?.targetText ?? "—",
                        actual: "\(s.actual.text) \(i?.unit ?? "")", met: s.met ? "达到" : "未达到", score: s.score.text,
                        weight: i?.weight.text ?? "—", evidence: s.evidence,
                        document: s.evidenceDocumentNumber.flatMap { n in p.documents.first { $0.number == n } }.map {
                            "\($0.number). \($0.filename)"
                        })
                })
        }
        return PerformancePanel(
            indicators: indicators, hasIndicators: !indicators.isEmpty,
            weightsNote: goals?.weightsGiven == true ? "分值由项目单位设定" : "未设分值,各项平均分配100分",
            latest: latest, earlierCount: max(0, p.supervision.evaluations.count - 1),
            hasEarlier: p.supervision.evaluations.count > 1, unitEvaluations: nil)
    }
}

/// 本单位已评价项目绩效 (R-GOAL-2, 第三十五条): the latest 绩效评价 of the unit's other projects, shown
/// where its new projects are reviewed and approved and where O&M fees are decided, so those
/// decisions see how the unit's earlier projects performed. Only projects the caller may see count:
/// a 涉密 project the caller is not named on is left out entirely.
struct UnitEvaluations: Encodable {
    struct Line: Encodable {
        var code: String; var name: String; var href: String; var evaluatedOn: String; var total: String; var grade: String
    }
    var lines: [Line]
    var hasLines: Bool

    /// Review, reserve, plan, approval (第六条 to 第十条) and operation (第二十五条 运维费).
    static let stages: Set<Stage> = [.declared, .techReview, .pendingGovernment, .reserve, .planned, .approving, .operating]
    static let limit = 10

    /// The unit's newest evaluations from `project_evaluations` (its unit index, newest first): the
    /// projects are looked up for code and name, and a 涉密 one is named only to a caller named on
    /// it. Vendors decide neither fees nor projects and see none of the unit's other projects.
    static func of(_ p: ProjectRecord, for actor: Actor, on db: Database) async throws -> UnitEvaluations? {
        guard stages.contains(p.stage), actor.organisationType != .vendor else { return nil }
        let newest = try await PlainRows.all(ProjectEvaluationRow.newest(of: p.unitId, except: p.id, limit: limit * 3), on: db)
        guard !newest.isEmpty else { return UnitEvaluations(lines: [], hasLines: false) }
        let ids = try newest.map { try $0.uuid(0) }
        var listed: [UUID: (code: String, name: String)] = [:]
        for row in try await PlainRows.all(SQLQueryString("SELECT id, code, name FROM projects WHERE id IN (\(binds: ids))"), on: db) {
            listed[try row.uuid(0)] = (try row.text(1), try row.text(2))
        }
        var secret: [UUID: ProjectRecord] = [:]
        let classified = try newest.filter { try $0.bool(1) }.map { try $0.uuid(0) }
        if !classified.isEmpty {
            for row in try await ProjectRow.all(classified, on: db) {
                let record = try row.decoded()
                if record.isVisible(to: actor) { secret[record.id] = record }
            }
        }
        var lines: [Line] = []
        for row in newest where lines.count < limit {
            let id = try row.uuid(0)
            guard let project = listed[id] else { continue }
            if try row.bool(1) && secret[id] == nil { continue }
            let (day, gradeText) = (try row.text(2), try row.text(4))
            lines.append(
                Line(
                    code: project.code, name: secret[id]?.name ?? project.name, href: "/projects/\(id.uuidString)",
                    evaluatedOn: CivilDate(iso: day)?.chinese ?? day, total: try row.text(3),
                    grade: PerformanceGrade(rawValue: gradeText)?.chinese ?? gradeText))
        }
        return UnitEvaluations(lines: Array(lines), hasLines: !lines.isEmpty)
    }
}
