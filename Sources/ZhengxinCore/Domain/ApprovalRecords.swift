import Foundation

/// 批复 (R-APP-2): document number, date and approved amount of one approval step.
public struct Approval: Codable, Sendable, Hashable {
    public var kind: DocumentKind
    public var documentNumber: String
    public var approvedOn: CivilDate
    public var approvedAmount: Fen
    public var approvedBy: UUID
}

/// R-APP-1 (第九条): DRC's ruling on a tier-2 project's 建设内容单一、技术方案简单 request.
public struct SimpleContentRuling: Codable, Sendable, Hashable {
    public var accepted: Bool
    public var reason: String
    public var ruledOn: CivilDate
}

/// 资金计划 (R-FUND-1): issued by DRC.
public struct FundPlan: Codable, Sendable, Hashable {
    public var number: Int
    public var amount: Fen
    public var documentNumber: String
    public var issuedOn: CivilDate
}

/// 拨付 (R-FUND-1): paid by FIN against issued fund plans.
public struct Disbursement: Codable, Sendable, Hashable {
    public var number: Int
    public var amount: Fen
    public var paidOn: CivilDate
    public var voucherNumber: String
}

/// 节余资金 (R-FUND-2): computed at acceptance, its return recorded by FIN.
public struct Surplus: Codable, Sendable, Hashable {
    public var amount: Fen
    public var computedOn: CivilDate
    public var returnedOn: CivilDate?
    public var returnedAmount: Fen?
    public var voucherNumber: String?
}
