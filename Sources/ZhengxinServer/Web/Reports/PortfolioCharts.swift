import ZhengxinCore

/// The report's charts: for each way of cutting the portfolio, the number of projects and the four
/// money figures (申报 / 批复 / 资金计划 / 拨付) as grouped bars.
extension PortfolioReport {
    static let moneySeries: [BarChart.Series] = [
        .init(name: "申报总投资", colour: "#7b93b8"),
        .init(name: "批复概算", colour: "#1f3a5f"),
        .init(name: "资金计划", colour: "#b26a00"),
        .init(name: "已拨付", colour: "#2e7d32"),
    ]

    func countChart(_ d: PortfolioDimension) -> BarChart {
        let rows = rows(d)
        return BarChart(
            id: "chart-\(d.rawValue)-count", title: "项目数\(d.chinese)", categories: rows.map(\.label),
            series: [.init(name: "项目数", colour: "#1f3a5f")], values: rows.map { [Int64($0.projects)] }, kind: .count)
    }

    func moneyChart(_ d: PortfolioDimension) -> BarChart {
        let rows = rows(d)
        return BarChart(
            id: "chart-\(d.rawValue)-money", title: "资金\(d.chinese)(涉密项目金额不计入)", categories: rows.map(\.label),
            series: Self.moneySeries,
            values: rows.map { [$0.money.requested.value, $0.money.approved.value, $0.money.planned.value, $0.money.disbursed.value] },
            kind: .money)
    }
}
