import Foundation

/// One kind of matter that waits on someone in the Measures' flow, who owns it, in which stages it
/// can arise, and where on the project page it is acted on. The agencies' kinds are decisions only
/// they take; the unit's are the steps without which the project does not move.
public enum MatterKind: String, CaseIterable, Sendable, Codable {
    // 市大数据局
    case reviewIntake  // 受理技术审查 (第七条)
    case reviewOpinion  // 出具技术审查意见 (第七条)
    // 市发展改革委 (项目审批部门)
    case reserveAdmission  // 报市政府批准列入储备库 (第八条)
    case annualPlan  // 列入年度政府投资计划 (第八条)
    case simpleContentRuling  // 认定建设内容单一、技术方案简单 (第九条)
    case approval  // 批复 (第十条)
    case fundPlan  // 下达资金计划 (第十一条)
    case incidentResponse  // 对严重逾期或投资重大损失要求限期整改 (第十八条)
    case changeFiling  // 确认变更备案 (第十九条)
    case changeApproval  // 审批变更 (第十九条)
    // 市财政局
    case disbursement  // 拨付建设资金 (第十一条)
    case operationsFee  // 审核运行维护经费 (第二十五条)
    // 市发展改革委、市财政局、市大数据局
    case acceptanceSignOff  // 竣工验收意见 (第二十一条)
    // 市大数据局
    case catalogRegistration  // 信息资源目录纳入共享交换平台 (第二十八条)
    // the agency that raised the finding
    case findingReview  // 审核整改情况,销号或升级处理 (第三十六条)
    // 项目单位
    case declaration  // 申报项目 (第七条)
    case resubmission  // 修改后重新申报 (第七条)
    case approvalApplication  // 提出项目审批申请 (第八条)
    case approvalDocument  // 提交下一审批环节的文件 (第八条、第九条)
    case acceptanceApplication  // 申请竣工验收 (第二十一条)
    case acceptanceReport  // 验收报告备案 (第二十一条)
    case rectificationReport  // 报送整改情况 (第三十五条、第三十六条)
    case urgeAnswer  // 答复催办 (第三十五条)

    /// Who must act. `findingReview` is further narrowed to the agency that raised the finding.
    public var owners: Set<OrganisationType> {
        switch self {
        case .reviewIntake, .reviewOpinion, .catalogRegistration: return [.bdb]
        case .reserveAdmission, .annualPlan, .simpleContentRuling, .approval, .fundPlan, .incidentResponse,
            .changeFiling, .changeApproval:
            return [.drc]
        case .disbursement, .operationsFee: return [.fin]
        case .acceptanceSignOff: return Set(AcceptanceActions.signingAgencies)
        case .findingReview: return Supervision.agencies
        case .declaration, .resubmission, .approvalApplication, .approvalDocument, .acceptanceApplication,
            .acceptanceReport, .rectificationReport, .urgeAnswer:
            return [.unit]
        }
    }

    /// The action that settles the matter on the project page (its form is `#action-<name>`), or nil
    /// when the page has no form for it: the annual plan is compiled and issued for many projects at
    /// once (年度计划), a document is submitted by the page's upload form.
    public var action: String? {
        switch self {
        case .reviewIntake: return "start-technical-review"
        case .reviewOpinion: return "issue-review-opinion"
        case .reserveAdmission: return "admit-to-reserve-pool"
        case .annualPlan, .approvalDocument: return nil
        case .simpleContentRuling: return "rule-on-simple-content"
        case .approval: return "approve-document"
        case .fundPlan: return "issue-fund-plan"
        case .incidentResponse: return "order-rectification"
        case .changeFiling: return "acknowledge-change-filing"
        case .changeApproval: return "approve-change"
        case .disbursement: return "disburse"
        case .operationsFee: return "approve-operations-fee"
        case .acceptanceSignOff: return "sign-off-acceptance"
        case .catalogRegistration: return "confirm-catalog-registration"
        case .findingReview: return "close-finding"
        case .declaration: return "declare"
        case .resubmission: return "resubmit"
        case .approvalApplication: return "apply-for-approval"
        case .acceptanceApplication: return "apply-for-acceptance"
        case .acceptanceReport: return "file-acceptance-report"
        case .rectificationReport: return "report-rectification"
        case .urgeAnswer: return "answer-urge"
        }
    }

    /// The fragment of the project page where the matter is acted on.
    public var anchor: String {
        switch self {
        case .annualPlan: return "facts-heading"
        case .approvalDocument: return "docs-heading"
        default: return "action-" + (action ?? "")
        }
    }

    /// The article of the Measures that puts the matter on its owner.
    public var article: String {
        switch self {
        case .reviewIntake, .reviewOpinion, .declaration, .resubmission: return "第七条"
        case .reserveAdmission, .annualPlan, .approvalApplication: return "第八条"
        case .simpleContentRuling, .approvalDocument: return "第九条"
        case .approval: return "第十条"
        case .fundPlan, .disbursement: return "第十一条"
        case .incidentResponse: return "第十八条"
        case .changeFiling, .changeApproval: return "第十九条"
        case .acceptanceSignOff, .acceptanceApplication, .acceptanceReport: return "第二十一条"
        case .operationsFee: return "第二十五条"
        case .catalogRegistration: return "第二十八条"
        case .findingReview: return "第三十六条"
        case .rectificationReport, .urgeAnswer: return "第三十五条"
        }
    }

    /// The stages in which the matter can arise: what a database filters on first.
    public var stages: Set<Stage> {
        switch self {
        case .annualPlan: return [.reserve]
        case .approvalDocument: return [.approving]
        case .fundPlan: return [.approved, .procuring, .constructing]
        case .findingReview, .rectificationReport, .urgeAnswer: return Supervision.stages
        default: return action.flatMap { Lifecycle.rule(named: $0)?.spec.stages } ?? []
        }
    }

    /// Whether the matter can arise in only a few stages (a step of the flow), rather than in nearly
    /// all of them (a supervision finding can be raised on a project in any stage).
    public var followsStage: Bool { ![.findingReview, .rectificationReport, .urgeAnswer].contains(self) }

    /// The kinds `organisation` owns.
    public static func owned(by organisation: OrganisationType) -> [MatterKind] {
        allCases.filter { $0.owners.contains(organisation) }
    }
}
