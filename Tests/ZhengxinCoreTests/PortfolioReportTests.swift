import Foundation
import Testing

@testable import ZhengxinCore

/// Portfolio roll-up (the /reports page): four tables from one set of aggregate cells, in a stable order,
/// 涉密 projects counted with their money left out (the server's SQL gives no money for them).
@Suite("Portfolio report roll-up")
struct PortfolioReportTests {
    static func money(_ r: Int64, _ a: Int64, _ p: Int64, _ d: Int64) -> MoneyFigures {
        MoneyFigures(requested: Fen(r), approved: Fen(a), planned: Fen(p), disbursed: Fen(d))
    }

    let cells = [
        PortfolioCell(
            unitId: "u2", stage: "constructing", planYear: 2026, tier: 2, projects: 2, classifiedProjects: 0,
            money: money(3_000, 2_800, 1_000, 500)),
        PortfolioCell(
            unitId: "u1", stage: "declared", planYear: 2025, tier: 1, projects: 1, classifiedProjects: 0, money: money(100, 0, 0, 0)),
        PortfolioCell(
            unitId: "u1", stage: "constructing", planYear: 2026, tier: 3, projects: 3, classifiedProjects: 1,
            money: money(9_000, 8_000, 4_000, 1_000)),
        PortfolioCell(unitId: "u9", stage: "mystery", planYear: 2027, tier: 7, projects: 1, classifiedProjects: 0, money: .zero),
    ]
    let names = ["u1": "郑州市卫生健康委员会", "u2": "郑州市公安局"]

    @Test func groupsAreSummedAndOrdered() {
        let r = PortfolioReport.rollUp(cells, unitNames: names)
        // Lifecycle order (declared before constructing); an unknown stage last, under its own name.
        #expect(r.byStage.map(\.label) == ["已申报", "建设中", "mystery"])
        #expect(r.byStage[1].projects == 5 && r.byStage[1].classifiedProjects == 1)
        #expect(r.byStage[1].money == Self.money(12_000, 10_800, 5_000, 1_500))
        // Units by name; an id without a name shows as itself.
        #expect(r.byUnit.map(\.label) == ["u9", "郑州市公安局", "郑州市卫生健康委员会"].sorted())
        #expect(r.byYear.map(\.label) == ["2025年", "2026年", "2027年"])
        #expect(r.byTier.map(\.label) == ["一类", "二类", "三类", "第7类"])
        #expect(r.total.projects == 7 && r.total.classifiedProjects == 1)
        #expect(r.total.money == Self.money(12_100, 10_800, 5_000, 1_500))
        for d in PortfolioDimension.allCases {
            #expect(r.rows(d).map(\.projects).reduce(0, +) == r.total.projects, "\(d) adds up to the total")
        }
    }

    /// The database sums cells per dimension (a cell then carries only its table's key): the
    /// tables and total are the same as from the finest cells.
    @Test func cellsGroupedPerDimensionGiveTheSameReport() {
        func grouped(_ key: (PortfolioCell) -> PortfolioCell) -> [PortfolioCell] {
            var sums: [PortfolioCell: PortfolioCell] = [:]
            for c in cells {
                let k = key(c)
                var sum =
                    sums[k]
                    ?? PortfolioCell(
                        unitId: k.unitId, stage: k.stage, planYear: k.planYear, tier: k.tier, projects: 0, classifiedProjects: 0,
                        money: .zero)
                sum.projects += c.projects
                sum.classifiedProjects += c.classifiedProjects
                sum.money = sum.money.adding(c.money)
                sums[k] = sum
            }
            return Array(sums.values)
        }
        func only(unit: String = "", stage: String = "", year: Int = 0, tier: Int = 0) -> PortfolioCell {
            PortfolioCell(unitId: unit, stage: stage, planYear: year, tier: tier, projects: 0, classifiedProjects: 0, money: .zero)
        }
        let r = PortfolioReport.rollUp(
            stage: grouped { only(stage: $0.stage) }, unit: grouped { only(unit: $0.unitId) }, year: grouped { only(year: $0.planYear) },
            tier: grouped { only(tier: $0.tier) }, unitNames: names)
        #expect(r == PortfolioReport.rollUp(cells, unitNames: names))
        #expect(r.byUnit.count == 3 && r.byStage.count == 3 && r.total.projects == 7)
    }

    @Test func emptyPortfolioHasEmptyTablesAndAZeroTotal() {
        let r = PortfolioReport.rollUp([], unitNames: [:])
        #expect(r.byStage.isEmpty && r.byUnit.isEmpty && r.total.projects == 0 && r.total.money == .zero)
        #expect(r.total.money.disbursedShareOfApproved == nil)
    }

    @Test func sumsSaturateInsteadOfTrapping() {
        let big = PortfolioCell(
            unitId: "u", stage: "approved", planYear: 2026, tier: 3, projects: 1, classifiedProjects: 0,
            money: Self.money(Int64.max, 1, 1, 1))
        let r = PortfolioReport.rollUp([big, big], unitNames: [:])
        #expect(r.total.money.requested == Fen(Int64.max))
        #expect(r.total.money.approved == Fen(2))
    }

    @Test(
        arguments: [
            (Int64(0), Int64(100), "0.0%"), (1, 3, "33.3%"), (2, 3, "66.7%"), (1, 8, "12.5%"), (1, 2000, "0.1%"),
            (1, 2001, "0.0%"), (150, 100, "150.0%"), (5, 0, nil), (5, -1, nil),
        ] as [(Int64, Int64, String?)])
    func percentOneDecimalRoundedHalfUp(_ part: Int64, _ whole: Int64, _ text: String?) {
        #expect(Percent.text(Fen(part), of: Fen(whole)) == text)
    }
}
