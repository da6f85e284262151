import Foundation

/// One matter waiting on the caller's organisation on one project: what it is (Chinese, with the
/// article) and where on the project page it is acted on.
public struct PendingMatter: Codable, Sendable, Hashable {
    public var kind: MatterKind
    public var title: String
    public var article: String
    /// The fragment of the project page (`/projects/{id}#anchor`).
    public var anchor: String
}

/// What waits on the caller's organisation on a project now. An agency's matter is a decision open
/// to it now (`Lifecycle.availableActions`) with something to decide on; a unit's is the step of the
/// flow the project waits on it for, shown even while a condition is unmet (the page lists them).
public enum PendingMatters {
    public static func of(_ p: ProjectRecord, _ ctx: DecisionContext) -> [PendingMatter] {
        guard p.isVisible(to: ctx.actor), ctx.actor.canAct else { return [] }
        return owed(p, ctx)
    }

    /// The same without asking whether the caller may see the project (WaitingOwners: whoever reads
    /// the answer applies the reader's own scope).
    static func owed(_ p: ProjectRecord, _ ctx: DecisionContext) -> [PendingMatter] {
        let organisation = ctx.actor.organisationType
        let kinds = MatterKind.owned(by: organisation).filter { $0.stages.contains(p.stage) }
        guard !kinds.isEmpty else { return [] }
        // As `Lifecycle.availableActions` answers for each, asked only of the actions these kinds
        // name: every write judges what waits on every organisation (WaitingOwners), and the other
        // actions of the stage are not asked about.
        let rule = { (action: String) in Lifecycle.rule(named: action).flatMap { $0.spec.stages.contains(p.stage) ? $0 : nil } }
        let allowed = { (action: String) in rule(action).map { Lifecycle.forbiddenReason($0.spec, ctx.actor, on: p) == nil } ?? false }
        let open = { (action: String) in
            rule(action).map { Lifecycle.forbiddenReason($0.spec, ctx.actor, on: p) == nil && $0.conditions(p, ctx).isEmpty } ?? false
        }
        return kinds.compactMap { kind -> PendingMatter? in
            guard let title = title(kind, p, ctx, open: open, allowed: allowed) else { return nil }
            return PendingMatter(kind: kind, title: title, article: kind.article, anchor: kind.anchor)
        }
    }

    /// The matter's title when it waits on the caller now, else nil.
    static func title(
        _ kind: MatterKind, _ p: ProjectRecord, _ ctx: DecisionContext,
        open: (String) -> Bool, allowed: (String) -> Bool
    ) -> String? {
        let action = kind.action ?? ""
        var next: DocumentKind? { ApprovalPath.next(for: p, ctx.policy) }
        switch kind {
        case .reviewIntake: return open(action) ? "受理技术审查" : nil
        case .reviewOpinion: return open(action) ? "出具技术审查意见" : nil
        case .reserveAdmission: return open(action) ? "报市政府批准列入政府投资项目储备库" : nil
        case .annualPlan:
            // No action on the project: DRC compiles the year's plan from the reserve pool and issues it.
            return p.stage == .reserve && ctx.actor.organisationType == .drc ? "编制年度政府投资计划,将项目列入\(p.planYear)年度计划" : nil
        case .simpleContentRuling:
            return p.simpleContentRequested && p.simpleContentRuling == nil && open(action) ? "认定是否建设内容单一、技术方案简单(项目单位已申请)" : nil
        case .approval:
            guard open(action), let next else { return nil }
            return "批复「\(next.chinese)」"
        case .fundPlan:
            // The first fund plan after approval; later ones follow construction progress, which the record does not say.
            return p.fundPlans.isEmpty && open(action) ? "下达资金计划(已批复,尚未下达资金计划)" : nil
        case .incidentResponse: return open(action) ? "处理严重逾期或投资重大损失报告,要求限期整改" : nil
        case .changeFiling:
            let filed = p.changes.filter { $0.status == .filed }.map { "第\($0.number)号" }
            return !filed.isEmpty && open(action) ? "确认变更备案(变更\(filed.joined(separator: "、")))" : nil
        case .changeApproval:
            guard let pending = p.pendingChange, open(action) else { return nil }
            return "审批变更(变更第\(pending.number)号)"
        case .disbursement: return open(action) ? "拨付建设资金(资金计划已下达、尚未拨付完毕)" : nil
        case .operationsFee:
            return p.operations.feeApplications.contains { $0.status == .pending } && open(action) ? "审核年度运行维护经费申请" : nil
        case .acceptanceSignOff:
            return !p.acceptanceSignOffs.contains { $0.agency == ctx.actor.organisationType } && open(action) ? "出具竣工验收意见" : nil
        case .catalogRegistration:
            return p.sharing.activeEntries.contains { !$0.involvesSecrets && $0.registration == nil } && open(action)
                ? "确认信息资源目录纳入共享交换平台" : nil
        case .findingReview:
            let own = Supervision.own(p, ctx).filter { $0.status == .reported }.map { "第\($0.number)号" }
            return !own.isEmpty && open(action) ? "审核整改意见\(own.joined(separator: "、"))的整改情况,销号或升级处理" : nil
        case .declaration: return allowed(action) ? "申报项目" : nil
        case .resubmission: return allowed(action) ? "按技术审查意见修改后重新申报" : nil
        case .approvalApplication:
            guard allowed(action) else { return nil }
            if let first = ApprovalPath.documents(for: p, ctx.policy).first, p.documents(of: first).isEmpty {
                return "提交「\(first.chinese)」并提出项目审批申请"
            }
            return "提出项目审批申请"
        case .approvalDocument:
            guard let next, p.documents(of: next).isEmpty, allowed("attach-document") else { return nil }
            return "提交「\(next.chinese)」,等待批复"
        case .acceptanceApplication: return allowed(action) ? "试运行结束后申请竣工验收" : nil
        case .acceptanceReport: return p.acceptanceReportFiling == nil && allowed(action) ? "将验收报告报市发展改革委、市财政局、市大数据局备案" : nil
        case .rectificationReport:
            let open = p.supervision.findings.filter { $0.status == .open }
            guard !open.isEmpty, allowed(action) else { return nil }
            let numbers = open.map { "第\($0.number)号" }.joined(separator: "、")
            let due = open.map(\.deadline).min().map { ",最早期限\($0.chinese)" } ?? ""
            return "报送整改意见\(numbers)的整改情况\(due)"
        case .urgeAnswer:
            let urges = p.supervision.unansweredUrges
            guard !urges.isEmpty, allowed(action) else { return nil }
            let what = urges.map { "\($0.agency.chinese)催办「\($0.matter)」" }.joined(separator: "、")
            let dates = urges.compactMap(\.answerBy)
            let due = dates.min().map { "," + (dates.count > 1 ? "最早答复期限" : "答复期限") + $0.chinese } ?? ""
            return "答复\(what)\(due)"
        }
    }
}
