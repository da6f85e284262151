import Foundation

/// 运维费 (R-OM-2, 第二十五条; 第二十二条): the free warranty and the yearly O&M fee.
public enum OperationsFeeRules {
    /// 免费维保期结束: the latest warranty end of the construction contracts (第十五条 保修期限).
    public static func warrantyEnd(_ p: ProjectRecord) -> CivilDate? {
        p.constructionContracts.map(\.warrantyEnd).max()
    }

    /// The first year wholly after the warranty: year Y is allowed only if warrantyEnd < Y-01-01,
    /// so a warranty ending 2029-12-31 allows 2030 and one ending 2030-01-01 allows 2031.
    public static func firstFeeYear(_ p: ProjectRecord) -> Int? {
        warrantyEnd(p).map { $0.year + 1 }
    }

    /// For the deadline scan's O&M reminder: the earliest year the unit may apply for now (this year up
    /// to the policy's years ahead, wholly after the warranty) with no pending or approved application;
    /// nil unless the project is in operation.
    public static func yearAwaitingApplication(_ p: ProjectRecord, today: CivilDate, _ policy: Policy) -> Int? {
        guard p.stage == .operating, let first = firstFeeYear(p) else { return nil }
        let last = today.year + policy.operationsSecurity.operationsFeeYearsAhead
        let earliest = max(first, today.year)
        guard earliest <= last else { return nil }
        return (earliest...last).first { y in !p.operations.feeApplications.contains { $0.year == y && $0.isLive } }
    }

    /// What any O&M fee application or approval needs from the project as a whole: accepted, in
    /// operation, and not acceptance-overdue (第二十二条: 市财政局不得拨付……运行维护经费).
    public static func fundingConditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let overdue = AcceptanceClock.overdueViolation(p, ctx, rule: "R-OM-2") { c.add(overdue) }
        if p.acceptedOn == nil {
            c.add(Violation(rule: "R-OM-2", article: "第二十五条", message: "项目尚未通过竣工验收,不能申请或审核运行维护经费"))
        } else {
            c.require(p.stage == .operating, rule: "R-OM-2", article: "第二十三条", "项目尚未登记运行维护(运维机构、制度和方式),不能申请或审核运行维护经费")
        }
        return c.violations
    }

    /// The application that an FIN review names, or an input error.
    static func pending(_ number: Int, _ p: ProjectRecord) -> (OperationsFeeApplication?, [Violation]) {
        guard let a = p.operations.feeApplications.first(where: { $0.number == number }) else {
            return (nil, [.input("applicationNumber", "本项目没有编号为\(number)的运维费申请")])
        }
        guard a.status == .pending else {
            // With nothing pending at all, the action's condition already says so.
            guard p.operations.feeApplications.contains(where: { $0.status == .pending }) else { return (a, []) }
            return (
                a,
                [
                    Violation(
                        rule: "R-OM-2", article: "第二十五条", message: "\(a.year)年度运维费申请已审核(\(a.status.chinese))", field: "applicationNumber")
                ]
            )
        }
        return (a, [])
    }
}

/// 运维费申请 (R-OM-2, 第二十五条): after the free warranty, the unit applies year by year. Open from
/// completion on so that a project not yet accepted, or acceptance-overdue, is told why (第二十二条).
public enum ApplyForOperationsFee: ProjectActionRule {
    public struct Payload: Decodable, Sendable {
        public var year: Int
        public var amountFen: Int64
        public var basis: String
    }
    public static let spec = ActionSpec(
        "apply-for-operations-fee", "申请年度运行维护经费", actors: [.unit],
        stages: [.completed, .trialRunning, .acceptanceApplied, .accepted, .operating], rule: "R-OM-2", article: "第二十五条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        c.add(OperationsFeeRules.fundingConditions(p, ctx))
        c.require(OperationsFeeRules.warrantyEnd(p) != nil, rule: "R-OM-2", article: "第二十五条", "项目没有登记建设合同的免费维保期,无法确定可申请运维费的年度")
        return c.violations
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = ctx.policy.checkAmount(Fen(x.amountFen), field: "amountFen") { c.add(v) }
        if let v = Fields.text(x.basis, "basis", max: 5000) { c.add(v) }
        c.require((2000...9999).contains(x.year), .input("year", "年度无效"))
        if !c.isEmpty { return c.violations }
        let thisYear = ctx.today.year, ahead = ctx.policy.operationsSecurity.operationsFeeYearsAhead
        c.require(
            x.year >= thisYear && x.year <= thisYear + ahead, rule: "R-OM-2", article: "第二十五条",
            "运维费按年度申请列入部门年度预算,只能申请\(thisYear)年至\(thisYear + ahead)年的运维费", field: "year")
        if let end = OperationsFeeRules.warrantyEnd(p) {
            c.require(
                x.year > end.year, rule: "R-OM-2", article: "第二十五条",
                "免费维保期至\(end.chinese)结束,\(x.year)年不是维保期结束后的完整年度,最早可申请\(end.year + 1)年运维费", field: "year")
        }
        if let live = p.operations.feeApplications.first(where: { $0.year == x.year && $0.isLive }) {
            c.add(
                Violation(
                    rule: "R-OM-2", article: "第二十五条", message: "\(x.year)年度运维费已申请(第\(live.number)号,\(live.status.chinese)),不能重复申请",
                    field: "year"))
        }
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        let number = p.operations.feeApplications.count + 1
        p.operations.feeApplications.append(
            OperationsFeeApplication(
                number: number, year: x.year, requestedAmount: Fen(x.amountFen), basis: x.basis,
                appliedOn: ctx.today, status: .pending))
        return "申请\(x.year)年度运行维护经费\(Fen(x.amountFen).yuanText)(第\(number)号),依据: \(x.basis)"
    }
}

/// 运维费审核 (R-OM-2, 第二十五条): FIN approves up to the amount requested and puts it into that
/// year's department budget; never for an acceptance-overdue project (第二十二条).
public enum ApproveOperationsFee: ProjectActionRule {
    public struct Payload: Decodable, Sendable {
        public var applicationNumber: Int
        public var approvedAmountFen: Int64
        public var budgetReference: String
        public var reviewedOn: CivilDate
    }
    public static let spec = ActionSpec(
        "approve-operations-fee", "审核通过运行维护经费并列入部门预算", actors: [.fin], stages: [.operating], rule: "R-OM-2", article: "第二十五条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        c.add(OperationsFeeRules.fundingConditions(p, ctx))
        c.require(p.operations.feeApplications.contains { $0.status == .pending }, rule: "R-OM-2", article: "第二十五条", "没有待审核的运维费申请")
        return c.violations
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = ctx.policy.checkAmount(Fen(x.approvedAmountFen), field: "approvedAmountFen") { c.add(v) }
        if let v = Fields.text(x.budgetReference, "budgetReference", max: 200) { c.add(v) }
        if let v = Fields.notFuture(x.reviewedOn, "reviewedOn", today: ctx.today) { c.add(v) }
        let (found, problems) = OperationsFeeRules.pending(x.applicationNumber, p)
        if let a = found {
            c.require(x.reviewedOn >= a.appliedOn, .input("reviewedOn", "审核日期不能早于申请日期\(a.appliedOn.chinese)"))
        }
        if !c.isEmpty || !problems.isEmpty { return c.violations + problems }
        let a = found!
        c.require(
            Fen(x.approvedAmountFen) <= a.requestedAmount, rule: "R-OM-2", article: "第二十五条",
            "核定金额\(Fen(x.approvedAmountFen).yuanText)超过申请金额\(a.requestedAmount.yuanText)", field: "approvedAmountFen")
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        let i = p.operations.feeApplications.firstIndex { $0.number == x.applicationNumber }!
        p.operations.feeApplications[i].status = .approved
        p.operations.feeApplications[i].approvedAmount = Fen(x.approvedAmountFen)
        p.operations.feeApplications[i].budgetReference = x.budgetReference
        p.operations.feeApplications[i].reviewedOn = x.reviewedOn
        let year = p.operations.feeApplications[i].year
        return "\(year)年度运行维护经费核定\(Fen(x.approvedAmountFen).yuanText),列入\(year)年部门预算(\(x.budgetReference))"
    }
}

/// 运维费审核 (R-OM-2, 第二十五条): FIN turns an application down, with its reason.
public enum RejectOperationsFee: ProjectActionRule {
    public struct Payload: Decodable, Sendable {
        public var applicationNumber: Int
        public var reason: String
    }
    public static let spec = ActionSpec(
        "reject-operations-fee", "审核不通过运行维护经费申请", actors: [.fin], stages: [.operating], rule: "R-OM-2", article: "第二十五条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        p.operations.feeApplications.contains { $0.status == .pending }
            ? [] : [Violation(rule: "R-OM-2", article: "第二十五条", message: "没有待审核的运维费申请")]
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        if let v = Fields.text(x.reason, "reason", max: 5000) { return [v] }
        return OperationsFeeRules.pending(x.applicationNumber, p).1
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        let i = p.operations.feeApplications.firstIndex { $0.number == x.applicationNumber }!
        p.operations.feeApplications[i].status = .rejected
        p.operations.feeApplications[i].rejectionReason = x.reason
        p.operations.feeApplications[i].reviewedOn = ctx.today
        return "\(p.operations.feeApplications[i].year)年度运行维护经费申请审核不通过: \(x.reason)"
    }
}
