import Foundation

/// A government IT project (政务信息化项目) and everything on record about it.
/// The server stores it whole; rules read it and return a new version of it.
public struct ProjectRecord: Codable, Sendable, Hashable {
    // Identity and declaration (第六条, 第七条)
    public var id: UUID
    public var code: String
    public var nationalCode: String?
    public var name: String
    public var unitId: UUID
    public var source: ProjectSource
    public var planYear: Int
    public var category: ProjectCategory
    public var totalInvestment: Fen
    public var content: String
    public var goals: String
    /// 绩效目标 (R-GOAL-1, 第五条); nil on records stored before the table existed.
    public var performanceGoals: PerformanceGoals?
    public var classified: Bool
    public var classifiedAccess: [UUID]
    public var simpleContentRequested: Bool
    public var ownInfrastructure: OwnInfrastructure?
    /// Which version of the Measures judges the project: pinned when it is declared (R-POL-1).
    public var policyId: String
    /// The city, or the county whose unit runs the project (第四十二条).
    public var jurisdiction: String = PolicyBook.city
    public var stage: Stage
    public var createdOn: CivilDate
    public var declaredAt: Instant?

    // Review, reserve pool, plan (第六条 to 第八条)
    public var declarationException: DeclarationException?
    public var majorProject: MajorProjectMark?
    public var reviewOpinions: [ReviewOpinion] = []
    public var reservePoolEntry: ReservePoolEntry?
    public var annualPlan: AnnualPlanLine?

    // Approval (第九条, 第十条)
    public var simpleContentRuling: SimpleContentRuling?
    public var approvals: [Approval] = []
    public var approvedBudget: Fen?

    // Documents
    public var documents: [DocumentRef] = []

    // Money (第十一条)
    public var fundPlans: [FundPlan] = []
    public var disbursements: [Disbursement] = []
    public var surplus: Surplus?
    /// 暂缓拨付 (第三十六条), applied by a sanction.
    public var fundingHold: Bool = false

    // Construction (第十二条 to 第十八条)
    public var responsibility: Responsibility?
    public var procurements: [Procurement] = []
    public var constructionContracts: [ConstructionContract] = []
    public var supervisionContracts: [SupervisionContract] = []
    public var confidentialityAgreements: [ConfidentialityAgreement] = []
    public var constructionStartedOn: CivilDate?
    public var incidents: [IncidentReport] = []
    public var stageBeforeSuspension: Stage?

    // Changes (第十九条)
    public var changes: [ChangeRequest] = []

    // Acceptance (第二十条 to 第二十二条, 第二十八条, 第三十四条)
    public var completedOn: CivilDate?
    public var preliminaryAcceptance: PreliminaryAcceptance?
    public var trialRun: TrialRun?
    public var delayReports: [DelayReport] = []
    public var catalogRegistration: CatalogRegistration?
    public var productSecurityReview: ProductSecurityReview?
    public var acceptanceApplication: AcceptanceApplication?
    public var acceptanceSignOffs: [AcceptanceSignOff] = []
    public var acceptedOn: CivilDate?
    public var acceptanceReportFiling: AcceptanceReportFiling?

    // After acceptance, and across the whole life (第二十三条 to 第三十九条)
    public var operations = OperationsRecord()
    public var security = SecurityRecord()
    public var sharing = SharingRecord()
    public var supervision = SupervisionRecord()

    public init(
        id: UUID, code: String, name: String, unitId: UUID, source: ProjectSource, planYear: Int,
        category: ProjectCategory, totalInvestment: Fen, content: String, goals: String,
        classified: Bool, simpleContentRequested: Bool, ownInfrastructure: OwnInfrastructure?,
        nationalCode: String?, policyId: String, createdOn: CivilDate, createdBy: UUID
    ) {
        self.id = id
        self.code = code
        self.nationalCode = nationalCode
        self.name = name
        self.unitId = unitId
        self.source = source
        self.planYear = planYear
        self.category = category
        self.totalInvestment = totalInvestment
        self.content = content
        self.goals = goals
        self.classified = classified
        self.classifiedAccess = classified ? [createdBy] : []
        self.simpleContentRequested = simpleContentRequested
        self.ownInfrastructure = ownInfrastructure
        self.policyId = policyId
        self.stage = .draft
        self.createdOn = createdOn
    }

    public func tier(_ policy: Policy) -> Tier { Tier.of(totalInvestment, policy: policy) }

    public func documents(of kind: DocumentKind) -> [DocumentRef] { documents.filter { $0.kind == kind } }

    public var totalFundPlans: Fen { fundPlans.map(\.amount).total() ?? Fen(Int64.max) }
    public var totalDisbursed: Fen { disbursements.map(\.amount).total() ?? Fen(Int64.max) }

    /// Changes that took effect by filing (第十九条), the ones whose amounts accumulate.
    public var filedChanges: [ChangeRequest] {
        changes.filter { $0.route == .filing && ($0.status == .filed || $0.status == .acknowledged) }
    }

    public var pendingChange: ChangeRequest? { changes.first { $0.status == .pendingApproval } }

    /// Whether `actor` may see this project at all: units their own, agencies all; vendors those
    /// they are contracted on; a 涉密 project only named users (R-CON-5, 第十七条, 第四十条).
    public func isVisible(to actor: Actor) -> Bool {
        if classified && !classifiedAccess.contains(actor.userId) { return false }
        switch actor.organisationType {
        case .drc, .fin, .bdb, .aud: return true
        case .unit: return actor.organisationId == unitId
        case .vendor:
            return constructionContracts.contains { $0.contractorOrganisationId == actor.organisationId }
                || supervisionContracts.contains { $0.supervisionFirmOrganisationId == actor.organisationId }
        }
    }
}
