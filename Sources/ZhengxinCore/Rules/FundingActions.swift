import Foundation

enum FundingActions {
    static let all: [AnyActionRule] = [
        AnyActionRule(IssueFundPlan.self), AnyActionRule(Disburse.self), AnyActionRule(RecordSurplusReturn.self),
    ]
    /// Approved and not yet accepted: construction money may still be planned.
    static let fundable: Set<Stage> = [.approved, .procuring, .constructing, .completed, .trialRunning, .acceptanceApplied]
}

/// 资金计划 (R-FUND-1, 第十一条): DRC issues fund plans up to the approved budget.
public enum IssueFundPlan: ProjectActionRule {
    public struct Payload: Decodable, Sendable {
        public var amountFen: Int64
        public var documentNumber: String
        public var issuedOn: CivilDate
    }
    public static let spec = ActionSpec(
        "issue-fund-plan", "下达资金计划", actors: [.drc], stages: FundingActions.fundable, rule: "R-FUND-1", article: "第十一条")

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = ctx.policy.checkAmount(Fen(x.amountFen), field: "amountFen") { c.add(v) }
        if let v = Fields.text(x.documentNumber, "documentNumber", max: 200) { c.add(v) }
        if let v = Fields.notFuture(x.issuedOn, "issuedOn", today: ctx.today) { c.add(v) }
        // 第十一条: a fund plan follows the approval that fixed the 概算, never precedes it.
        if let approved = p.approvals.last?.approvedOn {
            c.require(
                x.issuedOn >= approved, rule: "R-FUND-1", article: "第十一条",
                "资金计划下达日期不能早于概算批复日期\(approved.chinese)", field: "issuedOn")
        }
        if !c.isEmpty { return c.violations }
        let budget = p.approvedBudget ?? .zero
        let cumulative = p.totalFundPlans.adding(Fen(x.amountFen)) ?? Fen(Int64.max)
        c.require(
            cumulative <= budget, rule: "R-FUND-1", article: "第十一条",
            "累计资金计划\(cumulative.yuanText)将超过概算总投资\(budget.yuanText)(已下达\(p.totalFundPlans.yuanText))", field: "amountFen")
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.fundPlans.append(
            FundPlan(number: p.fundPlans.count + 1, amount: Fen(x.amountFen), documentNumber: x.documentNumber, issuedOn: x.issuedOn))
        return "下达资金计划\(Fen(x.amountFen).yuanText)(\(x.documentNumber)),累计\(p.totalFundPlans.yuanText)"
    }
}

/// 拨付 (R-FUND-1, 第十一条; R-FUND-3, 第二十二条, 第三十六条): FIN pays against issued plans.
public enum Disburse: ProjectActionRule {
    public struct Payload: Decodable, Sendable {
        public var amountFen: Int64
        public var paidOn: CivilDate
        public var voucherNumber: String
    }
    public static let spec = ActionSpec(
        "disburse", "拨付建设资金", actors: [.fin],
        stages: FundingActions.fundable.union([.suspended, .terminated]), rule: "R-FUND-1", article: "第十一条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let overdue = AcceptanceClock.overdueViolation(p, ctx, rule: "R-FUND-3") { c.add(overdue) }
        c.require(p.stage != .suspended, rule: "R-FUND-3", article: "第三十六条", "项目已暂停建设,暂停期间不得拨付建设资金")
        c.require(p.stage != .terminated, rule: "R-FUND-3", article: "第三十六条", "项目已终止,不得拨付建设资金")
        c.require(!p.fundingHold, rule: "R-FUND-3", article: "第三十六条", "项目被暂缓拨付建设资金")
        c.require(
            p.totalDisbursed < p.totalFundPlans, rule: "R-FUND-1", article: "第十一条",
            "已下达资金计划\(p.totalFundPlans.yuanText)已全部拨付,须先下达新的资金计划")
        return c.violations
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = ctx.policy.checkAmount(Fen(x.amountFen), field: "amountFen") { c.add(v) }
        if let v = Fields.text(x.voucherNumber, "voucherNumber", max: 200) { c.add(v) }
        if let v = Fields.notFuture(x.paidOn, "paidOn", today: ctx.today) { c.add(v) }
        // 第十一条: money is paid against a fund plan already issued.
        if let first = p.fundPlans.map(\.issuedOn).min() {
            c.require(
                x.paidOn >= first, rule: "R-FUND-1", article: "第十一条", "拨付日期不能早于首笔资金计划的下达日期\(first.chinese)",
                field: "paidOn")
        }
        if !c.isEmpty { return c.violations }
        let cumulative = p.totalDisbursed.adding(Fen(x.amountFen)) ?? Fen(Int64.max)
        if p.totalDisbursed < p.totalFundPlans {
            c.require(
                cumulative <= p.totalFundPlans, rule: "R-FUND-1", article: "第十一条",
                "累计拨付\(cumulative.yuanText)将超过已下达资金计划\(p.totalFundPlans.yuanText)(已拨付\(p.totalDisbursed.yuanText))", field: "amountFen")
        }
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.disbursements.append(
            Disbursement(number: p.disbursements.count + 1, amount: Fen(x.amountFen), paidOn: x.paidOn, voucherNumber: x.voucherNumber))
        return "拨付建设资金\(Fen(x.amountFen).yuanText)(\(x.voucherNumber)),累计\(p.totalDisbursed.yuanText)"
    }
}

/// 节余资金退回 (R-FUND-2, 第十一条): FIN records the surplus going back to the treasury.
public enum RecordSurplusReturn: ProjectActionRule {
    public struct Payload: Decodable, Sendable {
        public var amountFen: Int64
        public var returnedOn: CivilDate
        public var voucherNumber: String
    }
    public static let spec = ActionSpec(
        "record-surplus-return", "登记节余资金退回", actors: [.fin], stages: [.accepted, .operating], rule: "R-FUND-2", article: "第十一条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        c.require((p.surplus?.amount ?? .zero) > .zero, rule: "R-FUND-2", article: "第十一条", "项目无节余资金")
        c.require(p.surplus?.returnedOn == nil, rule: "R-FUND-2", article: "第十一条", "节余资金退回已登记")
        return c.violations
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = ctx.policy.checkAmount(Fen(x.amountFen), field: "amountFen") { c.add(v) }
        if let v = Fields.text(x.voucherNumber, "voucherNumber", max: 200) { c.add(v) }
        if let v = Fields.notFuture(x.returnedOn, "returnedOn", today: ctx.today) { c.add(v) }
        if !c.isEmpty { return c.violations }
        if let surplus = p.surplus {
            c.require(
                Fen(x.amountFen) == surplus.amount, rule: "R-FUND-2", article: "第十一条",
                "退回金额应等于节余资金\(surplus.amount.yuanText)(概算总投资减累计拨付)", field: "amountFen")
        }
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.surplus?.returnedOn = x.returnedOn
        p.surplus?.returnedAmount = Fen(x.amountFen)
        p.surplus?.voucherNumber = x.voucherNumber
        return "节余资金\(Fen(x.amountFen).yuanText)已退回(\(x.voucherNumber))"
    }
}
