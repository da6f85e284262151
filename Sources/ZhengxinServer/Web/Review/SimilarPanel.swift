import Foundation
import Vapor
import ZhengxinCore

/// The project page's 查重 panel (R-REV-3, 第七条 集约性, 第二十七条), from SimilarRanking as the API
/// answers it: for BDB reviewing a declared project, each top match side by side with this project
/// (name, 建设内容, 绩效目标, 基础设施), the shared passages marked on both sides; for the unit before
/// it declares its draft (or resubmits), the same list under a warning. A warning, not a block.
///
/// 涉密 matches the caller is not named on are one line, last, 「有受限项目相似」: no score, no verdict,
/// not how many (第十七条); the model holds nothing else of them, so the page cannot show more.
struct SimilarPanel: Encodable {
    struct Row: Encodable {
        var label: String
        var own: [PassageSegment]
        var theirs: [PassageSegment]
    }
    struct Match: Encodable {
        var restricted: Bool
        var title: String
        var href: String?
        var unitName: String
        var planYear: String
        var stage: String
        var score: String
        var verdict: String
        var likelyDuplicate: Bool
        var rows: [Row]
    }

    /// The unit's view before declaring: shows the warning sentence.
    var warning: Bool
    var matches: [Match]
    var hasMatches: Bool
    /// The review form's choices for the 集约性 finding's considered projects (not the 涉密 ones).
    var considered: [FormOption]
    var hasRestricted: Bool

    static let warningText = "发现相似项目,请说明差异或依托已有系统"

    /// The panel for this caller on this project, or nil where 查重 is not part of what they do now.
    static func of(_ record: ProjectRecord, for actor: Actor, _ req: Request) async throws -> SimilarPanel? {
        let reviewing = actor.organisationType == .bdb && [.declared, .techReview].contains(record.stage)
        let declaring =
            actor.organisationType == .unit && actor.organisationId == record.unitId && [.draft, .returned].contains(record.stage)
        guard reviewing || declaring else { return nil }
        let query = SimilarRecord(record)
        let answer = try await SimilarRanking.top(for: query, app: req.application, on: req.db, for: actor)
        let own = SimilarRanking.document(query)
        let matches = answer.visible.map { r in match(r, own: own, for: actor) } + (answer.restricted ? [restrictedLine] : [])
        // 涉密 matches are acknowledged as 受限项目, never ticked by id (IntensivenessReview).
        let considered = answer.visible.filter { !$0.record.classified }.map { r in
            FormOption(
                value: r.record.id.uuidString,
                label: "\(r.record.code) \(r.record.name)(\(r.match.verdict.chinese),相似度\(score(r.match.score)))")
        }
        return SimilarPanel(
            warning: declaring && !matches.isEmpty, matches: matches, hasMatches: !matches.isEmpty, considered: considered,
            hasRestricted: answer.restricted || answer.visible.contains { $0.record.classified })
    }

    /// The one line for every restricted match.
    static let restrictedLine = Match(
        restricted: true, title: SimilarProjectView.restrictedSummary, href: nil, unitName: "", planYear: "", stage: "", score: "",
        verdict: "", likelyDuplicate: false, rows: [])

    static func match(_ r: SimilarRanking.Ranked, own: SimilarityDocument<UUID>, for actor: Actor) -> Match {
        let verdict = r.match.verdict
        let theirs = SimilarRanking.document(r.record)
        // A match's whole text only for whoever may open it (BDB; a unit's own projects). A unit on
        // its draft sees another unit's project as the API gives it: the shared passages alone, so
        // another unit's undeclared draft is not read through this panel.
        let whole = mayOpen(r.record, actor)
        let rows = SimilarityField.allCases.compactMap { field -> Row? in
            let passages = r.match.passages.filter { $0.field == field }
            let (mine, other) = (own.fields[field] ?? "", whole ? theirs.fields[field] ?? "" : "")
            guard !mine.isEmpty || !other.isEmpty || !passages.isEmpty else { return nil }
            return Row(
                label: field.chinese,
                own: PassageSegments.cut(mine, marking: PassageSegments.locate(passages.map(\.queryText), in: mine)),
                theirs: whole
                    ? PassageSegments.cut(other, marking: passages.map(\.scalarOffsets)) : passagesOnly(passages.map(\.text)))
        }
        return Match(
            restricted: false, title: "\(r.record.code) \(r.record.name)",
            href: mayOpen(r.record, actor) ? "/projects/\(r.record.id.uuidString)" : nil, unitName: r.unitName,
            planYear: "\(r.record.planYear)年", stage: r.record.stage.chinese, score: score(r.match.score), verdict: verdict.chinese,
            likelyDuplicate: verdict == .likelyDuplicate, rows: rows)
    }

    /// The shared passages alone, marked, with 「…」 between them for the text left out.
    static func passagesOnly(_ passages: [String]) -> [PassageSegment] {
        passages.enumerated().flatMap { n, text in
            (n == 0 ? [] : [PassageSegment(text: "…", marked: false)]) + [PassageSegment(text: text, marked: true)]
        }
    }

    /// Whether the caller may open the match's page (ProjectRecord.isVisible, on the fields 查重 reads).
    static func mayOpen(_ r: SimilarRecord, _ actor: Actor) -> Bool {
        if r.classified && !r.classifiedAccess.contains(actor.userId) { return false }
        switch actor.organisationType {
        case .drc, .fin, .bdb, .aud: return true
        case .unit: return actor.organisationId == r.unitId
        case .vendor: return false
        }
    }

    /// Three decimals, as the API shows a score.
    static func score(_ s: Double) -> String { String(format: "%.3f", s) }
}
