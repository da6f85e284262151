import Foundation

/// 运行维护方式 (第二十四条): 自管, 集中运维 or 外包运维.
public enum OperationsMode: String, Codable, Sendable, CaseIterable {
    case selfManaged  // 项目单位自管
    case centralized  // 集中运维: entrusted to a qualified institution
    case outsourced  // 外包运维: bought through government procurement

    public var chinese: String {
        switch self {
        case .selfManaged: return "项目单位自管"
        case .centralized: return "集中运维"
        case .outsourced: return "外包运维"
        }
    }
}

/// 第二十四条 "采用外包运行维护方式的,应进行政府采购": the procurement behind outsourced O&M.
/// Either a services procurement already on the project (`procurementNumber`) or one recorded with
/// the arrangement, since O&M is usually bought after acceptance, when record-procurement is closed.
public struct OperationsProcurement: Codable, Sendable, Hashable {
    public var procurementNumber: Int?
    public var method: ProcurementMethod
    public var supplier: String
    public var amount: Fen
    public var awardedOn: CivilDate
    public var contractNumber: String?
}

/// 运行维护机构, 运维制度 and mode (R-OM-1, 第二十三条, 第二十四条). Each change is a new arrangement;
/// the last one is in force.
public struct OperationsArrangement: Codable, Sendable, Hashable {
    public var number: Int
    public var organisation: String
    public var rules: String
    public var mode: OperationsMode
    /// 集中运维: the institution entrusted with O&M.
    public var entrustedInstitution: String?
    /// 外包运维: the government procurement.
    public var procurement: OperationsProcurement?
    public var effectiveFrom: CivilDate
    public var recordedOn: CivilDate
}

public enum OperationsFeeStatus: String, Codable, Sendable, CaseIterable {
    case pending  // 待市财政局审核
    case approved  // 审核通过,列入部门年度预算
    case rejected  // 审核不通过

    public var chinese: String {
        switch self {
        case .pending: return "待审核"
        case .approved: return "已列入部门预算"
        case .rejected: return "审核不通过"
        }
    }
}

/// 运维费申请 (R-OM-2, 第二十五条): one year's O&M fee, applied for by the unit, reviewed by FIN.
public struct OperationsFeeApplication: Codable, Sendable, Hashable {
    public var number: Int
    public var year: Int
    public var requestedAmount: Fen
    /// 依据的标准 (第二十五条 "根据有关标准").
    public var basis: String
    public var appliedOn: CivilDate
    public var status: OperationsFeeStatus
    public var approvedAmount: Fen?
    /// 列入部门年度预算: the budget document or line the approved amount went into, for `year`.
    public var budgetReference: String?
    public var reviewedOn: CivilDate?
    public var rejectionReason: String?

    /// Counts against a new application for the same year: pending or approved.
    public var isLive: Bool { status != .rejected }
}

/// 运行维护 (第二十三条 to 第二十五条): what the project has on record for this part of the Measures.
public struct OperationsRecord: Codable, Sendable, Hashable {
    public var arrangements: [OperationsArrangement] = []
    public var startedOn: CivilDate?
    public var feeApplications: [OperationsFeeApplication] = []

    public init() {}

    /// The arrangement in force.
    public var current: OperationsArrangement? { arrangements.last }

    /// What FIN put into the department budget for `year` (第二十五条 "列入部门年度预算").
    public func budgeted(year: Int) -> Fen {
        feeApplications.filter { $0.year == year && $0.status == .approved }.compactMap(\.approvedAmount).total() ?? Fen(Int64.max)
    }

    enum CodingKeys: String, CodingKey { case arrangements, startedOn, feeApplications }

    /// Records stored before these fields existed decode as empty.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        arrangements = try c.decodeIfPresent([OperationsArrangement].self, forKey: .arrangements) ?? []
        startedOn = try c.decodeIfPresent(CivilDate.self, forKey: .startedOn)
        feeApplications = try c.decodeIfPresent([OperationsFeeApplication].self, forKey: .feeApplications) ?? []
    }
}
