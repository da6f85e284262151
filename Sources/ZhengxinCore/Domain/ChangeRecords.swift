import Foundation

/// 第十九条: the three situations in which a unit may adjust and file.
public enum ChangeReason: String, Codable, Sendable, CaseIterable {
    case newDeployment  // (一) 上级和市委、市政府新部署
    case technologyOptimisation  // (二) 信息技术发展新变化, 完善优化技术方案
    case scheduleAdjustment  // (三) 业务发展需要, 已批复框架下调整建设进度
    case other  // 不符合上述情形

    public var chinese: String {
        switch self {
        case .newDeployment: return "(一)根据上级和市委、市政府新部署,确需改变建设内容"
        case .technologyOptimisation: return "(二)根据信息技术发展新变化,确需完善优化技术方案"
        case .scheduleAdjustment: return "(三)根据业务发展需要,在已批复框架下调整建设进度"
        case .other: return "其他情形"
        }
    }

    public var permitsFiling: Bool { self != .other }
}

public enum ChangeRoute: String, Codable, Sendable {
    case filing  // 项目单位调整并备案 (R-CHG-2)
    case reApproval  // 报项目审批部门重新审批 (R-CHG-3)
}

public enum ChangeStatus: String, Codable, Sendable {
    case filed  // 已备案生效, awaiting DRC acknowledgement
    case acknowledged  // DRC 已确认备案
    case pendingApproval  // 待审批
    case approved  // 已批准生效
    case rejected  // 不予批准
}

/// 变更 (R-CHG-1..3).
public struct ChangeRequest: Codable, Sendable, Hashable {
    public var number: Int
    public var description: String
    public var reason: ChangeReason
    public var previousTotal: Fen
    public var newTotal: Fen
    /// 资金调整数额: the money moved between items or added, as the unit states it.
    public var adjustedAmount: Fen
    public var goalsUnchanged: Bool
    /// The 绩效目标 the change would put in force (R-GOAL-1): a change of 建设目标, so never filed.
    public var newPerformanceGoals: PerformanceGoals?
    public var route: ChangeRoute
    public var status: ChangeStatus
    /// Why filing was not possible, when routed to re-approval.
    public var reApprovalGrounds: [Violation]
    public var proposedOn: CivilDate
    public var decidedOn: CivilDate?
    public var documentNumber: String?
    public var newApprovedBudget: Fen?
    public var decisionNote: String?
}
