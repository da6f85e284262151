/// R-ACC-1, R-ACC-4 (第二十一条, 第二十二条): the 6-month acceptance clock from 建成.
public enum AcceptanceClock {
    /// The last day on which acceptance is on time: completion + the policy's months, to the day.
    public static func deadline(_ p: ProjectRecord, _ policy: Policy) -> CivilDate? {
        p.completedOn?.addingMonths(policy.acceptanceWindowMonths)
    }

    /// 逾期未验收: built, not accepted, and past the deadline.
    public static func isOverdue(_ p: ProjectRecord, today: CivilDate, _ policy: Policy) -> Bool {
        guard p.stage.awaitsAcceptance, let deadline = deadline(p, policy) else { return false }
        return today > deadline
    }

    public static func overdueViolation(_ p: ProjectRecord, _ ctx: DecisionContext, rule: String) -> Violation? {
        guard isOverdue(p, today: ctx.today, ctx.policy), let deadline = deadline(p, ctx.policy) else { return nil }
        return Violation(
            rule: rule, article: "第二十二条",
            message: "项目于\(p.completedOn!.chinese)建成,应于\(deadline.chinese)前完成竣工验收,现已逾期未验收,不得拨付后续建设资金和运行维护经费")
    }
}
