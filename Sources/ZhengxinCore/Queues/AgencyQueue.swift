import Foundation

/// What waits on an organisation (市发展改革委、市财政局、市大数据局、市审计局, or a 项目单位), as a
/// database can look for it: the matters it owns (`MatterKind`) that follow the flow arise in a few
/// stages each, so those stages are what a list filters on first; a supervision finding
/// (第三十五条、第三十六条) can be raised in nearly any stage, so it is looked for among the projects
/// that changed last — a rectification report is a write to the project. Discretionary powers open at
/// any time (监督检查, 处理措施, 认定政府常务会研究) are not a queue.
public enum AgencyQueue {
    /// The stages in which a project can wait on `organisation` in the flow (empty for vendors).
    public static func stages(for organisation: OrganisationType) -> Set<Stage> {
        MatterKind.owned(by: organisation).filter(\.followsStage).reduce(into: Set<Stage>()) { $0.formUnion($1.stages) }
    }

    /// Whether `organisation` owns matters that do not follow the stage (supervision findings).
    public static func watchesFindings(_ organisation: OrganisationType) -> Bool {
        MatterKind.owned(by: organisation).contains { !$0.followsStage }
    }

    /// The matters waiting on the caller's organisation on `project` now.
    public static func waiting(_ project: ProjectRecord, _ ctx: DecisionContext) -> [PendingMatter] {
        PendingMatters.of(project, ctx)
    }
}
