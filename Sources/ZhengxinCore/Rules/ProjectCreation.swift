import Foundation

/// The fields a unit fills in for a project (creation and edits before declaration).
public struct ProjectDraft: Decodable, Sendable {
    /// 自建基础设施 (第二十七条): how many items one declaration may list.
    public static let maxInfrastructureItems = 20
    public var name: String
    public var source: ProjectSource
    public var planYear: Int
    public var category: ProjectCategory
    public var totalInvestmentFen: Int64
    public var content: String
    public var goals: String
    public var classified: Bool?
    public var simpleContentRequested: Bool?
    public var ownInfrastructure: OwnInfrastructure?
    public var nationalCode: String?
    /// 绩效目标 (R-GOAL-1, 第五条): required by `declare`, not by a draft.
    public var performanceIndicators: [PerformanceIndicatorInput]?

    public init(
        name: String, source: ProjectSource, planYear: Int, category: ProjectCategory, totalInvestmentFen: Int64,
        content: String, goals: String, classified: Bool? = nil, simpleContentRequested: Bool? = nil,
        ownInfrastructure: OwnInfrastructure? = nil, nationalCode: String? = nil,
        performanceIndicators: [PerformanceIndicatorInput]? = nil
    ) {
        self.name = name
        self.source = source
        self.planYear = planYear
        self.category = category
        self.totalInvestmentFen = totalInvestmentFen
        self.content = content
        self.goals = goals
        self.classified = classified
        self.simpleContentRequested = simpleContentRequested
        self.ownInfrastructure = ownInfrastructure
        self.nationalCode = nationalCode
        self.performanceIndicators = performanceIndicators
    }

    func check(_ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Fields.text(name, "name", max: 200) { c.add(v) }
        if let v = Fields.text(content, "content", max: 20_000) { c.add(v) }
        if let v = Fields.text(goals, "goals", max: 20_000) { c.add(v) }
        if let v = ctx.policy.checkAmount(Fen(totalInvestmentFen), field: "totalInvestmentFen") { c.add(v) }
        c.require((2000...2100).contains(planYear), .input("planYear", "计划年度应在2000至2100之间"))
        if let code = nationalCode, !code.isEmpty {
            // 全国投资项目代码: 24 characters (digits, letters and dashes).
            c.require(
                code.count == 24 && code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") },
                .input("nationalCode", "全国投资项目代码应为24位字符"))
        }
        if let own = ownInfrastructure {
            c.require(!own.items.isEmpty, .input("ownInfrastructure.items", "请列明单独建设的基础设施(机房、网络、存储、计算资源等)"))
            c.require(
                own.items.count <= Self.maxInfrastructureItems && own.items.allSatisfy { $0.count <= 100 && $0.utf8.count <= 800 },
                .input("ownInfrastructure.items", "单独建设的基础设施最多\(Self.maxInfrastructureItems)项,每项不超过100字"))
            for (text, field) in [
                (own.justification, "ownInfrastructure.justification"), (own.sharingPlan, "ownInfrastructure.sharingPlan"),
            ] {
                c.require(text.count <= 5_000 && text.utf8.count <= 40_000, .input(field, "字段「\(field)」过长(不超过5000字)"))
            }
        }
        if let rows = performanceIndicators, case .failure(let refusal) = PerformanceGoalRules.parse(rows, field: "performanceIndicators") {
            c.add(refusal.violations)
        }
        return c.violations
    }

    func write(into p: inout ProjectRecord) {
        p.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        p.source = source
        p.planYear = planYear
        p.category = category
        p.totalInvestment = Fen(totalInvestmentFen)
        p.content = content
        p.goals = goals
        p.simpleContentRequested = simpleContentRequested ?? false
        p.ownInfrastructure = ownInfrastructure
        p.nationalCode = (nationalCode?.isEmpty ?? true) ? nil : nationalCode
        p.classified = classified ?? p.classified
        // An edit states the whole draft, as for ownInfrastructure: no table means none.
        p.performanceGoals = performanceIndicators.flatMap { try? PerformanceGoalRules.parse($0, field: "performanceIndicators").get() }
    }
}

/// 第三条, 第六条: a unit opens a project in draft.
public enum ProjectCreation {
    public static let title = "新建项目"

    public static func create(_ draft: ProjectDraft, id: UUID, code: String, _ ctx: DecisionContext) -> Result<
        ProjectRecord, CreationRefusal
    > {
        if let reason = forbiddenReason(ctx.actor) { return .failure(.forbidden(reason)) }
        let violations = draft.check(ctx)
        if !violations.isEmpty { return .failure(.refused(violations)) }
        var p = ProjectRecord(
            id: id, code: code, name: draft.name, unitId: ctx.actor.organisationId, source: draft.source,
            planYear: draft.planYear, category: draft.category, totalInvestment: Fen(draft.totalInvestmentFen),
            content: draft.content, goals: draft.goals, classified: draft.classified ?? false,
            simpleContentRequested: draft.simpleContentRequested ?? false,
            ownInfrastructure: draft.ownInfrastructure, nationalCode: draft.nationalCode,
            policyId: ctx.policy.id, createdOn: ctx.today, createdBy: ctx.actor.userId)
        draft.write(into: &p)
        p.jurisdiction = ctx.actor.jurisdiction
        if p.classified && !p.classifiedAccess.contains(ctx.actor.userId) { p.classifiedAccess.append(ctx.actor.userId) }
        return .success(p)
    }

    /// Why the actor may not open projects at all (第三条), nil for a unit's user who may act.
    public static func forbiddenReason(_ actor: Actor) -> String? {
        guard actor.canAct, actor.organisationType == .unit else {
            return "新建项目由项目单位办理(第三条),\(actor.organisationType.chinese)不能新建项目"
        }
        return nil
    }

    public enum CreationRefusal: Error, Sendable {
        case forbidden(String)
        case refused([Violation])
    }
}
