import Foundation

enum ChangeActions {
    static let all: [AnyActionRule] = [
        AnyActionRule(ProposeChange.self), AnyActionRule(AcknowledgeChangeFiling.self),
        AnyActionRule(ApproveChange.self), AnyActionRule(RejectChange.self),
    ]
    static let changeable: Set<Stage> = [.approved, .procuring, .constructing, .suspended]
    static let deciding: Set<Stage> = changeable.union([.completed, .trialRunning, .acceptanceApplied])
}

/// 变更 (R-CHG-1, 第十九条): every change of content or investment goes through here. The system
/// decides the route: unit adjustment with filing, or DRC re-approval.
public enum ProposeChange: ProjectActionRule {
    public struct Payload: Decodable, Sendable {
        public var description: String
        public var reason: ChangeReason
        public var newTotalFen: Int64
        public var adjustedAmountFen: Int64
        public var goalsUnchanged: Bool
        /// The whole new 绩效目标 table, when the change alters it (R-GOAL-1).
        public var newPerformanceIndicators: [PerformanceIndicatorInput]?
    }
    public static let spec = ActionSpec(
        "propose-change", "提出变更", actors: [.unit], stages: ChangeActions.changeable, rule: "R-CHG-1", article: "第十九条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        guard let pending = p.pendingChange else { return [] }
        return [Violation(rule: "R-CHG-3", article: "第十九条", message: "变更\(pending.number)正在等待市发展改革委审批,审批前不能提出新的变更")]
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Fields.text(x.description, "description", max: 5000) { c.add(v) }
        let amounts = [
            ctx.policy.checkAmount(Fen(x.newTotalFen), field: "newTotalFen"),
            ctx.policy.checkAmount(Fen(x.adjustedAmountFen), field: "adjustedAmountFen", allowZero: true),
        ].compactMap { $0 }
        c.add(amounts)
        if amounts.isEmpty, let v = ChangeRules.adjustedCoversTotal(newTotal: Fen(x.newTotalFen), adjusted: Fen(x.adjustedAmountFen), p) {
            c.add(v)
        }
        if let rows = x.newPerformanceIndicators {
            switch PerformanceGoalRules.parse(rows, field: "newPerformanceIndicators") {
            case .failure(let refusal): c.add(refusal.violations)
            case .success(let goals):
                c.add(PerformanceGoalRules.declarationViolations(goals, field: "newPerformanceIndicators"))
                c.require(
                    goals != p.performanceGoals, rule: "R-GOAL-1", article: "第十九条", "新的绩效目标与已批复的绩效目标相同,无需变更",
                    field: "newPerformanceIndicators")
                // 第十九条: filing needs 建设目标不变; the approved 绩效目标 are part of those goals (R-GOAL-1),
                // so a change that replaces them must say the goals change, and goes to re-approval.
                c.require(
                    !x.goalsUnchanged, rule: "R-GOAL-1", article: "第十九条",
                    "变更绩效目标即变更建设目标,不能申明「建设目标不变」;须报项目审批部门重新审批", field: "goalsUnchanged")
            }
        }
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        let obstacles = ChangeRules.filingObstacles(
            newTotal: Fen(x.newTotalFen), adjusted: Fen(x.adjustedAmountFen),
            goalsUnchanged: x.goalsUnchanged, reason: x.reason, project: p, ctx.policy)
        let filing = obstacles.isEmpty
        p.changes.append(
            ChangeRequest(
                number: p.changes.count + 1, description: x.description, reason: x.reason,
                previousTotal: p.totalInvestment, newTotal: Fen(x.newTotalFen), adjustedAmount: Fen(x.adjustedAmountFen),
                goalsUnchanged: x.goalsUnchanged,
                newPerformanceGoals: x.newPerformanceIndicators.flatMap {
                    try? PerformanceGoalRules.parse($0, field: "newPerformanceIndicators").get()
                },
                route: filing ? .filing : .reApproval,
                status: filing ? .filed : .pendingApproval, reApprovalGrounds: obstacles, proposedOn: ctx.today))
        if filing {
            // R-CHG-2: takes effect when filed.
            p.totalInvestment = Fen(x.newTotalFen)
            return "变更\(p.changes.count)符合第十九条,由项目单位调整并备案,已生效(调整金额\(Fen(x.adjustedAmountFen).yuanText))"
        }
        return "变更\(p.changes.count)须报市发展改革委审批后生效: " + obstacles.map(\.message).joined(separator: ";")
    }
}

/// Finds the change a DRC decision refers to in the status it must have.
enum ChangeLookup {
    static func check(_ number: Int, _ status: ChangeStatus, in p: ProjectRecord) -> Violation? {
        guard let change = p.changes.first(where: { $0.number == number }) else { return .input("changeNumber", "变更编号\(number)不存在") }
        guard change.status == status else {
            return Violation(
                rule: status == .filed ? "R-CHG-2" : "R-CHG-3", article: "第十九条",
                message: "变更\(number)当前状态为「\(change.status.rawValue)」,不能办理", field: "changeNumber")
        }
        return nil
    }

    static func update(_ number: Int, in p: inout ProjectRecord, _ body: (inout ChangeRequest) -> Void) {
        if let i = p.changes.firstIndex(where: { $0.number == number }) { body(&p.changes[i]) }
    }
}

/// R-CHG-2: DRC acknowledges a filed change.
public enum AcknowledgeChangeFiling: ProjectActionRule {
    public struct Payload: Decodable, Sendable { public var changeNumber: Int }
    public static let spec = ActionSpec(
        "acknowledge-change-filing", "确认变更备案", actors: [.drc], stages: ChangeActions.deciding, rule: "R-CHG-2", article: "第十九条")

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        [ChangeLookup.check(x.changeNumber, .filed, in: p)].compactMap { $0 }
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        ChangeLookup.update(x.changeNumber, in: &p) {
            $0.status = .acknowledged; $0.decidedOn = ctx.today
        }
        return "确认变更\(x.changeNumber)备案"
    }
}

/// R-CHG-3: DRC re-approves a change; only then does it take effect.
public enum ApproveChange: ProjectActionRule {
    public struct Payload: Decodable, Sendable {
        public var changeNumber: Int
        public var documentNumber: String
        public var approvedOn: CivilDate
        public var newApprovedBudgetFen: Int64?
    }
    public static let spec = ActionSpec(
        "approve-change", "批准变更", actors: [.drc], stages: ChangeActions.deciding, rule: "R-CHG-3", article: "第十九条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        p.pendingChange == nil ? [Violation(rule: "R-CHG-3", article: "第十九条", message: "没有待审批的变更")] : []
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = ChangeLookup.check(x.changeNumber, .pendingApproval, in: p) { c.add(v) }
        if let v = Fields.text(x.documentNumber, "documentNumber", max: 200) { c.add(v) }
        if let v = Fields.notFuture(x.approvedOn, "approvedOn", today: ctx.today) { c.add(v) }
        if let b = x.newApprovedBudgetFen, let v = ctx.policy.checkAmount(Fen(b), field: "newApprovedBudgetFen") { c.add(v) }
        if !c.isEmpty { return c.violations }
        let change = p.changes.first { $0.number == x.changeNumber }!
        let budget = Fen(x.newApprovedBudgetFen ?? max(change.newTotal.value, (p.approvedBudget ?? .zero).value))
        c.require(
            change.newTotal <= budget, rule: "R-CHG-3", article: "第十九条",
            "核定概算\(budget.yuanText)低于变更后总投资\(change.newTotal.yuanText)", field: "newApprovedBudgetFen")
        c.require(
            p.totalFundPlans <= budget, rule: "R-FUND-1", article: "第十一条",
            "核定概算\(budget.yuanText)低于已下达资金计划\(p.totalFundPlans.yuanText)", field: "newApprovedBudgetFen")
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        let change = p.changes.first { $0.number == x.changeNumber }!
        let budget = Fen(x.newApprovedBudgetFen ?? max(change.newTotal.value, (p.approvedBudget ?? .zero).value))
        ChangeLookup.update(x.changeNumber, in: &p) {
            $0.status = .approved
            $0.decidedOn = x.approvedOn
            $0.documentNumber = x.documentNumber
            $0.newApprovedBudget = budget
        }
        p.totalInvestment = change.newTotal
        p.approvedBudget = budget
        // R-GOAL-1: new 绩效目标 take effect only with the approval (第十九条).
        if let goals = change.newPerformanceGoals { p.performanceGoals = goals }
        return "批准变更\(x.changeNumber)(\(x.documentNumber)),总投资调整为\(change.newTotal.yuanText),概算总投资\(budget.yuanText)"
    }
}

/// R-CHG-3: DRC refuses a change; nothing of it takes effect.
public enum RejectChange: ProjectActionRule {
    public struct Payload: Decodable, Sendable { public var changeNumber: Int; public var reason: String }
    public static let spec = ActionSpec(
        "reject-change", "不予批准变更", actors: [.drc], stages: ChangeActions.deciding, rule: "R-CHG-3", article: "第十九条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] { ApproveChange.conditions(p, ctx) }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        [ChangeLookup.check(x.changeNumber, .pendingApproval, in: p), Fields.text(x.reason, "reason", max: 5000)].compactMap { $0 }
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        ChangeLookup.update(x.changeNumber, in: &p) {
            $0.status = .rejected; $0.decidedOn = ctx.today; $0.decisionNote = x.reason
        }
        return "不予批准变更\(x.changeNumber): \(x.reason)"
    }
}
