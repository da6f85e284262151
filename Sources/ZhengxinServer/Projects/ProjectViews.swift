import Vapor
import ZhengxinCore

/// A project as the API shows it: the record, and what the rules derive from it today.
struct ProjectView: Content {
    struct Derived: Content {
        var stageTitle: String
        var tier: Int
        var tierTitle: String
        var approvalPath: [DocumentKind]
        var nextApproval: DocumentKind?
        var totalFundPlans: Fen
        var totalDisbursed: Fen
        var acceptanceDeadline: CivilDate?
        var acceptanceOverdue: Bool
        var policyId: String
        var suggestions: [Violation]
        /// R-SHR-4 (第二十八条): sharing is a basis for investment and O&M funding, so the figures
        /// stand beside every project and every decision on it.
        var sharing: SharingFigures
    }
    var project: ProjectRecord
    var derived: Derived
    var summary: String?
    /// `project` already encoded (an action's answer: ProjectActionRunner.Outcome.recordJSON); the
    /// answer then writes these bytes instead of encoding the record again. Not a member of the JSON.
    var projectJSON: [UInt8]?

    private enum CodingKeys: String, CodingKey { case project, derived, summary }

    init(_ p: ProjectRecord, policy: Policy, today: CivilDate, summary: String? = nil, projectJSON: [UInt8]? = nil) {
        project = p
        self.projectJSON = projectJSON
        derived = Derived(
            stageTitle: p.stage.chinese, tier: p.tier(policy).rawValue, tierTitle: p.tier(policy).chinese(policy),
            approvalPath: ApprovalPath.documents(for: p, policy),
            nextApproval: p.stage == .approving ? ApprovalPath.next(for: p, policy) : nil,
            totalFundPlans: p.totalFundPlans, totalDisbursed: p.totalDisbursed,
            acceptanceDeadline: AcceptanceClock.deadline(p, policy),
            acceptanceOverdue: AcceptanceClock.isOverdue(p, today: today, policy),
            policyId: policy.id, suggestions: Suggestions.for(p, policy), sharing: SharingFigures.of(p))
        self.summary = summary
    }
}

/// One line of a project list.
struct ProjectSummary: Content {
    var id: UUID
    var code: String
    var name: String
    var unitId: UUID
    var stage: Stage
    var stageTitle: String
    var planYear: Int
    var totalInvestment: Fen
    var tier: Int

    init(_ p: ProjectRecord, policy: Policy) {
        id = p.id
        code = p.code
        name = p.name
        unitId = p.unitId
        stage = p.stage
        stageTitle = p.stage.chinese
        planYear = p.planYear
        totalInvestment = p.totalInvestment
        tier = p.tier(policy).rawValue
    }
}

/// Advice that is not a refusal: things the Measures suggest an agency consider.
enum Suggestions {
    static func `for`(_ p: ProjectRecord, _ policy: Policy) -> [Violation] {
        var out: [Violation] = []
        if MarkMajorProject.suggested(p, policy), !p.stage.isPostApproval, !p.stage.isClosed, p.stage != .draft {
            out.append(
                Violation(
                    rule: "R-GEN-2", article: "第六条",
                    message: "总投资\(p.totalInvestment.yuanText)达到\(policy.executiveMeetingSuggestion.yuanText),建议市发展改革委认定是否须经政府常务会研究"))
        }
        return out
    }
}

struct ActionsView: Content {
    var projectId: UUID
    var stage: Stage
    var stageTitle: String
    var actions: [ActionAvailability]
    var suggestions: [Violation]
    /// R-SHR-4: shown where fund plans and O&M fees are decided.
    var sharing: SharingFigures
}

extension AnnualInvestmentPlan: Content {}
extension DocumentRef: Content {}
