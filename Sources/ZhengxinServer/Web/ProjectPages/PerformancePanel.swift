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

    static func of(_ p: ProjectRecord, for actor: Actor, on db: Database) async throws -> UnitEvaluations? {
        guard stages.contains(p.stage) else { return nil }
        let rows = try await (db as! any SQLDatabase).select().column("record").from(ProjectModel.schema)
            .where("unit_id", .equal, SQLBind(p.unitId)).where("id", .notEqual, SQLBind(p.id))
            .where("stage", .in, SQLBind.group([Stage.accepted.rawValue, Stage.operating.rawValue]))
            .all()
        var evaluated: [(ProjectRecord, PerformanceEvaluation)] = []
        for row in rows {
            let record = try ProjectRecordStorage.decode(try row.decode(column: "record", as: String.self))
            guard record.isVisible(to: actor), let e = record.supervision.latestEvaluation else { continue }
            evaluated.append((record, e))
        }
        let lines = evaluated.sorted { ($0.1.evaluatedOn, $0.0.code) > ($1.1.evaluatedOn, $1.0.code) }.prefix(limit).map { r, e in
            Line(
                code: r.code, name: r.name, href: "/projects/\(r.id.uuidString)", evaluatedOn: e.evaluatedOn.chinese, total: e.total.text,
                grade: e.grade.chinese)
        }
        return UnitEvaluations(lines: Array(lines), hasLines: !lines.isEmpty)
    }
}
