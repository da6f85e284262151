/// 第十九条: whether a change may be made by the unit and filed (R-CHG-2), and if not, why it
/// needs DRC re-approval (R-CHG-3). Pure arithmetic on fen; no floating point.
public enum ChangeRules {
    /// Every condition of filing that the proposed change fails. Empty means filing is allowed.
    public static func filingObstacles(
        newTotal: Fen, adjusted: Fen, goalsUnchanged: Bool, reason: ChangeReason,
        project p: ProjectRecord, _ policy: Policy
    ) -> [Violation] {
        var c = Checklist()
        let budget = p.approvedBudget ?? .zero
        c.require(
            newTotal <= budget, rule: "R-CHG-2", article: "第十九条",
            "调整后总投资\(newTotal.yuanText)超出概算总投资\(budget.yuanText)")
        c.require(goalsUnchanged, rule: "R-CHG-2", article: "第十九条", "建设目标发生变化")
        // Against splitting: this change plus all earlier filed ones, 100 × adjusted ≤ 15 × budget.
        let earlier = p.filedChanges.map(\.adjustedAmount).total() ?? Fen(Int64.max)
        let cumulative = earlier.adding(adjusted) ?? Fen(Int64.max)
        let (lhs, o1) = cumulative.value.multipliedReportingOverflow(by: 100)
        let (rhs, o2) = budget.value.multipliedReportingOverflow(by: policy.changeFilingPercent)
        c.require(
            !o1 && !o2 && lhs <= rhs, rule: "R-CHG-2", article: "第十九条",
            "资金调整数额累计\(cumulative.yuanText)(本次\(adjusted.yuanText),此前已备案\(earlier.yuanText))超过概算总投资的\(policy.changeFilingPercent)%")
        c.require(reason.permitsFiling, rule: "R-CHG-2", article: "第十九条", "调整理由不属于第十九条所列三种情形")
        return c.violations
    }

    /// 第十九条 caps the 资金调整数额 of a filed change at 15% of the 概算; a change of the total investment
    /// moves at least that much money, so the amount declared may not be less than the total's rise or
    /// fall. Else a unit could declare 0 and file a change that cuts or raises the total by any share
    /// of the budget, and the cumulative 15% test would count nothing. The total moves from what is in
    /// force: the 概算 where DRC approved less than the unit asked (its cut is not the unit's change).
    public static func adjustedCoversTotal(newTotal: Fen, adjusted: Fen, _ p: ProjectRecord) -> Violation? {
        let from = min(p.totalInvestment, p.approvedBudget ?? p.totalInvestment)
        let moved = newTotal >= from ? newTotal.subtracting(from) : from.subtracting(newTotal)
        // Amounts are checked first (Policy.checkAmount), so the difference of two cannot overflow;
        // were it to, the change is refused as the 15% test refuses an overflow.
        guard let moved else { return Violation(rule: "R-CHG-2", article: "第十九条", message: "调整金额超出范围", field: "adjustedAmountFen") }
        guard adjusted < moved else { return nil }
        return Violation(
            rule: "R-CHG-2", article: "第十九条",
            message: "资金调整数额\(adjusted.yuanText)少于总投资的增减额\(moved.yuanText)(由\(from.yuanText)调整为\(newTotal.yuanText)):调整数额至少为总投资的增减额",
            field: "adjustedAmountFen")
    }
}
