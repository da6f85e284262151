import Foundation

/// R-CON-1 (第十二条): 项目法人责任制.
public struct Responsibility: Codable, Sendable, Hashable {
    public var implementingAgency: String
    public var responsiblePerson: String
    public var contactPhone: String
}

/// 第十三条, 第十四条: what is bought decides the legal route.
public enum ProcurementCategory: String, Codable, Sendable, CaseIterable {
    case works  // 工程 (and goods/services tied to the works)
    case goods  // 货物
    case services  // 服务

    public var chinese: String {
        switch self {
        case .works: return "工程"
        case .goods: return "货物"
        case .services: return "服务"
        }
    }
}

public enum ProcurementMethod: String, Codable, Sendable, CaseIterable {
    case publicTender  // 公开招标 (招标投标)
    case invitedTender  // 邀请招标 (招标投标)
    case competitiveNegotiation  // 竞争性谈判 (政府采购)
    case competitiveConsultation  // 竞争性磋商 (政府采购)
    case singleSource  // 单一来源采购 (政府采购)
    case requestForQuotation  // 询价 (政府采购)
    case serviceProcurement  // 政府购买服务

    public var chinese: String {
        switch self {
        case .publicTender: return "公开招标"
        case .invitedTender: return "邀请招标"
        case .competitiveNegotiation: return "竞争性谈判"
        case .competitiveConsultation: return "竞争性磋商"
        case .singleSource: return "单一来源采购"
        case .requestForQuotation: return "询价"
        case .serviceProcurement: return "政府购买服务"
        }
    }

    public var isTendering: Bool { self == .publicTender || self == .invitedTender }
}

/// 第三十四条: the product classes whose secure-and-controllable status acceptance looks at.
public enum ProductClass: String, Codable, Sendable, CaseIterable {
    case securityProduct  // 信息安全设备
    case coreNetworkEquipment  // 核心网络设备
    case basicSoftware  // 基础软件
    case systemSoftware  // 系统软件
    case applicationSoftware  // 业务应用软件
    case otherHardware  // 其他硬件
    case service  // 服务

    public var isKeyProduct: Bool { self != .otherHardware && self != .service }
}

public struct ProcuredItem: Codable, Sendable, Hashable {
    public var name: String
    public var productClass: ProductClass
    public var domesticIP: Bool  // 自主知识产权 (第十四条)
    public var secureAndControllable: Bool  // 安全可靠 (第三十四条)
}

/// R-CON-2: one procurement (招标采购).
public struct Procurement: Codable, Sendable, Hashable {
    public var number: Int
    public var category: ProcurementCategory
    public var method: ProcurementMethod
    public var amount: Fen
    public var supplier: String
    public var awardedOn: CivilDate
    public var items: [ProcuredItem]
}

/// 第十五条: the twelve clauses every construction contract must cover.
public enum ContractClause: String, Codable, Sendable, CaseIterable {
    case constructionStandards  // 工程建设标准
    case technicalSpecifications  // 技术规范
    case schedule  // 工程进度安排
    case equipmentSpecification  // 设备型号、数量、配置和价格
    case equipmentDelivery  // 设备到货、安装和调试时间
    case acceptanceRequirements  // 验收要求
    case operatorTraining  // 操作人员培训
    case paymentTerms  // 付款方式
    case technicalDocumentation  // 技术文档要求
    case warrantyPeriod  // 保修期限
    case afterSalesService  // 售后服务
    case liabilityForBreach  // 违约责任

    public var chinese: String {
        switch self {
        case .constructionStandards: return "工程建设标准"
        case .technicalSpecifications: return "技术规范"
        case .schedule: return "工程进度安排"
        case .equipmentSpecification: return "设备型号、数量、配置和价格"
        case .equipmentDelivery: return "设备到货、安装和调试时间"
        case .acceptanceRequirements: return "验收要求"
        case .operatorTraining: return "操作人员培训"
        case .paymentTerms: return "付款方式"
        case .technicalDocumentation: return "技术文档要求"
        case .warrantyPeriod: return "保修期限"
        case .afterSalesService: return "售后服务"
        case .liabilityForBreach: return "违约责任"
        }
    }
}

/// How the contract treats one clause: covered, or not applicable with a reason.
public struct ClauseCoverage: Codable, Sendable, Hashable {
    public var clause: ContractClause
    public var covered: Bool
    public var notApplicableReason: String?
}

/// 建设合同 (R-CON-3).
public struct ConstructionContract: Codable, Sendable, Hashable {
    public var number: Int
    public var contractNumber: String
    public var contractor: String
    public var contractorOrganisationId: UUID?
    public var amount: Fen
    public var signedOn: CivilDate
    public var warrantyEnd: CivilDate
    public var clauses: [ClauseCoverage]
}

/// 监理合同 (R-CON-4, 第十六条).
public struct SupervisionContract: Codable, Sendable, Hashable {
    public var number: Int
    public var contractNumber: String
    public var supervisionFirm: String
    public var supervisionFirmOrganisationId: UUID?
    public var amount: Fen
    public var signedOn: CivilDate
}

/// Who signs a 保密协议 (第十七条): the unit, each 承建单位, and each 监理单位 — the 监理 supervises the
/// works and so sees what the contractor sees.
public enum ConfidentialityParty: String, Codable, Sendable, CaseIterable {
    case unit  // 项目单位
    case contractor  // 承建单位
    case supervisor  // 监理单位

    public var chinese: String {
        switch self {
        case .unit: return "项目单位"
        case .contractor: return "承建单位"
        case .supervisor: return "监理单位"
        }
    }
}

/// 保密协议 (R-CON-5, 第十七条).
public struct ConfidentialityAgreement: Codable, Sendable, Hashable {
    public var number: Int
    public var party: ConfidentialityParty
    public var partyName: String
    public var signedOn: CivilDate

    /// Whether this agreement binds the named party: the same kind of party and the same name,
    /// ignoring spaces (全角 or not) that a typed name may carry.
    public func binds(_ party: ConfidentialityParty, named name: String) -> Bool {
        self.party == party && Self.normalised(partyName) == Self.normalised(name)
    }

    static func normalised(_ name: String) -> String {
        String(name.unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init))
    }
}

extension ProjectRecord {
    /// R-CON-5 (第十七条): the parties of a 涉密 project that must have signed a 保密协议 and have not,
    /// as (party, name): the unit, every 承建单位 of a construction contract, every 监理单位.
    public var partiesWithoutConfidentialityAgreement: [(party: ConfidentialityParty, name: String)] {
        guard classified else { return [] }
        var missing: [(ConfidentialityParty, String)] = []
        if !confidentialityAgreements.contains(where: { $0.party == .unit }) { missing.append((.unit, "")) }
        var seen: Set<String> = []
        for contract in constructionContracts where seen.insert("c|" + ConfidentialityAgreement.normalised(contract.contractor)).inserted {
            if !confidentialityAgreements.contains(where: { $0.binds(.contractor, named: contract.contractor) }) {
                missing.append((.contractor, contract.contractor))
            }
        }
        for contract in supervisionContracts
        where seen.insert("s|" + ConfidentialityAgreement.normalised(contract.supervisionFirm)).inserted {
            if !confidentialityAgreements.contains(where: { $0.binds(.supervisor, named: contract.supervisionFirm) }) {
                missing.append((.supervisor, contract.supervisionFirm))
            }
        }
        return missing
    }
}

/// 第十八条: serious delay or major investment loss, and DRC's answer (R-INC-1).
public enum IncidentKind: String, Codable, Sendable, CaseIterable {
    case seriousDelay  // 工程严重逾期
    case majorLoss  // 投资重大损失

    public var chinese: String { self == .seriousDelay ? "工程严重逾期" : "投资重大损失" }
}

public struct IncidentReport: Codable, Sendable, Hashable {
    public var number: Int
    public var kind: IncidentKind
    public var description: String
    public var occurredOn: CivilDate
    public var reportedOn: CivilDate
    public var response: IncidentResponse?
}

public struct IncidentResponse: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable { case rectification, suspension }
    public var kind: Kind
    public var requirements: String
    public var deadline: CivilDate?
    public var decidedOn: CivilDate
    /// A rectification that did not help: the day construction was suspended on this report after its
    /// deadline (第十八条). Nil otherwise, and then not written (records stored before keep their bytes).
    public var escalatedOn: CivilDate? = nil
}
