import Foundation
import ZhengxinCore

/// What `reports.leaf` (through `reports-body.leaf`) shows: the filters, one section per way of cutting the portfolio (two charts,
/// the table with the same figures, a CSV link), the totals and the overdue list.
struct ReportPageModel: Encodable, Sendable {
    struct Option: Encodable, Sendable {
        var value: String
        var label: String
        var selected: Bool
    }

    struct Row: Encodable, Sendable {
        var label: String
        var projects: Int
        var classifiedProjects: Int
        var requested: String
        var approved: String
        var planned: String
        var disbursed: String
        var share: String

        init(_ r: PortfolioRow) {
            label = r.label
            projects = r.projects
            classifiedProjects = r.classifiedProjects
            requested = r.money.requested.yuanText
            approved = r.money.approved.yuanText
            planned = r.money.planned.yuanText
            disbursed = r.money.disbursed.yuanText
            share = r.money.disbursedShareOfApproved ?? "—"
        }
    }

    struct Section: Encodable, Sendable {
        var id: String
        var title: String
        var groupHeading: String
        /// The number of projects, then the four money figures, as SVG markup (BarChart.svg).
        var charts: [String]
        var rows: [Row]
        var total: Row
        var csvHref: String
        var xlsxHref: String
    }

    var year: String
    var isAgency: Bool
    var units: [Option]
    var scopeText: String
    var total: Row
    var classifiedProjects: Int
    var sections: [Section]
    var overdue: [PortfolioQuery.OverdueItem]
    var overdueTotal: Int
    var overdueShown: Int
    var overdueFileLimit = PortfolioQuery.overdueInFile
    var overdueCsvHref: String
    var overdueXlsxHref: String
    var risk: RiskSectionModel

    init(
        report: PortfolioReport, overdue: [PortfolioQuery.OverdueItem], overdueTotal: Int, risks: RiskDistribution,
        filter: PortfolioQuery.Filter, actor: Actor, unitNames: [String: String]
    ) {
        let query = ReportPageModel.queryString(filter, agency: actor.organisationType.seesAllProjects)
        year = filter.planYear.map(String.init) ?? ""
        isAgency = actor.organisationType.seesAllProjects
        units = unitNames.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map { id, name in
            Option(value: id, label: name, selected: filter.unitId?.uuidString == id)
        }
        let unitText = isAgency ? (filter.unitId.map { unitNames[$0.uuidString] ?? "所选单位" } ?? "全市各单位") : "本单位"
        scopeText = unitText + (filter.planYear.map { "·\($0)年度计划" } ?? "·全部年度")
        total = Row(report.total)
        classifiedProjects = report.total.classifiedProjects
        sections = PortfolioDimension.allCases.map { d in
            Section(
                id: d.rawValue, title: "项目\(d.chinese)", groupHeading: d.groupHeading,
                charts: [report.countChart(d).svg, report.moneyChart(d).svg], rows: report.rows(d).map(Row.init),
                total: Row(report.total),
                csvHref: "/reports/\(d.csvName).csv" + query, xlsxHref: "/reports/\(d.csvName).xlsx" + query)
        }
        self.overdue = overdue
        self.overdueTotal = overdueTotal
        overdueShown = overdue.count
        overdueCsvHref = "/reports/overdue.csv" + query
        overdueXlsxHref = "/reports/overdue.xlsx" + query
        risk = RiskSectionModel(risks, unitNames: unitNames, isAgency: isAgency, planYear: filter.planYear)
    }

    /// "?year=2026&unit=…" carrying the filters to the CSV links ("" without filters).
    static func queryString(_ f: PortfolioQuery.Filter, agency: Bool) -> String {
        var items: [URLQueryItem] = []
        if let y = f.planYear { items.append(URLQueryItem(name: "year", value: String(y))) }
        if agency, let u = f.unitId { items.append(URLQueryItem(name: "unit", value: u.uuidString)) }
        guard !items.isEmpty else { return "" }
        var c = URLComponents()
        c.queryItems = items
        return c.percentEncodedQuery.map { "?" + $0 } ?? ""
    }
}

extension PortfolioQuery.OverdueItem {
    /// The overdue list as CSV (same columns as the page).
    static func csv(_ items: [PortfolioQuery.OverdueItem]) -> CSVDocument {
        CSVDocument(
            header: ["项目编号", "项目名称", "项目单位", "逾期事项", "期限", "规则", "依据条款", "说明"],
            rows: items.map { i in
                [
                    .text(i.code), .text(i.name), .text(i.unitName), .text(i.kindTitle), .text(i.dueOn), .text(i.rule), .text(i.article),
                    .text(i.message),
                ]
            })
    }
}
