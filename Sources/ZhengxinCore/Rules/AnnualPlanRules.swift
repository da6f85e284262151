import Foundation

/// 年度政府投资计划 (R-PLAN-1, 第八条): DRC compiles it from the reserve pool; once approved and
/// issued, its projects are `planned`.
public struct AnnualInvestmentPlan: Codable, Sendable, Hashable {
    public struct Line: Codable, Sendable, Hashable {
        public var projectId: UUID
        public var plannedAmount: Fen
        public init(projectId: UUID, plannedAmount: Fen) {
            self.projectId = projectId
            self.plannedAmount = plannedAmount
        }
    }

    public enum Status: String, Codable, Sendable { case draft, issued }

    public var id: UUID
    public var year: Int
    public var title: String
    public var lines: [Line]
    public var status: Status
    public var documentNumber: String?
    public var issuedOn: CivilDate?
    /// In a plan as shown to a reader: the lines left out because they name a 涉密 project the reader
    /// is not named on (R-CON-5, 第十七条: counted, never identified or priced). Never stored.
    public var restrictedLines: Int?

    public init(
        id: UUID, year: Int, title: String, lines: [Line], status: Status, documentNumber: String? = nil, issuedOn: CivilDate? = nil
    ) {
        self.id = id
        self.year = year
        self.title = title
        self.lines = lines
        self.status = status
        self.documentNumber = documentNumber
        self.issuedOn = issuedOn
    }

    public var total: Fen { lines.map(\.plannedAmount).total() ?? Fen(Int64.max) }

    /// The plan as `actor` may read it, given the projects its lines name: a line whose project the
    /// actor may not see is left out. Agencies are told how many 涉密 lines were left out (their own
    /// scope is the whole city, so the count is what R-CON-5 lets them know); a unit, whose scope is
    /// its own projects, is told nothing of other units' lines.
    public func scoped(for actor: Actor, projects: [UUID: ProjectRecord]) -> AnnualInvestmentPlan {
        var copy = self
        copy.lines = lines.filter { projects[$0.projectId]?.isVisible(to: actor) == true }
        if actor.organisationType.seesAllProjects {
            let restricted = lines.filter {
                projects[$0.projectId]?.classified == true && projects[$0.projectId]?.isVisible(to: actor) != true
            }.count
            copy.restrictedLines = restricted > 0 ? restricted : nil
        }
        return copy
    }
}

public enum AnnualPlanRules {
    public static let compileTitle = "编制年度政府投资计划"
    public static let issueTitle = "下达年度政府投资计划"

    public struct CompilePayload: Decodable, Sendable {
        public struct LineInput: Decodable, Sendable { public var projectId: UUID; public var plannedAmountFen: Int64 }
        public var year: Int
        public var title: String
        public var lines: [LineInput]
    }

    public struct IssuePayload: Decodable, Sendable {
        public var documentNumber: String
        public var issuedOn: CivilDate
        public init(documentNumber: String, issuedOn: CivilDate) {
            self.documentNumber = documentNumber
            self.issuedOn = issuedOn
        }
    }

    static func forbidden(_ ctx: DecisionContext, _ title: String) -> String? {
        guard ctx.actor.canAct, ctx.actor.organisationType == .drc else {
            return "「\(title)」由市发展改革委办理(第八条)"
        }
        return nil
    }

    /// Checks the plan's lines against the projects they name (`projects` holds those found).
    public static func compile(_ x: CompilePayload, id: UUID, projects: [UUID: ProjectRecord], _ ctx: DecisionContext) -> Result<
        AnnualInvestmentPlan, ProjectCreation.CreationRefusal
    > {
        if let reason = forbidden(ctx, compileTitle) { return .failure(.forbidden(reason)) }
        var c = Checklist()
        if let v = Fields.text(x.title, "title", max: 200) { c.add(v) }
        c.require((2000...2100).contains(x.year), .input("year", "计划年度应在2000至2100之间"))
        c.require(!x.lines.isEmpty, .input("lines", "年度计划至少包含一个项目"))
        let ids = x.lines.map(\.projectId)
        c.require(Set(ids).count == ids.count, .input("lines", "同一项目在计划中重复出现"))
        for (i, line) in x.lines.enumerated() {
            if let v = ctx.policy.checkAmount(Fen(line.plannedAmountFen), field: "lines[\(i)].plannedAmountFen") { c.add(v) }
            // A project the actor may not see is answered exactly as an unknown id (R-CON-5).
            guard let p = projects[line.projectId], p.isVisible(to: ctx.actor) else {
                c.add(.input("lines[\(i)].projectId", "项目不存在: \(line.projectId.uuidString)"))
                continue
            }
            c.require(
                p.stage == .reserve, rule: "R-PLAN-1", article: "第八条",
                "「\(p.name)」(\(p.code))当前为「\(p.stage.chinese)」,只有储备库中的项目可列入年度计划")
            c.require(
                p.planYear <= x.year, rule: "R-PLAN-1", article: "第八条",
                "「\(p.name)」申报的计划年度为\(p.planYear)年,不能列入\(x.year)年计划")
            c.require(
                Fen(line.plannedAmountFen) <= p.totalInvestment, rule: "R-PLAN-1", article: "第八条",
                "「\(p.name)」计划安排金额超过项目总投资\(p.totalInvestment.yuanText)")
        }
        if !c.isEmpty { return .failure(.refused(c.violations)) }
        return .success(
            AnnualInvestmentPlan(
                id: id, year: x.year, title: x.title,
                lines: x.lines.map { .init(projectId: $0.projectId, plannedAmount: Fen($0.plannedAmountFen)) },
                status: .draft))
    }

    /// Issues the plan: every line's project moves from the reserve pool to `planned`.
    public static func issue(_ x: IssuePayload, plan: AnnualInvestmentPlan, projects: [UUID: ProjectRecord], _ ctx: DecisionContext)
        -> Result<(AnnualInvestmentPlan, [ProjectRecord]), ProjectCreation.CreationRefusal>
    {
        if let reason = forbidden(ctx, issueTitle) { return .failure(.forbidden(reason)) }
        var c = Checklist()
        if let v = Fields.text(x.documentNumber, "documentNumber", max: 200) { c.add(v) }
        if let v = Fields.notFuture(x.issuedOn, "issuedOn", today: ctx.today) { c.add(v) }
        c.require(plan.status == .draft, rule: "R-PLAN-1", article: "第八条", "年度计划已下达,不能重复下达")
        var updated: [ProjectRecord] = []
        for (i, line) in plan.lines.enumerated() {
            guard var p = projects[line.projectId] else {
                c.add(Violation(rule: "R-PLAN-1", article: "第八条", message: "计划第\(i + 1)行的项目不存在"))
                continue
            }
            // A 涉密 line moves a project the issuer may not see: only those named on it issue the plan,
            // and the refusal says nothing of the project but that the line is 涉密 (R-CON-5).
            guard p.isVisible(to: ctx.actor) else {
                c.add(Violation(rule: "R-CON-5", article: "第十七条", message: "计划第\(i + 1)行为涉密项目,须由获授权知悉该项目的人员下达"))
                continue
            }
            c.require(
                p.stage == .reserve, rule: "R-PLAN-1", article: "第八条",
                "「\(p.name)」(\(p.code))当前为「\(p.stage.chinese)」,不在储备库中")
            p.annualPlan = AnnualPlanLine(
                planId: plan.id, year: plan.year, plannedAmount: line.plannedAmount,
                documentNumber: x.documentNumber, issuedOn: x.issuedOn)
            p.stage = .planned
            updated.append(p)
        }
        if !c.isEmpty { return .failure(.refused(c.violations)) }
        var issued = plan
        issued.status = .issued
        issued.documentNumber = x.documentNumber
        issued.issuedOn = x.issuedOn
        return .success((issued, updated))
    }
}
