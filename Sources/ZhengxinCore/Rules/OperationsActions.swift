import Foundation

/// 运行维护 (第二十三条 to 第二十五条).
enum OperationsActions {
    static let all: [AnyActionRule] = [
        AnyActionRule(StartOperations.self), AnyActionRule(ChangeOperationsArrangement.self),
        AnyActionRule(ApplyForOperationsFee.self), AnyActionRule(ApproveOperationsFee.self), AnyActionRule(RejectOperationsFee.self),
    ]
}

/// The body of start-operations and change-operations-arrangement: 运行维护机构, 运维制度, mode.
public struct OperationsArrangementPayload: Decodable, Sendable {
    public struct NewProcurement: Decodable, Sendable {
        public var method: ProcurementMethod
        public var supplier: String
        public var amountFen: Int64
        public var awardedOn: CivilDate
        public var contractNumber: String
    }
    public var organisation: String
    public var rules: String
    public var mode: OperationsMode
    public var entrustedInstitution: String?
    /// 外包运维: a services procurement already on the project …
    public var procurementNumber: Int?
    /// … or the O&M procurement itself.
    public var procurement: NewProcurement?
    public var effectiveFrom: CivilDate
}

/// R-OM-1 (第二十三条, 第二十四条): what every arrangement must say, by mode.
enum OperationsArrangementRules {
    static func check(_ x: OperationsArrangementPayload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Fields.text(x.organisation, "organisation", max: 200) { c.add(v) }
        if let v = Fields.text(x.rules, "rules", max: 5000) { c.add(v) }
        if let v = Fields.notFuture(x.effectiveFrom, "effectiveFrom", today: ctx.today) { c.add(v) }
        if let accepted = p.acceptedOn {
            c.require(x.effectiveFrom >= accepted, .input("effectiveFrom", "运行维护不能早于竣工验收日期\(accepted.chinese)"))
        }
        c.require(x.procurementNumber == nil || x.procurement == nil, .input("procurement", "已引用采购记录(procurementNumber),不能同时另行登记采购"))
        if let e = x.entrustedInstitution, let v = Fields.text(e, "entrustedInstitution", max: 200) { c.add(v) }
        if let n = x.procurement {
            if let v = Fields.text(n.supplier, "procurement.supplier", max: 200) { c.add(v) }
            if let v = Fields.text(n.contractNumber, "procurement.contractNumber", max: 200) { c.add(v) }
            if let v = ctx.policy.checkAmount(Fen(n.amountFen), field: "procurement.amountFen") { c.add(v) }
            if let v = Fields.notFuture(n.awardedOn, "procurement.awardedOn", today: ctx.today) { c.add(v) }
        }
        if !c.isEmpty { return c.violations }
        switch x.mode {
        case .selfManaged:
            break
        case .centralized:
            // 第二十四条: "应委托符合有关规定的机构负责运行维护".
            c.require(
                x.entrustedInstitution != nil, rule: "R-OM-1", article: "第二十四条",
                "集中运维须写明受委托负责运行维护的机构", field: "entrustedInstitution")
        case .outsourced:
            // 第二十四条: "采用外包运行维护方式的,应进行政府采购".
            if let number = x.procurementNumber {
                let found = p.procurements.first { $0.number == number }
                c.require(
                    found?.category == .services, rule: "R-OM-1", article: "第二十四条",
                    found == nil ? "本项目没有编号为\(number)的采购记录" : "采购记录\(number)为\(found!.category.chinese)类,外包运维须为服务类政府采购",
                    field: "procurementNumber")
            } else {
                c.require(
                    x.procurement != nil, rule: "R-OM-1", article: "第二十四条",
                    "采用外包运行维护方式的,应进行政府采购:请引用服务类采购记录或登记运维服务采购结果", field: "procurement")
            }
        }
        return c.violations
    }

    static func arrangement(_ x: OperationsArrangementPayload, _ p: ProjectRecord, _ ctx: DecisionContext) -> OperationsArrangement {
        var bought: OperationsProcurement?
        if x.mode == .outsourced {
            if let number = x.procurementNumber, let found = p.procurements.first(where: { $0.number == number }) {
                bought = OperationsProcurement(
                    procurementNumber: number, method: found.method, supplier: found.supplier,
                    amount: found.amount, awardedOn: found.awardedOn, contractNumber: nil)
            } else if let n = x.procurement {
                bought = OperationsProcurement(
                    procurementNumber: nil, method: n.method, supplier: n.supplier, amount: Fen(n.amountFen),
                    awardedOn: n.awardedOn, contractNumber: n.contractNumber)
            }
        }
        return OperationsArrangement(
            number: p.operations.arrangements.count + 1, organisation: x.organisation, rules: x.rules, mode: x.mode,
            entrustedInstitution: x.mode == .centralized ? x.entrustedInstitution : nil, procurement: bought,
            effectiveFrom: x.effectiveFrom, recordedOn: ctx.today)
    }

    static func summary(_ a: OperationsArrangement) -> String {
        var text = "运行维护机构: \(a.organisation),方式: \(a.mode.chinese)"
        if let e = a.entrustedInstitution { text += "(受托机构: \(e))" }
        if let b = a.procurement { text += "(\(b.method.chinese),\(b.supplier),\(b.amount.yuanText))" }
        return text
    }
}

/// 运行维护 (R-OM-1, 第二十三条 项目单位负责制): once accepted and the acceptance report filed with the
/// three agencies (第二十一条, the last act of acceptance), the unit names its O&M organisation, rules
/// and mode, and the project is in operation.
public enum StartOperations: ProjectActionRule {
    public typealias Payload = OperationsArrangementPayload
    public static let spec = ActionSpec(
        "start-operations", "登记运行维护并转入运行维护", actors: [.unit], stages: [.accepted], rule: "R-OM-1", article: "第二十三条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        c.require(
            p.acceptanceReportFiling != nil, rule: "R-ACC-3", article: "第二十一条",
            "验收完成后须先将验收报告报市发展改革委、市财政局、市大数据局备案,再转入运行维护")
        return c.violations
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        OperationsArrangementRules.check(x, p, ctx)
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        let a = OperationsArrangementRules.arrangement(x, p, ctx)
        p.operations.arrangements.append(a)
        p.operations.startedOn = x.effectiveFrom
        p.stage = .operating
        return "自\(x.effectiveFrom.chinese)转入运行维护。" + OperationsArrangementRules.summary(a)
    }
}

/// R-OM-1 (第二十四条): a new O&M organisation, rules or mode during operation; the old one stays on record.
public enum ChangeOperationsArrangement: ProjectActionRule {
    public typealias Payload = OperationsArrangementPayload
    public static let spec = ActionSpec(
        "change-operations-arrangement", "变更运行维护安排", actors: [.unit], stages: [.operating], rule: "R-OM-1", article: "第二十四条")

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        c.add(OperationsArrangementRules.check(x, p, ctx))
        if let current = p.operations.current {
            c.require(
                x.effectiveFrom >= current.effectiveFrom, .input("effectiveFrom", "变更日期不能早于现行运维安排的起始日期\(current.effectiveFrom.chinese)"))
        }
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        let a = OperationsArrangementRules.arrangement(x, p, ctx)
        p.operations.arrangements.append(a)
        return "自\(x.effectiveFrom.chinese)变更运行维护安排。" + OperationsArrangementRules.summary(a)
    }
}
