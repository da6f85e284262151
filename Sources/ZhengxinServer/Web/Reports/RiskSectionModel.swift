import Foundation
import ZhengxinCore

/// The report's 风险等级分布 (RiskDistribution) as `reports-body.leaf` draws it: a bar chart of the
/// projects at each level, and a table of the same counts per unit, each count linking to the
/// ranked list (/risks) it summarises.
struct RiskSectionModel: Encodable, Sendable {
    struct Cell: Encodable, Sendable {
        var count: Int
        var href: String
    }

    struct Row: Encodable, Sendable {
        var label: String
        var cells: [Cell]
        var total: Int
    }

    var levelHeadings: [String]
    /// The projects at each level, as SVG markup (BarChart.svg).
    var chart: String
    var rows: [Row]
    var total: Row
    /// A unit sees its own row only; the per-unit table is for the agencies.
    var showsUnits: Bool

    init(_ distribution: RiskDistribution, unitNames: [String: String], isAgency: Bool, planYear: Int?) {
        let titles = (1...5).map { "\($0)级 \(RiskAssessment.levelTitles[$0 - 1])" }
        levelHeadings = titles
        func cells(_ counts: [Int], unit: UUID?) -> [Cell] {
            counts.enumerated().map { index, count in
                Cell(
                    count: count,
                    href: "/risks?level=\(index + 1)" + (unit.map { "&unitId=\($0.uuidString)" } ?? "")
                        + (planYear.map { "&year=\($0)" } ?? ""))
            }
        }
        chart =
            BarChart(
                id: "chart-risk-level", title: "各风险等级项目数", categories: titles, series: [.init(name: "项目数", colour: "#8a1c1c")],
                values: distribution.byLevel.map { [Int64($0)] }, kind: .count
            ).svg
        // Most high-risk projects first: where a leader looks.
        let ordered = distribution.units.sorted { a, b in
            let ka = (a.byLevel[4], a.byLevel[3], a.total)
            let kb = (b.byLevel[4], b.byLevel[3], b.total)
            return ka != kb ? ka > kb : a.unitId.uuidString < b.unitId.uuidString
        }
        rows = ordered.map { u in
            Row(label: unitNames[u.unitId.uuidString] ?? u.unitId.uuidString, cells: cells(u.byLevel, unit: u.unitId), total: u.total)
        }
        total = Row(label: "合计", cells: cells(distribution.byLevel, unit: nil), total: distribution.total)
        showsUnits = isAgency
    }
}
