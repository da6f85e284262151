import Fluent
import SQLKit
import Vapor
import ZhengxinCore

/// The portfolio report's figures straight from SQL (issue 6: ≤ 100 ms over 100,000 projects): the
/// tallies the database keeps per (unit, stage, year, tier, 涉密) — never a decoded record — rolled up by `PortfolioReport`,
/// and the overdue list from `reminders` joined to `projects`.
///
/// Scope (SPEC §1, R-CON-5): a unit sees only its own projects, the four agencies every project,
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
    /// Where the figures are kept under the audit chain head (every write that moves a figure or an
    /// overdue mark appends an audit entry); nil computes them on every call.
    var cache: AuditHeadCache? = nil

    /// The caller's own unit for a unit, the chosen one for an agency.
    var scopedUnit: UUID? { actor.organisationType == .unit ? actor.organisationId : filter.unitId }

    func report() async throws -> (PortfolioReport, unitNames: [String: String]) {
        // Unit names read every time: a unit renamed by an administrator shows at once.
        let names = try await Self.unitNames(on: db)
        return (try await report(unitNames: names), names)
    }

    func report(unitNames names: [String: String]) async throws -> PortfolioReport {
        let key = "report|\(scopedUnit?.uuidString ?? "")|\(filter.planYear.map(String.init) ?? "")"
        let cells = try await cached(key, bytes: { $0.count * 200 }) { try await self.cells() }
        return PortfolioReport.rollUp(cells, unitNames: names)
    }

    /// The report page's model for this caller: figures, charts and the overdue list.
    func pageModel(unitNames names: [String: String]) async throws -> ReportPageModel {
        let report = try await self.report(unitNames: names)
        let (overdue, total) = try await self.overdue(unitNames: names)
        return ReportPageModel(report: report, overdue: overdue, overdueTotal: total, filter: filter, actor: actor, unitNames: names)
    }

    /// Everything the report page shows depends on: the caller (a 涉密 project is named only to users
    /// named on it), the filters and the unit names.
    func pageKey(unitNames names: [String: String]) -> String {
        "report-page|" + AuditHeadCache.callerKey(actor) + "|\(filter.unitId?.uuidString ?? "")|"
            + "\(filter.planYear.map(String.init) ?? "")|" + Self.fingerprint(names)
    }

    /// The unit names as part of a cache key.
    static func fingerprint(_ names: [String: String]) -> String {
        names.sorted { $0.key < $1.key }.map { $0.key + "=" + $0.value }.joined(separator: ",")
    }

    /// `make`'s value, kept under the audit chain head when there is a cache.
    func cached<V: Sendable>(_ key: String, bytes: @escaping (V) -> Int, _ make: () async throws -> V) async throws -> V {
        guard let cache else { return try await make() }
        return try await cache.value(key, at: try await AuditHeadCache.head(on: db), bytes: bytes, make: make)
    }

    /// One cell per (unit, stage, plan year, tier, 涉密) in scope.
    private func cells() async throws -> [PortfolioCell] {
        // One tally per group, kept by triggers (AddProjectTallies) instead of a GROUP BY over every
        // project. Grouped by `classified` too: 涉密 groups give their count and no money (the sums are dropped).
        var query: SQLQueryString = """
            SELECT unit_id, stage, plan_year, tier, classified, projects, requested, approved, planned, disbursed
            FROM project_tallies WHERE projects > 0
            """
        query = query + conditions()
        // Read by position (PlainRows): ~7,000 cells at 100,000 projects, ten columns each.
        let cells = try await PlainRows.all(query, on: db).map { row in
            let projects = try row.int(5)
            let classified = try row.bool(4)
            func fen(_ column: Int) throws -> Fen { classified ? .zero : Fen(try row.int64(column)) }
            return PortfolioCell(unitId: UUIDText.string(try row.uuid(0)), stage: try row.text(1), planYear: try row.int(2), tier: try row.int(3),
                                 projects: projects, classifiedProjects: classified ? projects : 0,
                                 money: MoneyFigures(requested: try fen(6), approved: try fen(7), planned: try fen(8), disbursed: try fen(9)))
        }
        return cells
    }

    /// Active overdue marks on projects in scope, oldest due date first, at most `limit`, and how many there are.
    func overdue(unitNames: [String: String], limit: Int = overdueOnPage) async throws -> (items: [OverdueItem], total: Int) {
        // Per caller: a 涉密 project is named only to the users named on it.
        let key = "overdue|" + AuditHeadCache.callerKey(actor) + "|\(scopedUnit?.uuidString ?? "")|"
            + "\(filter.planYear.map(String.init) ?? "")|\(limit)|" + Self.fingerprint(unitNames)
        let listed = try await cached(key, bytes: { $0.items.count * 400 }) { try await self.overdueItems(unitNames: unitNames, limit: limit) }
        return (listed.items, listed.total)
    }

    private struct OverdueList: Sendable {
        var items: [OverdueItem]
        var total: Int
    }

    private func overdueItems(unitNames: [String: String], limit: Int) async throws -> OverdueList {
        let sql = db as! any SQLDatabase
        // Unfiltered or by unit: the partial indexes in due-date order, stopping at the limit. By year:
        // the year's projects first (CROSS JOIN keeps SQLite to that order), then their marks.
        let open: SQLQueryString = "r.resolved_at IS NULL AND r.status = 'overdue'"
        let from: SQLQueryString, count: SQLQueryString
        if let year = filter.planYear {
            var scope: SQLQueryString = " FROM projects p CROSS JOIN reminders r WHERE r.project_id = p.id AND " + open + " AND p.plan_year = \(bind: year)"
            if let unit = scopedUnit { scope = scope + " AND p.unit_id = \(bind: unit)" }
            from = scope
            count = "SELECT COUNT(*) AS n" + scope
        } else {
            let unit: SQLQueryString = scopedUnit.map { " AND r.unit_id = \(bind: $0)" } ?? ""
            // SQLite would rather take the (status, resolved_at) index and sort every open mark.
            let index = scopedUnit == nil ? "reminders_overdue_due" : "reminders_overdue_unit"
            let hint: SQLQueryString = sql.dialect.name == "sqlite" ? " INDEXED BY \(unsafeRaw: index)" : ""
            from = " FROM reminders r" + hint + " JOIN projects p ON p.id = r.project_id WHERE " + open + unit
            count = "SELECT COUNT(*) AS n FROM reminders r WHERE " + open + unit
        }
        let total = try await sql.raw(count).first()?.decode(column: "n", as: Int.self) ?? 0
        let rows = try await sql.raw("SELECT r.project_id, r.kind, r.due_on, r.rule, r.article, r.message, p.code, p.name, p.unit_id, p.classified"
                                     + from + " ORDER BY r.due_on, r.key LIMIT \(unsafeRaw: String(max(1, limit)))").all()
        // Only 涉密 projects are decoded, to learn whether the caller is named on them.
        let classifiedIds = try rows.filter { try $0.decode(column: "classified", as: Bool.self) }.map { try $0.decode(column: "project_id", as: UUID.self) }
        // Their name column holds a placeholder; a named caller gets the record's own name.
        var named: [UUID: ProjectRecord] = [:]
        if !classifiedIds.isEmpty {
            for model in try await ProjectModel.query(on: db).filter(\.$id ~~ Array(Set(classifiedIds))).all() {
                let record = try model.decoded()
                if record.isVisible(to: actor) { named[record.id] = record }
            }
        }
        let items = try rows.map { row -> OverdueItem in
            let projectId = try row.decode(column: "project_id", as: UUID.self)
            let kind = try row.decode(column: "kind", as: String.self)
            let unit = try row.decode(column: "unit_id", as: UUID.self).uuidString
            let hidden = try row.decode(column: "classified", as: Bool.self) && named[projectId] == nil
            return OverdueItem(projectId: hidden ? nil : projectId, code: hidden ? "—" : try row.decode(column: "code", as: String.self),
                               name: hidden ? "涉密项目(未列明的人员不显示名称)" : try named[projectId]?.name ?? row.decode(column: "name", as: String.self),
                               unitName: unitNames[unit] ?? unit, kindTitle: DeadlineKind(rawValue: kind)?.chinese ?? kind,
                               dueOn: try row.decode(column: "due_on", as: String.self), rule: try row.decode(column: "rule", as: String.self),
                               article: try row.decode(column: "article", as: String.self),
                               message: hidden ? "" : ReminderModel.readable(try row.decode(column: "message", as: String.self)), hidden: hidden)
        }
        return OverdueList(items: items, total: total)
    }

    /// " AND …" for the unit and year in scope ("" for the whole city).
    private func conditions() -> SQLQueryString {
        var parts: [SQLQueryString] = []
        if let unit = scopedUnit { parts.append("unit_id = \(bind: unit)") }
        if let year = filter.planYear { parts.append("plan_year = \(bind: year)") }
        return parts.isEmpty ? "" : " AND " + parts.joined(separator: " AND ")
    }

    /// Every unit's name by id (a few dozen rows), for group labels and the unit filter.
    static func unitNames(on db: Database) async throws -> [String: String] {
        let units = try await Organisations.units(on: db)
        return Dictionary(units.map { ($0.id.uuidString, $0.name) }, uniquingKeysWith: { a, _ in a })
    }
}
