import Foundation

/// What waits on an agency (市发展改革委、市财政局、市大数据局、市审计局): the catalog's decision steps
/// that only agencies take and that move a project on — 受理和出具技术审查意见 (第七条), 报市政府批准列入
/// 储备库 (第八条), 批复 (第十条), 拨付 (第十一条), 变更备案和批准 (第十九条), 竣工验收意见 (第二十一条),
/// 运维经费审核 (第二十五条), 信息资源目录纳入共享平台 (第二十八条). Discretionary powers open at any time
/// (监督检查, 处理措施, 认定政府常务会研究) are not a queue. A project waits on an agency when one of
/// these steps is open to it now (`Lifecycle.availableActions`), which only the project's stage can
/// make possible: `stages(for:)` is what a database filters on first.
public enum AgencyQueue {
    public static let decisionSteps: [String] = [
        "start-technical-review", "issue-review-opinion", "admit-to-reserve-pool", "approve-document",
        "acknowledge-change-filing", "approve-change", "disburse", "sign-off-acceptance",
        "approve-operations-fee", "confirm-catalog-registration",
    ]

    /// The decision steps `agency` takes, from the catalog.
    public static func steps(for agency: OrganisationType) -> [ActionSpec] {
        decisionSteps.compactMap { Lifecycle.rule(named: $0)?.spec }.filter { $0.actors.contains(agency) }
    }

    /// The stages in which a project can wait on `agency` (empty for units and vendors).
    public static func stages(for agency: OrganisationType) -> Set<Stage> {
        steps(for: agency).reduce(into: Set<Stage>()) { $0.formUnion($1.stages) }
    }

    /// The decision steps open to the caller's agency on `project` now, and with something to
    /// decide on.
    public static func waiting(_ project: ProjectRecord, _ ctx: DecisionContext) -> [ActionAvailability] {
        let agency = ctx.actor.organisationType
        let mine = Set(steps(for: agency).map(\.name))
        return Lifecycle.availableActions(project, ctx).filter {
            mine.contains($0.action) && $0.open && hasMatter($0.action, project, agency)
        }
    }

    /// Whether the record holds the matter a step decides. Some steps are open by stage alone —
    /// their object is named in the submission — so being open does not mean anything waits:
    /// a 变更备案 to acknowledge needs a filed change (第十九条), a 运维经费 decision a pending
    /// application (第二十五条), a 竣工验收意见 this agency's opinion still missing (第二十一条), a
    /// catalog confirmation an active shareable entry the platform does not hold (第二十八条).
    public static func hasMatter(_ step: String, _ p: ProjectRecord, _ agency: OrganisationType) -> Bool {
        switch step {
        case "acknowledge-change-filing": return p.changes.contains { $0.status == .filed }
        case "approve-change": return p.pendingChange != nil
        case "approve-operations-fee": return p.operations.feeApplications.contains { $0.status == .pending }
        case "sign-off-acceptance": return !p.acceptanceSignOffs.contains { $0.agency == agency }
        case "confirm-catalog-registration":
            return p.sharing.activeEntries.contains { !$0.involvesSecrets && $0.registration == nil }
        default: return true
        }
    }
}
