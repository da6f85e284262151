/// 项目组合报表 (the /reports page and its CSV files): projects and money by stage, unit, plan year and tier.
///
/// The server hands in one `PortfolioCell` per (unit, stage, plan year, tier) — a SQL GROUP BY over
/// the projects' columns, never a decoded record — and this rolls the cells up into the four tables.
///
/// 涉密 projects (第十七条, R-CON-5): counted in every project count, never named, and their money is
/// left out of every money figure, so that no group, total or difference between two figures can
/// reveal a 涉密 project's amounts. `classifiedProjects` says how many are counted without money.

/// Money figures of a group: 申报总投资 (requested), 批复概算 (approved), 资金计划 (planned), 拨付 (disbursed).
public struct MoneyFigures: Sendable, Hashable, Codable {
    public var requested: Fen
    public var approved: Fen
    public var planned: Fen
    public var disbursed: Fen

    public init(requested: Fen = .zero, approved: Fen = .zero, planned: Fen = .zero, disbursed: Fen = .zero) {
        self.requested = requested
        self.approved = approved
        self.planned = planned
        self.disbursed = disbursed
    }

    public static let zero = MoneyFigures()

    /// The sum, saturating at the largest amount rather than trapping (amounts come from the database).
    public func adding(_ o: MoneyFigures) -> MoneyFigures {
        func add(_ a: Fen, _ b: Fen) -> Fen { a.adding(b) ?? Fen(Int64.max) }
        return MoneyFigures(
            requested: add(requested, o.requested), approved: add(approved, o.approved),
            planned: add(planned, o.planned), disbursed: add(disbursed, o.disbursed))
    }

    /// 拨付率: disbursed as a share of the approved budget; nil before anything is approved.
    public var disbursedShareOfApproved: String? { Percent.text(disbursed, of: approved) }
}

/// One aggregate row as the database returns it.
public struct PortfolioCell: Sendable, Hashable {
    public var unitId: String
    public var stage: String
    public var planYear: Int
    public var tier: Int
    public var projects: Int
    public var classifiedProjects: Int
    /// Over the projects that are not 涉密 only.
    public var money: MoneyFigures

    public init(unitId: String, stage: String, planYear: Int, tier: Int, projects: Int, classifiedProjects: Int, money: MoneyFigures) {
        self.unitId = unitId
        self.stage = stage
        self.planYear = planYear
        self.tier = tier
        self.projects = projects
        self.classifiedProjects = classifiedProjects
        self.money = money
    }
}

/// The four ways the portfolio is cut, with their Chinese titles and CSV names.
public enum PortfolioDimension: String, Sendable, CaseIterable, Codable {
    case stage, unit, year, tier

    public var chinese: String {
        switch self {
        case .stage: return "按阶段"
        case .unit: return "按单位"
        case .year: return "按计划年度"
        case .tier: return "按投资分级"
        }
    }

    /// The heading of the group column.
    public var groupHeading: String {
        switch self {
        case .stage: return "阶段"
        case .unit: return "项目单位"
        case .year: return "计划年度"
        case .tier: return "分级(第九条)"
        }
    }

    /// `/reports/<csvName>.csv`
    public var csvName: String { "by-\(rawValue)" }
}

/// One row of a report table.
public struct PortfolioRow: Sendable, Hashable, Codable {
    public var key: String
    public var label: String
    public var projects: Int
    public var classifiedProjects: Int
    public var money: MoneyFigures

    public init(key: String, label: String, projects: Int = 0, classifiedProjects: Int = 0, money: MoneyFigures = .zero) {
        self.key = key
        self.label = label
        self.projects = projects
        self.classifiedProjects = classifiedProjects
        self.money = money
    }

    mutating func absorb(_ c: PortfolioCell) {
        projects += c.projects
        classifiedProjects += c.classifiedProjects
        money = money.adding(c.money)
    }
}

public struct PortfolioReport: Sendable, Hashable {
    public var byStage: [PortfolioRow]
    public var byUnit: [PortfolioRow]
    public var byYear: [PortfolioRow]
    public var byTier: [PortfolioRow]
    public var total: PortfolioRow

    public func rows(_ d: PortfolioDimension) -> [PortfolioRow] {
        switch d {
        case .stage: return byStage
        case .unit: return byUnit
        case .year: return byYear
        case .tier: return byTier
        }
    }

    /// Rolls the cells up. `unitNames` maps unit ids to names; an unknown id shows as itself.
    /// Order: stages in lifecycle order, units by name, years ascending, tiers 1–3.
    public static func rollUp(_ cells: [PortfolioCell], unitNames: [String: String]) -> PortfolioReport {
        rollUp(stage: cells, unit: cells, year: cells, tier: cells, unitNames: unitNames)
    }

    /// Rolls each table up from cells that carry at least its key (the server passes one grouping by
    /// unit, and one by stage, year and tier for the other three tables); cells with the same key
    /// are summed, and the total is the stage cells' sum.
    public static func rollUp(
        stage: [PortfolioCell], unit: [PortfolioCell], year: [PortfolioCell], tier: [PortfolioCell], unitNames: [String: String]
    ) -> PortfolioReport {
        func group(_ cells: [PortfolioCell], _ key: (PortfolioCell) -> String, _ label: (String) -> String) -> [PortfolioRow] {
            var rows: [String: PortfolioRow] = [:]
            for c in cells {
                let k = key(c)
                rows[k, default: PortfolioRow(key: k, label: label(k))].absorb(c)
            }
            return Array(rows.values)
        }
        let stageOrder = Dictionary(uniqueKeysWithValues: Stage.allCases.enumerated().map { ($1.rawValue, $0) })
        let byStage = group(stage, { $0.stage }, { Stage(rawValue: $0)?.chinese ?? $0 })
            .sorted { (stageOrder[$0.key] ?? Int.max, $0.key) < (stageOrder[$1.key] ?? Int.max, $1.key) }
        let byUnit = group(unit, { $0.unitId }, { unitNames[$0] ?? $0 }).sorted { ($0.label, $0.key) < ($1.label, $1.key) }
        let byYear = group(year, { String($0.planYear) }, { "\($0)年" }).sorted { (Int($0.key) ?? 0) < (Int($1.key) ?? 0) }
        let byTier = group(tier, { String($0.tier) }, { Int($0).flatMap(Tier.init(rawValue:))?.name ?? "第\($0)类" })
            .sorted { $0.key < $1.key }
        var total = PortfolioRow(key: "total", label: "合计")
        for c in stage { total.absorb(c) }
        return PortfolioReport(byStage: byStage, byUnit: byUnit, byYear: byYear, byTier: byTier, total: total)
    }
}

/// Shares as Chinese reports print them: one decimal, "%".
public enum Percent {
    /// "37.5%"; nil when the whole is zero or negative. Rounded half away from zero.
    public static func text(_ part: Fen, of whole: Fen) -> String? {
        guard whole.value > 0 else { return nil }
        let p = Double(part.value) / Double(whole.value) * 1000
        let tenths = Int64(p.rounded(.toNearestOrAwayFromZero))
        let sign = tenths < 0 ? "-" : ""
        return "\(sign)\(tenths.magnitude / 10).\(tenths.magnitude % 10)%"
    }
}
