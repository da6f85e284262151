import Foundation

enum ConstructionActions {
    static let all: [AnyActionRule] = [
        AnyActionRule(RecordResponsibility.self), AnyActionRule(StartProcurement.self), AnyActionRule(RecordProcurement.self),
        AnyActionRule(RecordConstructionContract.self), AnyActionRule(RecordSupervisionContract.self),
        AnyActionRule(RecordConfidentialityAgreement.self), AnyActionRule(StartConstruction.self),
    ]
    static let contracting: Set<Stage> = [.procuring, .constructing]

    /// R-CON-5 (第十七条): once a 涉密 project is under construction, a 承建单位 or 监理单位 added by a
    /// new contract starts work the day it signs, so its 保密协议 must already be on record. Before
    /// construction, start-construction checks every party at once.
    static func agreementBeforeWork(_ party: ConfidentialityParty, named name: String, in p: ProjectRecord, field: String) -> Violation? {
        guard p.classified, p.constructionStartedOn != nil,
            !p.confidentialityAgreements.contains(where: { $0.binds(party, named: name) })
        else { return nil }
        return Violation(
            rule: "R-CON-5", article: "第十七条",
            message: "涉密项目已开工,新增\(party.chinese)「\(name)」须先签订保密协议并登记,方可登记其合同", field: field)
    }
}

/// R-CON-1 (第十二条): 项目实施机构 and 项目责任人.
public enum RecordResponsibility: ProjectActionRule {
    public typealias Payload = Responsibility
    public static let spec = ActionSpec(
        "record-responsibility", "确定实施机构和项目责任人", actors: [.unit],
        stages: [.approved, .procuring, .constructing, .suspended], rule: "R-CON-1", article: "第十二条")

    public static func check(_ x: Responsibility, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        [
            Fields.text(x.implementingAgency, "implementingAgency", max: 200),
            Fields.text(x.responsiblePerson, "responsiblePerson", max: 100),
            Fields.text(x.contactPhone, "contactPhone", max: 50),
        ].compactMap { $0 }
    }

    public static func apply(_ x: Responsibility, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.responsibility = x
        return "实施机构: \(x.implementingAgency),项目责任人: \(x.responsiblePerson)"
    }
}

/// 第十三条: procurement begins once the project is approved.
public enum StartProcurement: ProjectActionRule {
    public static let spec = ActionSpec(
        "start-procurement", "启动招标采购", actors: [.unit], stages: [.approved], rule: "R-CON-2", article: "第十三条")
    public static func check(_ x: EmptyPayload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] { [] }
    public static func apply(_ x: EmptyPayload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.stage = .procuring
        return "启动招标采购"
    }
}

/// R-CON-2 (第十三条, 第十四条, 第三十四条).
public enum RecordProcurement: ProjectActionRule {
    public struct Payload: Decodable, Sendable {
        public var category: ProcurementCategory
        public var method: ProcurementMethod
        public var amountFen: Int64
        public var supplier: String
        public var awardedOn: CivilDate
        public var items: [ProcuredItem]
    }
    public static let spec = ActionSpec(
        "record-procurement", "登记招标采购结果", actors: [.unit], stages: ConstructionActions.contracting, rule: "R-CON-2", article: "第十三条")

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = ctx.policy.checkAmount(Fen(x.amountFen), field: "amountFen") { c.add(v) }
        if let v = Fields.text(x.supplier, "supplier", max: 200) { c.add(v) }
        if let v = Fields.notFuture(x.awardedOn, "awardedOn", today: ctx.today) { c.add(v) }
        c.require(!x.items.isEmpty, .input("items", "请逐项登记采购内容及其自主知识产权、安全可靠情况"))
        for (i, item) in x.items.enumerated() {
            if let v = Fields.text(item.name, "items[\(i)].name", max: 200) { c.add(v) }
        }
        if !c.isEmpty { return c.violations }
        // 第十三条: works, and goods and services tied to works, go through 招标投标.
        if x.category == .works {
            c.require(
                x.method.isTendering, rule: "R-CON-2", article: "第十三条",
                "工程及与工程有关的货物、服务应采用招标方式(公开招标或邀请招标),不能采用「\(x.method.chinese)」", field: "method")
        }
        // 第十四条: 政府购买服务 is for services only.
        if x.method == .serviceProcurement {
            c.require(x.category == .services, rule: "R-CON-2", article: "第十四条", "政府购买服务只适用于服务类采购", field: "method")
        }
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.procurements.append(
            Procurement(
                number: p.procurements.count + 1, category: x.category, method: x.method, amount: Fen(x.amountFen),
                supplier: x.supplier, awardedOn: x.awardedOn, items: x.items))
        return "登记\(x.category.chinese)采购(\(x.method.chinese)),中标/成交供应商: \(x.supplier),金额\(Fen(x.amountFen).yuanText)"
    }
}

/// 建设合同 (R-CON-3, 第十五条): every one of the twelve clauses covered or marked not applicable with a reason.
public enum RecordConstructionContract: ProjectActionRule {
    public struct Payload: Decodable, Sendable {
        public var contractNumber: String
        public var contractor: String
        public var contractorOrganisationId: UUID?
        public var amountFen: Int64
        public var signedOn: CivilDate
        public var warrantyEnd: CivilDate
        public var clauses: [ClauseCoverage]
    }
    public static let spec = ActionSpec(
        "record-construction-contract", "登记建设合同", actors: [.unit], stages: ConstructionActions.contracting, rule: "R-CON-3", article: "第十五条"
    )

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = ctx.policy.checkAmount(Fen(x.amountFen), field: "amountFen") { c.add(v) }
        if let v = Fields.text(x.contractNumber, "contractNumber", max: 200) { c.add(v) }
        if let v = Fields.text(x.contractor, "contractor", max: 200) { c.add(v) }
        if let v = Fields.notFuture(x.signedOn, "signedOn", today: ctx.today) { c.add(v) }
        c.require(x.warrantyEnd > x.signedOn, .input("warrantyEnd", "免费维保期结束日期应晚于合同签订日期"))
        if !c.isEmpty { return c.violations }
        c.add(clauseViolations(x.clauses))
        if let v = ConstructionActions.agreementBeforeWork(.contractor, named: x.contractor, in: p, field: "contractor") { c.add(v) }
        return c.violations
    }

    /// Every missing clause, each named, so the unit can fix the contract in one pass.
    public static func clauseViolations(_ clauses: [ClauseCoverage]) -> [Violation] {
        var c = Checklist()
        for clause in ContractClause.allCases {
            let entry = clauses.last { $0.clause == clause }
            let reason = entry?.notApplicableReason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if entry?.covered == true { continue }
            if entry != nil && !reason.isEmpty { continue }
            c.add(
                Violation(
                    rule: "R-CON-3", article: "第十五条",
                    message: entry == nil
                        ? "建设合同未包含「\(clause.chinese)」条款"
                        : "建设合同的「\(clause.chinese)」条款标为不适用,须说明理由"))
        }
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.constructionContracts.append(
            ConstructionContract(
                number: p.constructionContracts.count + 1, contractNumber: x.contractNumber,
                contractor: x.contractor, contractorOrganisationId: x.contractorOrganisationId,
                amount: Fen(x.amountFen), signedOn: x.signedOn, warrantyEnd: x.warrantyEnd, clauses: x.clauses))
        return "登记建设合同\(x.contractNumber)(承建单位: \(x.contractor)),免费维保期至\(x.warrantyEnd.chinese)"
    }
}

/// 监理合同 (R-CON-4, 第十六条).
public enum RecordSupervisionContract: ProjectActionRule {
    public struct Payload: Decodable, Sendable {
        public var contractNumber: String
        public var supervisionFirm: String
        public var supervisionFirmOrganisationId: UUID?
        public var amountFen: Int64
        public var signedOn: CivilDate
    }
    public static let spec = ActionSpec(
        "record-supervision-contract", "登记监理合同", actors: [.unit], stages: ConstructionActions.contracting, rule: "R-CON-4", article: "第十六条")

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        let input = [
            ctx.policy.checkAmount(Fen(x.amountFen), field: "amountFen"), Fields.text(x.contractNumber, "contractNumber", max: 200),
            Fields.text(x.supervisionFirm, "supervisionFirm", max: 200), Fields.notFuture(x.signedOn, "signedOn", today: ctx.today),
        ].compactMap { $0 }
        if !input.isEmpty { return input }
        return [ConstructionActions.agreementBeforeWork(.supervisor, named: x.supervisionFirm, in: p, field: "supervisionFirm")].compactMap
        { $0 }
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.supervisionContracts.append(
            SupervisionContract(
                number: p.supervisionContracts.count + 1, contractNumber: x.contractNumber,
                supervisionFirm: x.supervisionFirm, supervisionFirmOrganisationId: x.supervisionFirmOrganisationId,
                amount: Fen(x.amountFen), signedOn: x.signedOn))
        return "登记监理合同\(x.contractNumber)(监理单位: \(x.supervisionFirm))"
    }
}

/// 保密协议 (R-CON-5, 第十七条).
public enum RecordConfidentialityAgreement: ProjectActionRule {
    public struct Payload: Decodable, Sendable {
        public var party: ConfidentialityParty
        public var partyName: String
        public var signedOn: CivilDate
    }
    public static let spec = ActionSpec(
        "record-confidentiality-agreement", "登记保密协议", actors: [.unit], stages: ConstructionActions.contracting, rule: "R-CON-5",
        article: "第十七条")

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        [Fields.text(x.partyName, "partyName", max: 200), Fields.notFuture(x.signedOn, "signedOn", today: ctx.today)].compactMap { $0 }
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.confidentialityAgreements.append(
            ConfidentialityAgreement(
                number: p.confidentialityAgreements.count + 1, party: x.party,
                partyName: x.partyName, signedOn: x.signedOn))
        return "登记\(x.party.chinese)保密协议(\(x.partyName))"
    }
}

/// 开工 (R-CON-1..5): what must be on record before construction starts.
public enum StartConstruction: ProjectActionRule {
    public struct Payload: Decodable, Sendable { public var startedOn: CivilDate }
    public static let spec = ActionSpec(
        "start-construction", "开工建设", actors: [.unit], stages: [.procuring], rule: "R-CON-1", article: "第十二条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        c.require(p.responsibility != nil, rule: "R-CON-1", article: "第十二条", "开工前须确定项目实施机构和项目责任人")
        c.require(!p.procurements.isEmpty, rule: "R-CON-2", article: "第十三条", "开工前须登记招标采购结果")
        c.require(!p.constructionContracts.isEmpty, rule: "R-CON-3", article: "第十五条", "开工前须与承建单位签订建设合同")
        c.require(!p.supervisionContracts.isEmpty, rule: "R-CON-4", article: "第十六条", "开工前须委托监理单位并登记监理合同")
        if p.classified {
            if p.constructionContracts.isEmpty {
                c.require(
                    p.confidentialityAgreements.contains { $0.party == .contractor }, rule: "R-CON-5", article: "第十七条",
                    "涉密项目开工前须登记承建单位签订的保密协议")
            }
            for (party, name) in p.partiesWithoutConfidentialityAgreement {
                c.add(
                    Violation(
                        rule: "R-CON-5", article: "第十七条",
                        message: name.isEmpty
                            ? "涉密项目开工前须登记\(party.chinese)签订的保密协议"
                            : "涉密项目开工前须登记\(party.chinese)「\(name)」签订的保密协议"))
            }
        }
        return c.violations
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        [Fields.notFuture(x.startedOn, "startedOn", today: ctx.today)].compactMap { $0 }
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.constructionStartedOn = x.startedOn
        p.stage = .constructing
        return "于\(x.startedOn.chinese)开工建设"
    }
}
