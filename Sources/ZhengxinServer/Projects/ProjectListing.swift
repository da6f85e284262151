import Fluent
import FluentSQL
import SQLKit
import Foundation
import NIOConcurrencyHelpers
import Vapor
import ZhengxinCore

/// One page of projects for a caller, from SQL over the list columns (issue 6: 100,000 projects):
/// scope, filters, a count and `LIMIT/OFFSET`, no record decoded except the few 涉密 ones the caller
/// is named on (their name column holds a placeholder) and a vendor's candidates.
enum ProjectListing {
    struct Row: Sendable {
        var model: ProjectModel
        /// The real name: 涉密 projects show it only to users named on them, who alone get the row.
        var name: String
        var overdue: Bool
    }

    struct Page: Sendable {
        var rows: [Row]
        var total: Int
        var query: ProjectListQuery
        var pageCount: Int { max(1, (total + query.perPage - 1) / query.perPage) }
    }

    /// What the caller may see, as SQL can say it.
    enum Scope {
        /// Every row passing `base`, except 涉密 rows not in `classifiedVisible`.
        case rows(classifiedVisible: [UUID])
        /// Exactly these rows (a vendor's contracted projects).
        case only([UUID])
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
        let scope = try await scope(for: actor, opened: opened, on: db)
        let filtered = try filteredQuery(query, scope: scope, actor: actor, on: db)
        // COUNT(code), not Fluent's default COUNT(id): the id (a UUID key, not SQLite's rowid) is in no
        // list index, so SQLite fetched every matching row from the table (100,000 projects, stage
        // operating: 880 ms); code is in each (stage, …, code, classified) index, so the count is covering (14 ms cold).
        let total = try await AuditHeadCache.of(req.application).value("count|" + countKey(query, scope: scope, actor: actor), at: head) {
            try await filtered.copy().count(\.$code)
        }
        let sorted = records ? filtered : filtered.field(\.$id).field(\.$code).field(\.$name).field(\.$unitId).field(\.$stage)
            .field(\.$planYear).field(\.$totalInvestmentFen).field(\.$classified).field(\.$tier).field(\.$approvedFen)
            .field(\.$plannedFen).field(\.$disbursedFen).field(\.$version).field(\.$updatedAt)
        // Ties broken by code in the same direction, so an index (key, code) serves the whole order.
        let direction: DatabaseQuery.Sort.Direction = query.descending ? .descending : .ascending
        switch query.sort {
        case .code: sorted.sort(\.$code, direction)
        case .name: sorted.sort(\.$name, direction).sort(\.$code, direction)
        case .updated: sorted.sort(\.$updatedAt, direction).sort(\.$code, direction)
        case .investment: sorted.sort(\.$totalInvestmentFen, direction).sort(\.$code, direction)
        }
        let models = try await listed(sorted.offset(query.offset).limit(query.perPage), records: records)
        let overdue = try await overdueIds(models.compactMap(\.id), on: db)
        let secretNames = try await classifiedNames(models.filter(\.classified), recordsLoaded: records, opened: opened, on: db)
        let rows = models.map { model in
            Row(model: model, name: secretNames[model.id!] ?? model.name, overdue: overdue.contains(model.id!))
        }
        return Page(rows: rows, total: total, query: query)
    }

    /// The page's models, built from the output column by column (ProjectModel(listed:)).
    static func listed(_ query: QueryBuilder<ProjectModel>, records: Bool) async throws -> [ProjectModel] {
        let rows = NIOLockedValueBox<[Result<ProjectModel, any Error>]>([])
        try await query.run { output in
            let row = Result { try ProjectModel(listed: output.schema(ProjectModel.schema), record: records) }
            rows.withLockedValue { $0.append(row) }
        }.get()
        return try rows.withLockedValue { try $0.map { try $0.get() } }
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

    /// Scope and filters, unsorted; the caller counts it and then pages it.
    static func filteredQuery(_ query: ProjectListQuery, scope: Scope, actor: Actor, on db: Database) throws -> QueryBuilder<ProjectModel> {
        let builder = ProjectModel.query(on: db)
        if actor.organisationType == .unit { builder.filter(\.$unitId == actor.organisationId) }
        switch scope {
        case .rows(let visible) where visible.isEmpty: builder.filter(\.$classified == false)
        case .rows(let visible): builder.group(.or) { $0.filter(\.$classified == false).filter(\.$id ~~ visible) }
        case .only(let ids) where ids.isEmpty: builder.filter(.sql(unsafeRaw: "1 = 0"))
        case .only(let ids): builder.filter(\.$id ~~ ids)
        }
        if let search = query.search {
            builder.group(.or) { $0.filter(\.$name ~~ search).filter(\.$code ~~ search.uppercased()) }
        }
        if let stage = query.stage { builder.filter(\.$stage == stage.rawValue) }
        if let unitId = query.unitId { builder.filter(\.$unitId == unitId) }
        if let tier = query.tier { builder.filter(\.$tier == tier.rawValue) }
        if let year = query.planYear { builder.filter(\.$planYear == year) }
        if query.overdueOnly { builder.filter(.sql(unsafeRaw: overdueProjects)) }
        return builder
    }

    /// 涉密 projects are visible only to users named on them; vendors see the projects they are
    /// contracted on. Both are read from the records, but only for the few candidate rows: the
    /// 涉密 rows in the caller's reach, and the rows whose JSON names the vendor's organisation;
    /// each record is opened once per stored version (ClassifiedRecords).
    static func scope(for actor: Actor, opened: ClassifiedRecords, on db: Database) async throws -> Scope {
        // Keys read with SQLKit: Fluent's model output reflects per row, and every 涉密 row in reach
        // (~300 at 100,000 projects) is a candidate on every list: 37% of a list request's time.
        var query: SQLQueryString = "SELECT id, version, updated_at FROM projects WHERE "
        switch actor.organisationType {
        case .unit: query = query + "unit_id = \(bind: actor.organisationId) AND classified = \(bind: true)"
        case .vendor: query = query + "(classified = \(bind: true) OR record LIKE \(bind: "%" + actor.organisationId.uuidString + "%"))"
        case .drc, .fin, .bdb, .aud: query = query + "classified = \(bind: true)"
        }
        let keys = try await (db as! any SQLDatabase).raw(query).all().map { row in
            ClassifiedRecords.Key(id: try row.decode(column: "id", as: UUID.self), version: try row.decode(column: "version", as: Int.self),
                                  updatedAt: try row.decode(column: "updated_at", as: Int64.self))
        }
        let records = try await opened.records(keys: keys, on: db)
        let visible = records.values.filter { $0.isVisible(to: actor) }.map(\.id)
        return actor.organisationType == .vendor ? .only(visible) : .rows(classifiedVisible: visible)
    }

    /// The real names of the page's 涉密 rows (their name column holds a placeholder).
    static func classifiedNames(_ models: [ProjectModel], recordsLoaded: Bool, opened: ClassifiedRecords, on db: Database) async throws -> [UUID: String] {
        guard !models.isEmpty else { return [:] }
        if recordsLoaded { return Dictionary(uniqueKeysWithValues: try models.map { ($0.id!, try $0.decoded().name) }) }
        return try await opened.records(of: models, on: db).mapValues(\.name)
    }

    static func overdueIds(_ ids: [UUID], on db: Database) async throws -> Set<UUID> {
        guard !ids.isEmpty else { return [] }
        // Only the project ids, without a Fluent model per reminder.
        let query: SQLQueryString = "SELECT DISTINCT project_id FROM reminders WHERE project_id IN (\(binds: ids)) AND resolved_at IS NULL AND status = \(bind: DeadlineStatus.overdue.rawValue)"
        return Set(try await (db as! any SQLDatabase).raw(query).all().map { try $0.decode(column: "project_id", as: UUID.self) })
    }
}

extension ProjectSummary {
    /// A list line from the columns alone (tier as stored at the project's last write).
    init(row: ProjectListing.Row) {
        let m = row.model
        let stage = Stage(rawValue: m.stage) ?? .draft
        (id, code, name, unitId) = (m.id!, m.code, row.name, m.unitId)
        (self.stage, stageTitle, planYear, totalInvestment, tier) = (stage, stage.chinese, m.planYear, Fen(m.totalInvestmentFen), m.tier)
    }
}
