import Foundation

enum ApprovalActions {
    static let all: [AnyActionRule] = [
        AnyActionRule(RuleOnSimpleContent.self), AnyActionRule(ApplyForApproval.self), AnyActionRule(ApproveDocument.self),
    ]
}

/// 第九条: for a tier-2 project, DRC decides whether 建设内容单一、技术方案简单 lets 可研 and 初设
/// merge into one 实施方案. Decided before the first approval, since it fixes the path.
public enum RuleOnSimpleContent: ProjectActionRule {
    public struct Payload: Decodable, Sendable { public var accepted: Bool; public var reason: String }
    public static let spec = ActionSpec(
        "rule-on-simple-content", "认定建设内容单一、技术方案简单", actors: [.drc],
        stages: [.planned, .approving], rule: "R-APP-1", article: "第九条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        c.require(
            p.tier(ctx.policy) == .two, rule: "R-APP-1", article: "第九条",
            "只有总投资\(ctx.policy.tier2Threshold.wanText)及以上\(ctx.policy.tier3Threshold.wanText)以下的项目可认定为建设内容单一、技术方案简单(本项目为\(p.tier(ctx.policy).chinese(ctx.policy)))"
        )
        c.require(p.approvals.isEmpty, rule: "R-APP-2", article: "第九条", "项目已有批复,审批环节不能再调整")
        return c.violations
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        [Fields.text(x.reason, "reason")].compactMap { $0 }
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.simpleContentRuling = SimpleContentRuling(accepted: x.accepted, reason: x.reason, ruledOn: ctx.today)
        return x.accepted ? "认定建设内容单一、技术方案简单,可研与初设合并为实施方案审批" : "不认定为建设内容单一、技术方案简单"
    }
}

/// 第八条: after the annual plan is issued, the unit applies with its first document.
public enum ApplyForApproval: ProjectActionRule {
    public static let spec = ActionSpec(
        "apply-for-approval", "提出项目审批申请", actors: [.unit], stages: [.planned], rule: "R-APP-1", article: "第八条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let first = ApprovalPath.documents(for: p, ctx.policy).first {
            c.require(
                !p.documents(of: first).isEmpty, rule: "R-APP-1", article: "第八条",
                "申请审批须附「\(first.chinese)」(\(p.tier(ctx.policy).chinese(ctx.policy)))")
            c.add(ApprovalPath.sharingChapterViolations(for: first, in: p))
        }
        return c.violations
    }

    public static func check(_ x: EmptyPayload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] { [] }

    public static func apply(_ x: EmptyPayload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.stage = .approving
        let path = ApprovalPath.documents(for: p, ctx.policy).map(\.chinese).joined(separator: " → ")
        return "提出审批申请,审批环节: \(path)"
    }
}

/// 批复 (R-APP-1, R-APP-2: 第九条, 第十条; R-APP-3: 第二十六条).
public enum ApproveDocument: ProjectActionRule {
    public struct Payload: Decodable, Sendable {
        public var kind: DocumentKind
        public var documentNumber: String
        public var approvedOn: CivilDate
        public var approvedAmountFen: Int64
    }
    public static let spec = ActionSpec("approve-document", "批复", actors: [.drc], stages: [.approving], rule: "R-APP-2", article: "第十条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        guard let next = ApprovalPath.next(for: p, ctx.policy) else { return [] }
        var c = Checklist()
        c.require(!p.documents(of: next).isEmpty, rule: "R-APP-1", article: "第八条", "尚未提交「\(next.chinese)」")
        c.add(ApprovalPath.sharingChapterViolations(for: next, in: p))
        return c.violations
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Fields.text(x.documentNumber, "documentNumber", max: 200) { c.add(v) }
        if let v = ctx.policy.checkAmount(Fen(x.approvedAmountFen), field: "approvedAmountFen") { c.add(v) }
        if let v = Fields.notFuture(x.approvedOn, "approvedOn", today: ctx.today) { c.add(v) }
        if !c.isEmpty { return c.violations }
        let path = ApprovalPath.documents(for: p, ctx.policy)
        if let next = ApprovalPath.next(for: p, ctx.policy), x.kind != next {
            let order = path.map(\.chinese).joined(separator: " → ")
            c.add(
                Violation(
                    rule: "R-APP-2", article: "第九条",
                    message: path.contains(x.kind)
                        ? "审批顺序为 \(order),应先批复「\(next.chinese)」"
                        : "本项目(\(p.tier(ctx.policy).chinese(ctx.policy)))的审批环节为 \(order),不含「\(x.kind.chinese)」"))
        }
        if let last = p.approvals.last {
            c.require(
                x.approvedOn >= last.approvedOn, rule: "R-APP-2", article: "第九条",
                "批复日期不能早于前一批复「\(last.kind.chinese)」的日期\(last.approvedOn.chinese)", field: "approvedOn")
        }
        // An approved amount in a higher tier would have needed that tier's documents.
        let approvedTier = Tier.of(Fen(x.approvedAmountFen), policy: ctx.policy)
        c.require(
            approvedTier <= p.tier(ctx.policy), rule: "R-APP-1", article: "第九条",
            "批复金额\(Fen(x.approvedAmountFen).yuanText)属于\(approvedTier.chinese(ctx.policy)),超出本项目审批环节所适用的投资规模", field: "approvedAmountFen")
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.approvals.append(
            Approval(
                kind: x.kind, documentNumber: x.documentNumber, approvedOn: x.approvedOn,
                approvedAmount: Fen(x.approvedAmountFen), approvedBy: ctx.actor.userId))
        if ApprovalPath.next(for: p, ctx.policy) == nil {
            // 第十条: the last approval fixes 概算总投资 and the approved content.
            p.approvedBudget = Fen(x.approvedAmountFen)
            p.stage = .approved
            return "批复「\(x.kind.chinese)」(\(x.documentNumber)),核定概算总投资\(Fen(x.approvedAmountFen).yuanText),审批完成"
        }
        return "批复「\(x.kind.chinese)」(\(x.documentNumber)),金额\(Fen(x.approvedAmountFen).yuanText)"
    }
}
