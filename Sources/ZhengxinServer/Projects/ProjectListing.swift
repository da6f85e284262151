import Fluent
import SQLKit
import Foundation
import Vapor
import ZhengxinCore

/// One page of projects for a caller, from SQL over the list columns (issue 6: 100,000 projects):
/// scope, filters, a count and `LIMIT/OFFSET`, no record decoded except the few 涉密 ones the caller
/// is named on (their name column holds a placeholder) and a vendor's candidates.
enum ProjectListing {
    struct Row: Sendable {
        var project: ListedProject
        /// The real name: 涉密 projects show it only to users named on them, who alone get the row.
        var name: String
        var overdue: Bool { project.overdue }
    }

    struct Page: Sendable {
        var rows: [Row]
        var total: Int
        var query: ProjectListQuery
        var pageCount: Int { max(1, (total + query.perPage - 1) / query.perPage) }
    }

    /// What the caller may see, as SQL can say it.
    enum Scope: Sendable {
        /// Every row passing `base`, except 涉密 rows not in `classifiedVisible`.
        case rows(classifiedVisible: [UUID])
        /// Exactly these rows (a vendor's contracted projects).
        case only([UUID])

        /// Its size in the read cache.
        var bytes: Int {
            switch self {
            case .rows(let ids), .only(let ids): return 16 * ids.count + 32
            }
        }
    }

    static let overdueProjects = "id IN (SELECT project_id FROM reminders WHERE status = '\(DeadlineStatus.overdue.rawValue)' AND resolved_at IS NULL)"

    /// `records`: also load each row's stored record (for callers that decode the page's rows);
    /// a list reads only the columns, so paging never drags the records through the database.
    /// `head`: the audit chain head the caller read before (AuditHeadCache), or read here.
    static func page(_ query: ProjectListQuery, for actor: Actor, records: Bool = false, at knownHead: AuditHeadCache.Head? = nil,
                     on req: Request) async throws -> Page {
        let (db, opened) = (req.db, ClassifiedRecords.of(req.application))
        let head: AuditHeadCache.Head
        if let given = knownHead { head = given } else { head = try await AuditHeadCache.head(on: db) }
        let scope = try await scope(for: actor, at: head, on: req)
        let total = try await AuditHeadCache.of(req.application).value("count|" + countKey(query, scope: scope, actor: actor), at: head) {
            try await count(query, scope: scope, actor: actor, on: db)
        }
        // Ties broken by code in the same direction, so an index (key, code) serves the whole order.
        let direction: SQLQueryString = query.descending ? " DESC" : ""
        let order: SQLQueryString
        switch query.sort {
        case .code: order = "code" + direction
        case .name: order = "name" + direction + ", code" + direction
        case .updated: order = "updated_at" + direction + ", code" + direction
        case .investment: order = "total_investment_fen" + direction + ", code" + direction
        }
        let select = ListedProject.page(where: condition(query, scope: scope, actor: actor), order: order, limit: query.perPage,
                                        offset: query.offset, records: records)
        let projects = try await PlainRows.all(select, on: db).map { try ListedProject(row: $0, record: records) }
        let secrets = try await classifiedRecords(projects.filter(\.classified), recordsLoaded: records, opened: opened, on: db)
        let rows = projects.map { p in secrets[p.id].map { Row(project: p.withAmounts(of: $0), name: $0.name) } ?? Row(project: p, name: p.name) }
        return Page(rows: rows, total: total, query: query)
    }

    /// How many rows the query matches. A 涉密 row the caller is named on is counted apart: with
    /// `classified = false OR id IN (…)` SQLite reads every matching row from the table (the id is in
    /// no list index), 20–60 ms for one stage of 100,000 projects; each half alone is covered by an index.
    static func count(_ query: ProjectListQuery, scope: Scope, actor: Actor, on db: Database) async throws -> Int {
        func count(_ condition: SQLQueryString) async throws -> Int {
            // COUNT(code), not COUNT(id): code is in each (stage, …, code, classified) index, id in none.
            let rows = try await PlainRows.all("SELECT COUNT(code) FROM projects WHERE " + condition, on: db)
            return try rows.first?.int(0) ?? 0
        }
        let filters = self.filters(query, actor: actor)
        switch scope {
        case .rows(let visible) where !visible.isEmpty:
            return try await count(filters + " AND classified = \(bind: false)")
                + count(filters + " AND classified = \(bind: true) AND id IN (\(binds: visible))")
        default:
            return try await count(condition(query, scope: scope, actor: actor))
        }
    }

    /// Everything the count depends on: who asks (a unit sees its own), what they may see, the filters.
    static func countKey(_ q: ProjectListQuery, scope: Scope, actor: Actor) -> String {
        let reach: String
        switch scope {
        case .rows(let visible): reach = "rows:" + visible.map(\.uuidString).sorted().joined(separator: ",")
        case .only(let ids): reach = "only:" + ids.map(\.uuidString).sorted().joined(separator: ",")
        }
        let who = actor.organisationType == .unit ? "unit:\(actor.organisationId)" : actor.organisationType.rawValue
        let filters: [String] = [q.search ?? "", q.stage?.rawValue ?? "", q.unitId?.uuidString ?? "", q.tier.map { "\($0.rawValue)" } ?? "",
                                 q.planYear.map(String.init) ?? "", q.overdueOnly ? "overdue" : ""]
        return ([who, reach] + filters).joined(separator: "|")
    }

    /// Scope and filters as one SQL condition (the WHERE of the count and of the page).
    static func condition(_ query: ProjectListQuery, scope: Scope, actor: Actor) -> SQLQueryString {
        let reach: SQLQueryString
        switch scope {
        case .rows(let visible) where visible.isEmpty: reach = "classified = \(bind: false)"
        case .rows(let visible): reach = "(classified = \(bind: false) OR id IN (\(binds: visible)))"
        case .only(let ids) where ids.isEmpty: reach = "1 = 0"
        case .only(let ids): reach = "id IN (\(binds: ids))"
        }
        return filters(query, actor: actor) + " AND " + reach
    }

    /// The caller's own unit (for a unit) and the query's filters; "1 = 1" when there are none.
    static func filters(_ query: ProjectListQuery, actor: Actor) -> SQLQueryString {
        var parts: [SQLQueryString] = []
        if actor.organisationType == .unit { parts.append("unit_id = \(bind: actor.organisationId)") }
        if let search = query.search {
            // Name or code contains (code as stored: upper case).
            parts.append("(name LIKE \(bind: "%" + search + "%") OR code LIKE \(bind: "%" + search.uppercased() + "%"))")
        }
        if let stage = query.stage { parts.append("stage = \(bind: stage.rawValue)") }
        if let unitId = query.unitId { parts.append("unit_id = \(bind: unitId)") }
        if let tier = query.tier { parts.append("tier = \(bind: tier.rawValue)") }
        if let year = query.planYear { parts.append("plan_year = \(bind: year)") }
        if query.overdueOnly { parts.append("\(unsafeRaw: overdueProjects)") }
        return parts.isEmpty ? "1 = 1" : parts.joined(separator: " AND ")
    }

    /// The caller's scope as kept under `head`: what a caller may see changes only with a write to a
    /// 涉密 row, a grant or a contract, each of which moves the head, so it is read once per caller
    /// and head rather than on every page (~300 candidate rows each time).
    static func scope(for actor: Actor, at head: AuditHeadCache.Head, on req: Request) async throws -> Scope {
        let opened = ClassifiedRecords.of(req.application)
        return try await AuditHeadCache.of(req.application).value("scope|" + AuditHeadCache.callerKey(actor), at: head, bytes: { $0.bytes }) {
            try await scope(for: actor, opened: opened, on: req.db)
        }
    }

    /// 涉密 projects are visible only to users named on them; vendors see the projects they are
    /// contracted on. Both are read from the records, but only for the few candidate rows: the
    /// 涉密 rows in the caller's reach, and the rows whose JSON names the vendor's organisation;
    /// each record is opened once per stored version (ClassifiedRecords).
    static func scope(for actor: Actor, opened: ClassifiedRecords, on db: Database) async throws -> Scope {
        // Keys read by position: every 涉密 row in reach (~300 at 100,000 projects) is a candidate
        // on every list.
        var query: SQLQueryString = "SELECT id, version, updated_at FROM projects WHERE "
        switch actor.organisationType {
        case .unit: query = query + "unit_id = \(bind: actor.organisationId) AND classified = \(bind: true)"
        case .vendor: query = query + "(classified = \(bind: true) OR record LIKE \(bind: "%" + actor.organisationId.uuidString + "%"))"
        case .drc, .fin, .bdb, .aud: query = query + "classified = \(bind: true)"
        }
        let keys = try await PlainRows.all(query, on: db).map { row in
            ClassifiedRecords.Key(id: try row.uuid(0), version: try row.int(1), updatedAt: try row.int64(2))
        }
        let visible = try await opened.visible(keys: keys, to: actor, on: db)
        return actor.organisationType == .vendor ? .only(visible) : .rows(classifiedVisible: visible)
    }

    /// The opened records of the page's 涉密 rows: their name column holds a placeholder and their
    /// amount columns 0 (ClearClassifiedMoney), the real ones are in the sealed record.
    static func classifiedRecords(_ projects: [ListedProject], recordsLoaded: Bool, opened: ClassifiedRecords, on db: Database) async throws -> [UUID: ProjectRecord] {
        guard !projects.isEmpty else { return [:] }
        if recordsLoaded { return Dictionary(uniqueKeysWithValues: try projects.map { ($0.id, try $0.decoded()) }) }
        return try await opened.records(keys: projects.map(\.key), on: db)
    }
}

extension ListedProject {
    /// The row with the amounts its (opened) record holds, for a reader named on a 涉密 project.
    func withAmounts(of record: ProjectRecord) -> ListedProject {
        var p = self
        p.totalInvestmentFen = record.totalInvestment.value
        p.approvedFen = record.approvedBudget?.value
        p.plannedFen = record.totalFundPlans.value
        p.disbursedFen = record.totalDisbursed.value
        return p
    }
}

extension ProjectSummary {
    /// A list line from the columns alone (tier as stored at the project's last write).
    init(row: ProjectListing.Row) {
        let m = row.project
        let stage = Stage(rawValue: m.stage) ?? .draft
        (id, code, name, unitId) = (m.id, m.code, row.name, m.unitId)
        (self.stage, stageTitle, planYear, totalInvestment, tier) = (stage, stage.chinese, m.planYear, Fen(m.totalInvestmentFen), m.tier)
    }
}
