/// When the periodic security assessments fall due (R-SEC-1 第三十三条 等级测评, R-SEC-2 第三十二条 密评),
/// and what acceptance asks of security (R-SEC-1, R-SEC-2). Pure functions for the deadline scan.
public enum SecurityDeadlines {
    /// The last day by which the next 等级测评 must be done: the latest passing assessment (or, before
    /// any, the 定级备案 date) + the policy's months, to the day (clamped to the month's end). A failed
    /// assessment does not restart the clock: the system is still to be brought into line and re-assessed.
    /// nil when no periodic assessment applies: no filing yet, level below the policy's minimum, or a
    /// closed project.
    public static func nextGradedProtectionAssessment(_ p: ProjectRecord, _ policy: Policy) -> CivilDate? {
        let rules = policy.operationsSecurity
        guard !p.stage.isClosed, let filing = p.security.gradedProtection,
            filing.level >= rules.annualAssessmentMinimumLevel
        else { return nil }
        let base = p.security.lastPassedAssessment?.assessedOn ?? filing.filedOn
        return base.addingMonths(rules.gradedProtectionAssessmentMonths)
    }

    /// Overdue on `date`: past the due day, not on it.
    public static func isGradedProtectionAssessmentOverdue(_ p: ProjectRecord, _ policy: Policy, on date: CivilDate) -> Bool {
        nextGradedProtectionAssessment(p, policy).map { date > $0 } ?? false
    }

    /// The last day by which the next 密评 must be done: the latest passing 密评 (or, before any, the day
    /// the crypto system was built) + the policy's months. nil when the crypto system is not built yet,
    /// the graded-protection level is below the policy's minimum (or not filed), or the project is closed.
    public static func nextCryptoAssessment(_ p: ProjectRecord, _ policy: Policy) -> CivilDate? {
        let rules = policy.operationsSecurity
        guard !p.stage.isClosed, let level = p.security.gradedProtection?.level, level >= rules.cryptoAssessmentMinimumLevel,
            let built = p.security.crypto.built
        else { return nil }
        let lastPassed = p.security.crypto.assessments.filter { $0.result == .pass }.map(\.assessedOn).max()
        return (lastPassed ?? built.on).addingMonths(rules.cryptoAssessmentMonths)
    }

    public static func isCryptoAssessmentOverdue(_ p: ProjectRecord, _ policy: Policy, on date: CivilDate) -> Bool {
        nextCryptoAssessment(p, policy).map { date > $0 } ?? false
    }

    /// R-SEC-1/R-SEC-2 for apply-for-acceptance (第二十一条 with 第三十二条, 第三十三条). 三同步 always:
    /// crypto planned must be built before acceptance. With the policy's `securityRecordsBeforeAcceptance`,
    /// also the 等级保护 filing and the crypto "built" record for every project.
    public static func acceptanceConditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        let required = ctx.policy.operationsSecurity.securityRecordsBeforeAcceptance
        if required {
            c.require(p.security.gradedProtection != nil, rule: "R-SEC-1", article: "第三十三条", "尚未登记网络安全等级保护定级备案")
        }
        if required || p.security.crypto.planned != nil {
            c.require(
                p.security.crypto.built != nil, rule: "R-SEC-2", article: "第三十二条",
                "密码保障系统应与项目同步建设,申请竣工验收前须登记建设完成")
        }
        return c.violations
    }
}
