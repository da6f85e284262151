extension RiskAssessment {
    /// The first day after `today` on which `rate` could answer differently through time alone that
    /// `DeadlineHorizon.nextChange` does not already name: a fund plan reaching `disbursementLagDays`
    /// (第十一条). Every other input of the rating is a deadline of `DeadlineScan` or the record
    /// itself, so the daily scan, which visits a project at its deadline horizon or when it is
    /// written, re-rates it then too. Nil when no fund plan lies ahead of the lag.
    public static func nextChange(for p: ProjectRecord, today: CivilDate) -> CivilDate? {
        p.fundPlans.map { $0.issuedOn.addingDays(disbursementLagDays) }.filter { $0 > today }.min()
    }
}
