import Fluent
import Foundation
import SQLKit
import Vapor
import ZhengxinCore

/// One page of projects for a caller, from SQL over the list columns (100,000 projects): scope,
/// filters, a count and `LIMIT/OFFSET`, no record decoded except the few 涉密 ones in the caller's
/// reach (their name column holds a placeholder). The SQL is built without a Request (`pageQuery`,
/// `countQueries`, `classifiedCandidates`, `contractedProjects`), so QueryPlanTests read the plans of
/// exactly the statements the server runs.
enum ProjectListing {
    struct Row: Sendable {
        var project: ProjectRow
        /// The real name: 涉密 projects show it only to users named on them, who alone get the row.
        var name: String
        /// An unresolved overdue mark from the deadline scan.
        var overdue: Bool { project.overdueMarks > 0 }
    }

    struct Page: Sendable {
        var rows: [Row]
        var total: Int
        var query: ProjectListQuery
        /// The cursors of the page's first and last rows (ListCursor), for 上一页 and 下一页.
        var first: ListCursor?, last: ListCursor?
        /// Read `after` a cursor: whether a row follows the page (read one past it). The page number
        /// of such a page is the client's label, so it cannot say this.
        var more = false
        var pageCount: Int { max(1, (total + query.perPage - 1) / query.perPage) }
        /// Where the next page starts, when there is one.
        var next: ListCursor? {
            if query.after != nil { return more ? last : nil }
            if query.before != nil { return last }  // read back from a later page
            return query.page < pageCount && rows.count == query.perPage ? last : nil
        }
        /// Where the previous page ends, when there is one (page 1 is read by number).
        var previous: ListCursor? { query.page > 2 ? first : nil }
        /// The URL parameters of the next page (by cursor), when there is one.
        var nextParameters: String? { next.map { query.parameters(page: query.page + 1, after: $0) } }
        /// The URL parameters of the previous page (by cursor; page 1 by number), when there is one.
        var previousParameters: String? { query.page > 1 ? query.parameters(page: query.page - 1, before: previous) : nil }
    }

    /// What the caller may see, as SQL can say it.
    enum Scope: Sendable {
        /// Every row passing `base`, except 涉密 rows not in `classifiedVisible`.
        case rows(classifiedVisible: [UUID])
        /// A vendor's: the projects `organisation` is contracted on (rows of `project_parties`, none
        /// 涉密) and the 涉密 ones in `classifiedVisible`, which name it. Said to the database as a
        /// subquery of `project_parties`, so no statement carries the contracted ids (a vendor on 1,365
        /// projects had them bound into every statement of its pages).
        case contracted(organisation: UUID, classifiedVisible: [UUID])

        /// A vendor's rows as a condition on `column` (a project id).
        static func contractedRows(_ organisation: UUID, visible: [UUID], column: String) -> SQLQueryString {
            let parties: SQLQueryString = "SELECT project_id FROM project_parties WHERE organisation_id = \(bind: organisation)"
            // One subquery, not two conditions joined by OR: PostgreSQL cannot join an OR of subqueries
            // and would test every row of `projects` against a hashed list.
            let named: SQLQueryString = visible.isEmpty ? "" : " UNION ALL SELECT id FROM projects WHERE id IN (\(binds: visible))"
            return "\(unsafeRaw: column) IN (" + parties + named + ")"
        }
    }

    /// An open overdue mark, counted on the row (AddOverdueMarks).
    static let overdueProject = "overdue_marks > 0"

    /// `records`: also load each row's stored record (for callers that decode the page's rows);
    /// a list reads only the columns, so paging never drags the records through the database.
    /// `scope`: the caller's, when read already for another list of the same request.
    /// Nothing is kept between requests: every statement reads an index or a tally.
    static func page(
        _ query: ProjectListQuery, for actor: Actor, records: Bool = false, scope known: Scope? = nil, on req: Request
    ) async throws -> Page {
        let (db, opened) = (req.db, ClassifiedRecords.of(req.application))
        let scope: Scope
        if let known { scope = known } else { scope = try await self.scope(for: actor, on: req) }
        let matches = try await classifiedMatches(query, scope: scope, opened: opened, on: db)
        let plan = try await searchPlan(query, scope: scope, actor: actor, on: db)
        let total = try await count(query, scope: scope, actor: actor, classifiedMatches: matches, plan: plan, on: db)
        var shown = query
        func read(_ query: ProjectListQuery) async throws -> [ProjectRow] {
            try await Self.rows(
                query, scope: scope, actor: actor, classifiedMatches: matches, records: records, total: total, plan: plan, on: db)
        }
        var projects: [ProjectRow]
        var more = false
        if query.after != nil {
            var ahead = query
            ahead.perPage += 1
            projects = try await read(ahead)
            more = projects.count > query.perPage
            projects = Array(projects.prefix(query.perPage))
        } else {
            projects = try await read(shown)
        }
        if query.before != nil && projects.count < query.perPage {
            // Back past the first page (rows were added before it since): show page 1 whole.
            (shown.before, shown.page) = (nil, 1)
            projects = try await read(shown)
        }
        let secrets = try await classifiedRecords(projects.filter(\.classified), recordsLoaded: records, opened: opened, on: db)
        let rows = projects.map { p in
            secrets[p.id].map { Row(project: p.withAmounts(of: $0), name: $0.name) } ?? Row(project: p, name: p.name)
        }
        return Page(
            rows: rows, total: total, query: shown, first: projects.first.map { ListCursor($0, sort: query.sort) },
            last: projects.last.map { ListCursor($0, sort: query.sort) }, more: more)
    }

    /// The page's rows in the query's order, as stored (a 涉密 row's name and amounts not yet opened).
    static func rows(
        _ query: ProjectListQuery, scope: Scope, actor: Actor, classifiedMatches: [UUID], records: Bool, total: Int, plan: SearchPlan?,
        on db: Database
    ) async throws -> [ProjectRow] {
        // Past the end: nothing to read (an OFFSET there would still step through every row).
        guard query.after != nil || query.before != nil || query.offset < total else { return [] }
        let window = window(query, total: total)
        var walkEnd: ListCursor?
        if let plan, plan.walkHasEnd(window) {
            let end = walkEndQuery(query, scope: scope, actor: actor, window: window, budget: plan.walkBudget(window))
            walkEnd = try await PlainRows.all(end, on: db).first.map { try ListCursor(walkEnd: $0, sort: query.sort) }
        }
        func read(_ plan: SearchPlan?) async throws -> [ProjectRow] {
            let select = pageQuery(
                query, scope: scope, actor: actor, classifiedMatches: classifiedMatches, records: records, total: total, plan: plan,
                walkEnd: walkEnd)
            return try await PlainRows.all(select, on: db).map { try ProjectRow(row: $0) }
        }
        var rows = try await read(plan)
        if walkEnd != nil && rows.count < window.limit {
            // The walk stopped at its end without filling the page (the matches lie further on):
            // the page is taken from the text index's matches.
            rows = try await read(nil)
        }
        return window.reversed ? rows.reversed() : rows
    }

    /// How many rows the query matches. A 涉密 row the caller is named on is counted apart: with
    /// `classified = false OR id IN (…)` SQLite reads every matching row from the table (the id is in
    /// no list index), 20–60 ms for one stage of 100,000 projects; each half alone is covered by an index.
    /// With a SearchPlan and no filter but the search, the open rows are the text index's matches.
    static func count(
        _ query: ProjectListQuery, scope: Scope, actor: Actor, classifiedMatches: [UUID] = [], plan: SearchPlan? = nil, on db: Database
    ) async throws -> Int {
        if case .contracted(let organisation, let visible) = scope, !filtered(query, actor: actor) {
            // A vendor's list without a filter is its scope: its contracted projects, counted in the
            // parties' (organisation, project) index, and the 涉密 ones it is named on (never among them).
            let contracted = try await PlainRows.all(contractedCount(of: organisation), on: db).first?.int(0) ?? 0
            return contracted + visible.count
        }
        var total = 0
        let testsRows: Bool
        if let plan { testsRows = plan.countTestsRows } else { testsRows = try await SearchPlan.postgresCountTestsRows(query, on: db) }
        var statements = countQueries(
            query, scope: scope, actor: actor, classifiedMatches: classifiedMatches, testsRows: testsRows)
        if let plan, searchIsTheOnlyFilter(query, actor: actor) {
            total = plan.matches
            statements.removeFirst()
        } else if let grams = SearchPlan.postgresGramCount(query, scope: scope, actor: actor, on: db) {
            total = try await PlainRows.all(grams, on: db).first?.int(0) ?? 0
            statements.removeFirst()
        }
        for count in statements { total += try await PlainRows.all(count, on: db).first?.int(0) ?? 0 }
        return total
    }

    /// The query filters by nothing but its search (and the caller's reach).
    static func searchIsTheOnlyFilter(_ q: ProjectListQuery, actor: Actor) -> Bool {
        actor.organisationType != .unit && q.stage == nil && q.unitId == nil && q.tier == nil && q.planYear == nil && !q.overdueOnly
    }

    /// How a search reads on SQLite (SearchPlan), for a caller whose reach is rows (not a vendor's
    /// list of contracts, which is read by id); nil without a search, or on PostgreSQL.
    static func searchPlan(_ query: ProjectListQuery, scope: Scope, actor: Actor, on db: Database) async throws -> SearchPlan? {
        guard let search = query.search, (db as? any SQLDatabase)?.dialect.name == "sqlite", case .rows = scope else { return nil }
        let matches = try await PlainRows.all(SearchPlan.matchesQuery(search), on: db).first?.int(0) ?? 0
        var unsearched = query
        unsearched.search = nil
        let tallied = countQueries(unsearched, scope: .rows(classifiedVisible: []), actor: actor)[0]
        let inScope = try await PlainRows.all(tallied, on: db).first?.int(0) ?? 0
        return SearchPlan(matches: matches, inScope: inScope, rowsTestable: SearchPlan.rowsTestable(search))
    }

    /// The counts `count` adds up.
    /// `testsRows`: a search tests each row the other filters pass (SearchPlan.countTestsRows).
    static func countQueries(
        _ query: ProjectListQuery, scope: Scope, actor: Actor, classifiedMatches: [UUID] = [], testsRows: Bool = false
    ) -> [SQLQueryString] {
        // COUNT(code), not COUNT(id): code is in each (stage, …, code, classified) index, id in none.
        func count(_ condition: SQLQueryString) -> SQLQueryString { "SELECT COUNT(code) FROM projects WHERE " + condition }
        let filters = self.filters(query, actor: actor, classifiedMatches: classifiedMatches, testsRows: testsRows)
        // Without a search every filter is a column of the tallies the database keeps per unit,
        // stage, plan year, tier and 涉密 in each writing transaction (project_tallies, and
        // overdue_tallies for the overdue projects): the rows open to every reader are counted
        // there, a few thousand tally rows instead of up to every project, which matters right after
        // a write when no count is cached.
        var tallied = query
        tallied.overdueOnly = false
        let tallies = query.overdueOnly ? "overdue_tallies" : "project_tallies"
        let openRows: SQLQueryString =
            query.search == nil
            ? "SELECT CAST(COALESCE(SUM(projects), 0) AS BIGINT) FROM \(unsafeRaw: tallies) WHERE "
                + self.filters(tallied, actor: actor) + " AND classified = \(bind: false)"
            : count(filters + " AND classified = \(bind: false)")
        switch scope {
        case .rows(let visible) where !visible.isEmpty:
            return [openRows, count(filters + " AND classified = \(bind: true) AND id IN (\(binds: visible))")]
        case .rows:
            return [openRows]
        case .contracted:
            return [count(condition(query, scope: scope, actor: actor, classifiedMatches: classifiedMatches, testsRows: testsRows))]
        }
    }

    /// Scope and filters as one SQL condition (the WHERE of the count and of the page).
    /// `classifiedMatches`: the 涉密 rows in scope whose real name or code contains the search
    /// (classifiedMatches(_:scope:opened:on:)); the text indexes hold no 涉密 row.
    ///
    /// `ordered`: the condition of a page, read in its order from an index and stopped at the LIMIT.
    /// The reach is then `NOT classified` rather than `classified = false`: an equality on
    /// `classified` or an `OR` over two indexes each made the database fetch every matching row by
    /// that index and sort them all (99,722 rows for an agency's first page at 100,000 projects); the (sort key, code,
    /// classified) indexes of AddProjectListOrderIndexes decide the reach without the table. A count
    /// reads better by the equality and the `IN` list, and keeps them.
    ///
    /// `reachByCode`: the reach said by `code`, which every order index holds, instead of `id`, which
    /// none does, for the page's keys read alone (ProjectListPageQuery): PostgreSQL then counts past
    /// the skipped rows in the index without visiting the table.
    static func condition(
        _ query: ProjectListQuery, scope: Scope, actor: Actor, classifiedMatches: [UUID] = [], ordered: Bool = false,
        testsRows: Bool = false, reachByCode: Bool = false
    ) -> SQLQueryString {
        let reach: SQLQueryString
        switch scope {
        case .rows(let visible) where visible.isEmpty: reach = ordered ? "NOT classified" : "classified = \(bind: false)"
        case .rows(let visible) where ordered && reachByCode:
            reach = "NOT (classified AND code NOT IN (SELECT code FROM projects WHERE id IN (\(binds: visible))))"
        case .rows(let visible) where ordered: reach = "NOT (classified AND id NOT IN (\(binds: visible)))"
        case .rows(let visible): reach = "(classified = \(bind: false) OR id IN (\(binds: visible)))"
        case .contracted(let organisation, let visible): reach = Scope.contractedRows(organisation, visible: visible, column: "id")
        }
        return filters(query, actor: actor, classifiedMatches: classifiedMatches, testsRows: testsRows) + " AND " + reach
    }

    /// The caller's own unit (for a unit) and the query's filters; "1 = 1" when there are none.
    static func filters(_ query: ProjectListQuery, actor: Actor, classifiedMatches: [UUID] = [], testsRows: Bool = false) -> SQLQueryString
    {
        var parts: [SQLQueryString] = []
        if actor.organisationType == .unit { parts.append("unit_id = \(bind: actor.organisationId)") }
        if let search = query.search {
            let withinUnit = actor.organisationType == .unit || query.unitId != nil
            let indexed: SQLQueryString = "\(Search(text: search, testsRows: testsRows, withinUnit: withinUnit))"
            parts.append(classifiedMatches.isEmpty ? indexed : "(" + indexed + " OR id IN (\(binds: classifiedMatches)))")
        }
        if let stage = query.stage { parts.append("stage = \(bind: stage.rawValue)") }
        if let unitId = query.unitId { parts.append("unit_id = \(bind: unitId)") }
        if let tier = query.tier { parts.append("tier = \(bind: tier.rawValue)") }
        if let year = query.planYear { parts.append("plan_year = \(bind: year)") }
        if query.overdueOnly { parts.append("\(unsafeRaw: overdueProject)") }
        return parts.isEmpty ? "1 = 1" : parts.joined(separator: " AND ")
    }

    /// The caller's scope, read for the request: the keys of the 涉密 rows in reach from their
    /// (classified, …) index, each opened at most once per stored version (ClassifiedRecords).
    static func scope(for actor: Actor, on req: Request) async throws -> Scope {
        try await scope(for: actor, opened: ClassifiedRecords.of(req.application), on: req.db)
    }

    /// 涉密 projects are visible only to users named on them, which only their sealed records say:
    /// every 涉密 row in the caller's reach is a candidate, opened once per stored version
    /// (ClassifiedRecords). Vendors see the projects they are contracted on: the rows that are not
    /// 涉密 from `project_parties` (AddProjectParties), the 涉密 ones from their records.
    static func scope(for actor: Actor, opened: ClassifiedRecords, on db: Database) async throws -> Scope {
        // Keys read by position: every 涉密 row in reach (~300 at 100,000 projects) is a candidate
        // on every list.
        let keys = try await PlainRows.all(classifiedCandidates(for: actor), on: db).map { row in
            ClassifiedRecords.Key(id: try row.uuid(0), version: try row.int(1), updatedAt: try row.int64(2))
        }
        let visible = try await opened.visible(keys: keys, to: actor, on: db)
        guard actor.organisationType == .vendor else { return .rows(classifiedVisible: visible) }
        return .contracted(organisation: actor.organisationId, classifiedVisible: visible)
    }

    /// The keys of the 涉密 rows in the caller's reach.
    static func classifiedCandidates(for actor: Actor) -> SQLQueryString {
        let query: SQLQueryString = "SELECT id, version, updated_at FROM projects WHERE "
        switch actor.organisationType {
        case .unit: return query + "unit_id = \(bind: actor.organisationId) AND classified = \(bind: true)"
        case .vendor, .drc, .fin, .bdb, .aud: return query + "classified = \(bind: true)"
        }
    }

    /// The projects (not 涉密) an organisation is contracted on.
    static func contractedProjects(of organisation: UUID) -> SQLQueryString {
        "SELECT DISTINCT project_id FROM project_parties WHERE organisation_id = \(bind: organisation)"
    }

    /// How many projects (not 涉密) an organisation is contracted on, from the parties' index alone.
    static func contractedCount(of organisation: UUID) -> SQLQueryString {
        "SELECT COUNT(*) FROM (" + contractedProjects(of: organisation) + ") AS contracted"
    }

    /// The 涉密 rows in `scope` whose real name or code contains the query's search, matched on their
    /// opened records: their name column holds only a placeholder, and the text indexes hold none of
    /// them, so only a caller named on one finds it, and only by what it is really called.
    static func classifiedMatches(_ query: ProjectListQuery, scope: Scope, opened: ClassifiedRecords, on db: Database) async throws
        -> [UUID]
    {
        guard let search = query.search else { return [] }
        let candidates: [UUID]
        switch scope {
        case .rows(let visible): candidates = visible
        case .contracted(_, let visible): candidates = visible
        }
        guard !candidates.isEmpty else { return [] }
        let select: SQLQueryString =
            "SELECT id, version, updated_at FROM projects WHERE classified = \(bind: true) AND id IN (\(binds: candidates))"
        let keys = try await PlainRows.all(select, on: db).map { row in
            ClassifiedRecords.Key(id: try row.uuid(0), version: try row.int(1), updatedAt: try row.int64(2))
        }
        guard !keys.isEmpty else { return [] }
        return try await opened.records(keys: keys, on: db).values
            .filter {
                $0.name.range(of: search, options: .caseInsensitive) != nil || $0.code.range(of: search, options: .caseInsensitive) != nil
            }
            .map(\.id).sorted { $0.uuidString < $1.uuidString }
    }

    /// The opened records of the page's 涉密 rows: their name column holds a placeholder and their
    /// amount columns 0 (ClearClassifiedMoney), the real ones are in the sealed record.
    static func classifiedRecords(_ projects: [ProjectRow], recordsLoaded: Bool, opened: ClassifiedRecords, on db: Database) async throws
        -> [UUID: ProjectRecord]
    {
        guard !projects.isEmpty else { return [:] }
        if recordsLoaded { return Dictionary(uniqueKeysWithValues: try projects.map { ($0.id, try $0.decoded()) }) }
        return try await opened.records(keys: projects.map(\.key), on: db)
    }
}

extension ProjectRow {
    /// The row with the amounts its (opened) record holds, for a reader named on a 涉密 project.
    func withAmounts(of record: ProjectRecord) -> ProjectRow {
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
