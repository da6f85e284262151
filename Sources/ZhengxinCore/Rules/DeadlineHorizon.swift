/// 期限提醒: the first day after `today` on which `DeadlineScan.deadlines` for a project
/// could answer differently, the record being unchanged. The daily scan (第七条, 第十八条, 第二十条,
/// 第二十二条, 第二十五条, 第三十二条, 第三十三条, 第三十五条, 第三十六条) need not look at a project again before
/// that day unless it is written: between its breakpoints the scan's answer is constant.
///
/// The answer depends on `today` only through these comparisons, each against a date fixed by the
/// record and its governing policy:
/// - a deadline D becomes 即将到期 at D − lead, 到期 at D (trial run) and 逾期 at D + 1;
/// - the O&M fee year (第二十五条) moves with the calendar year: 1 January;
/// - a draft not yet declared follows the policy in force today: a version's effective date.
/// Every such date is a candidate (a superset costs only an earlier look); the earliest after
/// `today` is returned, nil when none lies ahead (nothing can change without a write).
public enum DeadlineHorizon {
    public static func nextChange(
        for p: ProjectRecord, today: CivilDate, book: PolicyBook,
        leadDays: Int = DeadlineScan.defaultLeadDays
    ) -> CivilDate? {
        let policy = book.governing(p, today: today)
        var dues: [CivilDate] = []
        dues.append(policy.declarationDeadline(planYear: p.planYear).beijingDate)
        if let run = p.trialRun { dues.append(run.end) }
        if let due = AcceptanceClock.deadline(p, policy) { dues.append(due) }
        dues += p.incidents.compactMap { $0.response?.deadline }
        dues += p.supervision.findings.map(\.deadline)
        dues += p.supervision.unansweredUrges.compactMap(\.answerBy)
        if let due = SecurityDeadlines.nextGradedProtectionAssessment(p, policy) { dues.append(due) }
        if let due = SecurityDeadlines.nextCryptoAssessment(p, policy) { dues.append(due) }
        if let due = PerformanceDeadlines.evaluationDue(p, policy) { dues.append(due) }

        var candidates = dues.flatMap { [$0.addingDays(-leadDays), $0, $0.addingDays(1)] }
        if p.stage == .operating { candidates.append(CivilDate(today.year + 1, 1, 1)) }
        if p.declaredAt == nil || book.version(id: p.policyId) == nil { candidates += book.versions.map(\.effectiveFrom) }
        return candidates.filter { $0 > today }.min()
    }
}
