import Foundation

enum DeclarationActions {
    static let all: [AnyActionRule] = [
        AnyActionRule(UpdateDraft.self), AnyActionRule(Declare.self), AnyActionRule(RecordDeclarationException.self),
        AnyActionRule(Withdraw.self), AnyActionRule(GrantClassifiedAccess.self),
    ]
}

/// Edits before declaration, or after BDB returned the project for revision. After that, content
/// and investment change only through a change request (R-CHG-1, 第十九条).
public enum UpdateDraft: ProjectActionRule {
    public static let spec = ActionSpec("update", "修改项目信息", actors: [.unit], stages: [.draft, .returned], rule: "R-CHG-1", article: "第十九条")

    /// R-CON-5 (第十七条): a 涉密 project stays 涉密. Clearing the mark by an edit would unseal its record
    /// and audit entries and open it to every agency, and lift the 保密协议 gates; a project may be
    /// marked 涉密 later (that only narrows who sees it).
    public static func check(_ d: ProjectDraft, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var violations = d.check(ctx)
        if p.classified && d.classified == false {
            violations.append(Violation(rule: "R-CON-5", article: "第十七条", message: "涉密项目不能通过修改项目信息取消涉密", field: "classified"))
        }
        // R-DEC-1 (第七条): the window binds the projects a unit declares on its own initiative; once
        // declared, a returned project keeps its source, or moving it to a closed year would pass as 上级要求.
        if p.declaredAt != nil && d.source != p.source {
            violations.append(Violation(rule: "R-DEC-1", article: "第七条", message: "项目申报后不能修改项目来源", field: "source"))
        }
        return violations
    }

    public static func apply(_ d: ProjectDraft, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        d.write(into: &p)
        if p.classified && !p.classifiedAccess.contains(ctx.actor.userId) { p.classifiedAccess.append(ctx.actor.userId) }
        return "修改项目信息"
    }
}

/// 申报 (R-DEC-1, 第七条; R-GEN-1, R-REV-2).
public enum Declare: ProjectActionRule {
    public static let spec = ActionSpec("declare", "申报项目", actors: [.unit], stages: [.draft], rule: "R-DEC-1", article: "第七条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        // 第七条: unit-initiated projects for year Y by the end of 30 June, Y−1, Beijing time.
        // 上级要求 and 市政府决定 projects may be declared at any time (an interpretation: the window
        // binds only the projects a unit declares on its own initiative).
        if p.source == .unitDeclaration && p.declarationException == nil {
            let deadline = ctx.policy.declarationDeadline(planYear: p.planYear)
            c.require(
                ctx.now <= deadline, rule: "R-DEC-1", article: "第七条",
                "\(p.planYear)年度项目应于\(deadline.beijingDate.chinese)24时(北京时间)前申报,申报期已过;如确需申报,须由市发展改革委登记例外及理由")
        }
        if let own = p.ownInfrastructure {
            c.require(
                !own.justification.trimmingCharacters(in: .whitespaces).isEmpty, rule: "R-REV-2", article: "第二十七条",
                "项目拟单独建设机房、网络、存储或计算资源,须说明必须单独建设的理由")
            c.require(
                !own.sharingPlan.trimmingCharacters(in: .whitespaces).isEmpty, rule: "R-REV-2", article: "第二十七条",
                "项目拟单独建设基础设施,须提出信息共享和业务协同方案")
        }
        // R-GOAL-1 (第五条): the unit answers for the 绩效目标; they are reviewed with the project.
        c.add(PerformanceGoalRules.declarationViolations(p.performanceGoals))
        return c.violations
    }

    public static func check(_ payload: EmptyPayload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] { [] }

    public static func apply(_ payload: EmptyPayload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.stage = .declared
        p.declaredAt = ctx.now
        // R-POL-1: judged from now on under the version in force on the declaration date.
        p.policyId = ctx.policy.id
        let satisfaction = p.performanceGoals.map { $0.count(.satisfaction) > 0 } ?? false
        return "申报\(p.planYear)年度项目(来源: \(p.source.chinese))" + (satisfaction ? "" : ";未设满意度指标")
    }
}

/// R-DEC-1: DRC lets a late unit declaration through, with a reason on record: before the declaration,
/// or when a returned project is moved to a year whose window had closed at its declaration (Resubmit).
public enum RecordDeclarationException: ProjectActionRule {
    public struct Payload: Decodable, Sendable { public var reason: String }
    public static let spec = ActionSpec(
        "record-declaration-exception", "登记逾期申报例外", actors: [.drc], stages: [.draft, .returned], rule: "R-DEC-1", article: "第七条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        [Violation(rule: "R-DEC-1", article: "第七条", message: "已登记逾期申报例外")].filter { _ in p.declarationException != nil }
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        [Fields.text(x.reason, "reason")].compactMap { $0 }
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.declarationException = DeclarationException(reason: x.reason, recordedOn: ctx.today, recordedBy: ctx.actor.userId)
        return "登记逾期申报例外: \(x.reason)"
    }
}

/// 撤回: the unit takes back a draft or a declaration not yet under review.
public enum Withdraw: ProjectActionRule {
    public struct Payload: Decodable, Sendable { public var reason: String }
    public static let spec = ActionSpec("withdraw", "撤回项目", actors: [.unit], stages: [.draft, .declared], rule: "R-DEC-1", article: "第七条")

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        [Fields.text(x.reason, "reason")].compactMap { $0 }
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.stage = .withdrawn
        return "撤回项目: \(x.reason)"
    }
}

/// R-CON-5 (第十七条, 第四十条): a 涉密 project is visible only to users the unit names.
public enum GrantClassifiedAccess: ProjectActionRule {
    public struct Payload: Decodable, Sendable { public var userId: UUID }
    public static let spec = ActionSpec(
        "grant-classified-access", "授权查看涉密项目", actors: [.unit],
        stages: Set(Stage.allCases).subtracting([.terminated, .withdrawn, .rejected]),
        rule: "R-CON-5", article: "第十七条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        p.classified ? [] : [Violation(rule: "R-CON-5", article: "第十七条", message: "非涉密项目无需授权")]
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        p.classifiedAccess.contains(x.userId) ? [.input("userId", "该用户已获授权")] : []
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.classifiedAccess.append(x.userId)
        return "授权用户 \(x.userId.uuidString) 查看涉密项目"
    }
}
