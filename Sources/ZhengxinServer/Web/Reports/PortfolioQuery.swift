import Fluent
import SQLKit
import Vapor
import ZhengxinCore

/// The portfolio report's figures straight from SQL (target: ≤ 100 ms over 100,000 projects): the
/// tallies the database keeps per (unit, stage, year, tier, 涉密) — never a decoded record — rolled up by `PortfolioReport`,
/// and the overdue list from `reminders` joined to `projects`.
///
/// Scope (第三条, 第五条; R-CON-5): a unit sees only its own projects, the four agencies every project,
/// vendors and the three administrators no report. 涉密 projects are counted in every project count
/// and left out of every money figure for everyone (第十七条: no sum or difference of sums can reveal
/// a 涉密 project's amounts); on the overdue list a 涉密 project is named only to users named on it.
struct PortfolioQuery {
    struct Filter: Sendable, Hashable {
        /// 计划年度
        var planYear: Int?
        /// Agencies may pick a unit; a unit is always held to its own.
        var unitId: UUID?
    }

    struct OverdueItem: Encodable, Sendable {
        var projectId: UUID?
        var code: String
        var name: String
        var unitName: String
        var kindTitle: String
        var dueOn: String
        var rule: String
        var article: String
        var message: String
        var hidden: Bool
    }

    /// The longest overdue list a page shows, and a CSV file; `overdue` counts them all.
    static let overdueOnPage = 100
    static let overdueInFile = 2_000

    let actor: Actor
    let filter: Filter
    let db: Database

    /// The caller's own unit for a unit, the chosen one for an agency.
    var scopedUnit: UUID? { actor.organisationType == .unit ? actor.organisationId : filter.unitId }

    /// The report for a file of `dimension`'s table alone: one read of the tallies, in the grouping
    /// that table needs. Only that table and the total are meant to be read from it.
    func report(of dimension: PortfolioDimension) async throws -> PortfolioReport {
        // Unit names read every time: a unit renamed by an administrator shows at once.
        let names = try await Self.unitNames(on: db)
        return PortfolioReport.rollUp(try await cells(dimension == .unit ? .byUnit : .byStageYearTier), unitNames: names)
    }

    /// Two reads of the tallies: by unit, and by (stage, year, tier), which rolls up into the stage,
    /// year and tier tables alike (a few hundred cells for the whole city) — one scan of the tallies
    /// where a GROUP BY per table made three.
    func report(unitNames names: [String: String]) async throws -> PortfolioReport {
        let byUnit = try await cells(.byUnit)
        let byStageYearTier = try await cells(.byStageYearTier)
        return PortfolioReport.rollUp(
            stage: byStageYearTier, unit: byUnit, year: byStageYearTier, tier: byStageYearTier, unitNames: names)
    }

    /// How the tallies are grouped for the report's tables.
    enum Grouping: Sendable {
        case byUnit
        case byStageYearTier

        var columns: String {
            switch self {
            case .byUnit: return "unit_id"
            case .byStageYearTier: return "stage, plan_year, tier"
            }
        }

        /// How many of `columns` a row starts with, before `classified` and the sums.
        var keyCount: Int { self == .byUnit ? 1 : 3 }
    }

    /// The report page's model for this caller: figures, charts and the overdue list.
    func pageModel(unitNames names: [String: String], risks: RiskDistribution) async throws -> ReportPageModel {
        let report = try await self.report(unitNames: names)
        let (overdue, total) = try await self.overdue(unitNames: names)
        return ReportPageModel(
            report: report, overdue: overdue, overdueTotal: total, risks: risks, filter: filter, actor: actor, unitNames: names)
    }

    /// One cell per group and 涉密 mark in scope, summed by the database over the tallies it keeps
    /// per (unit, stage, plan year, tier, 涉密) (AddProjectTallies): ~7,000 tallies at 100,000
    /// projects become a few hundred rows, never a decoded record. 涉密 groups give their count and no
    /// money (their sums are dropped).
    private func cells(_ grouping: Grouping) async throws -> [PortfolioCell] {
        let (unit, year) = (scopedUnit, filter.planYear)
        let rows: [PlainRows.Row]
        do {
            rows = try await PlainRows.all(Self.cellsQuery(grouping, scopedUnit: unit, planYear: year), on: db)
        } catch  where TallySumLimit.sqliteSumOverflowed(error) {
            rows = try await PlainRows.all(Self.cellsQuery(grouping, scopedUnit: unit, planYear: year, split: true), on: db)
        }
        return try rows.map { row in
            let keys = grouping.keyCount
            let classified = try row.bool(keys)
            let projects = try row.int(keys + 1)
            // Each sum in two parts (TallySumLimit.Sum), after the key columns, the mark and the count.
            func fen(_ sum: Int) throws -> Fen {
                classified ? .zero : TallySumLimit.joined(try row.int64(keys + 2 + 2 * sum), try row.int64(keys + 3 + 2 * sum))
            }
            var cell = PortfolioCell(
                unitId: "", stage: "", planYear: 0, tier: 0, projects: projects, classifiedProjects: classified ? projects : 0,
                money: MoneyFigures(requested: try fen(0), approved: try fen(1), planned: try fen(2), disbursed: try fen(3)))
            switch grouping {
            case .byUnit:
                cell.unitId = UUIDText.string(try row.uuid(0))
            case .byStageYearTier:
                cell.stage = try row.text(0)
                cell.planYear = try row.int(1)
                cell.tier = try row.int(2)
            }
            return cell
        }
    }

    /// The tallies summed per group and 涉密 mark, for the unit and year in scope; `split`: SQLite's
    /// sums in two parts, once its 64-bit SUM has refused (TallySumLimit.Sum).
    /// Built without a Request so QueryPlanTests read the plan the server runs.
    static func cellsQuery(_ grouping: Grouping, scopedUnit: UUID?, planYear: Int?, split: Bool = false) -> SQLQueryString {
        var parts: [SQLQueryString] = ["projects > 0"]
        if let scopedUnit { parts.append("unit_id = \(bind: scopedUnit)") }
        if let planYear { parts.append("plan_year = \(bind: planYear)") }
        var query: SQLQueryString = "SELECT \(unsafeRaw: grouping.columns), classified, CAST(SUM(projects) AS BIGINT)"
        for column in ["requested", "approved", "planned", "disbursed"] {
            query.appendInterpolation(TallySumLimit.Sum(column: column, split: split))
        }
        return query + " FROM project_tallies WHERE " + parts.joined(separator: " AND ")
            + " GROUP BY \(unsafeRaw: grouping.columns), classified"
    }

    /// Active overdue marks on projects in scope, oldest due date first, at most `limit`, and how
    /// many there are: the query the inbox and overdue API use (ReminderListing). The report counts
    /// 涉密 projects and names them only to users named on them, so it takes placeholders.
    func overdue(unitNames: [String: String], limit: Int = overdueOnPage) async throws -> (items: [OverdueItem], total: Int) {
        let filter = ReminderListing.Filter(listing: .overdue, unitId: scopedUnit, planYear: filter.planYear)
        let found = try await ReminderListing.page(filter, limit: limit, for: actor, .placeholders, on: db)
        let items = found.rows.map { row in
            OverdueItem(
                projectId: row.hidden ? nil : row.projectId, code: row.code, name: row.name,
                unitName: unitNames[row.unitId.uuidString] ?? row.unitId.uuidString, kindTitle: row.kindTitle, dueOn: row.dueOn,
                rule: row.rule, article: row.article, message: row.message, hidden: row.hidden)
        }
        return (items, found.total)
    }

    /// Every unit's name by id (a few dozen rows), for group labels and the unit filter.
    static func unitNames(on db: Database) async throws -> [String: String] {
        let units = try await Organisations.units(on: db)
        return Dictionary(units.map { ($0.id.uuidString, $0.name) }, uniquingKeysWith: { a, _ in a })
    }
}
