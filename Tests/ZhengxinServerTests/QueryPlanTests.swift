import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// The plans of the project list's hot queries, on both databases, as the server builds them
/// (ProjectListing.pageQuery / countQueries / classifiedCandidates / contractedProjects), over a
/// seeded table: none may read the whole projects table, and no page may sort the rows it pages
/// through (it must read them in order from an index and stop at the LIMIT). After the Swift Package
/// Index server's QueryPerformanceTests: an index that goes missing fails here, not in production.
///
/// SQLite: `EXPLAIN QUERY PLAN` fails on `SCAN projects` without an index, and on `USE TEMP B-TREE
/// FOR ORDER BY` inside the page's subquery (the outer ORDER BY re-sorts only the page's rows).
/// PostgreSQL: `EXPLAIN (FORMAT JSON)` with `enable_seqscan`, `enable_sort` and
/// `enable_incremental_sort` off, so that a small table does not make a sequential scan or a sort of
/// its few rows the cheapest (at 100,000 rows they are not); a Seq Scan of projects, or a Sort node
/// below the page's Limit (sorting every matching row), is then there only when no index can serve.
///
/// Two shapes are sorted after an index lookup by design, each allowed below with its reason: the rows
/// matched by the text index (a search, which must read that index), and the rows of a vendor's
/// contracts. Each is bounded by an index lookup, not by the table.
@Suite("Query plans of the project list")
struct QueryPlanTests {
    static let projects = 400

    struct Case: CustomStringConvertible {
        var name: String
        var query: ProjectListQuery
        var actor: Actor
        var scope: ProjectListing.Scope
        /// Why this shape may sort after an index lookup (nil: it must read in order).
        var sorted: String?
        /// An index the plans must read (a search: the text index).
        var index: (sqlite: String, postgres: String)?
        /// The rows counted, for a page read from the end of its order.
        var total: Int? = nil
        /// How its search reads on SQLite (PostgreSQL plans a search by its own statistics).
        var plan: ProjectListing.SearchPlan? = nil
        /// The index the page must read on SQLite: one that holds the reach (`classified`) beside the
        /// sort key, so rows the page steps over are not looked up in the table.
        var pageIndex: String? = nil
        var description: String { name }
    }

    /// A finding in a plan.
    struct Finding: CustomStringConvertible {
        var statement: String
        var problem: String
        var plan: String
        var description: String { "\(statement): \(problem)\n\(plan)" }
    }

    @Test("every list query shape reads through an index, in order", arguments: Backend.all)
    func projectList(_ backend: Backend) async throws {
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: { Instant(beijing: CivilDate(2026, 11, 1), hour: 10) }) { app in
                let seeded = try await Self.seed(app.db)
                var findings: [Finding] = []
                for c in Self.cases(seeded) {
                    let page = ProjectListing.pageQuery(c.query, scope: c.scope, actor: c.actor, total: c.total, plan: c.plan)
                    // PostgreSQL costs its plans: on 400 rows it rightly walks the order index and tests each row
                    // against the search, so only the count, which has no order to keep, must read the text index.
                    // A search that tests rows (SearchPlan) reads no text index on SQLite, and its page no sort;
                    // PostgreSQL weighs the two ways by its statistics, and may read either index.
                    let walks = backend == .sqlite && c.plan != nil
                    findings += try await Self.check(
                        page, "\(c.name): page", allowSort: c.sorted != nil && !walks,
                        requiring: backend == .sqlite && !walks ? c.index : nil, on: app.db)
                    let window = ProjectListing.window(c.query, total: c.total)
                    if backend == .postgres, ProjectListing.readsKeysFirst(c.query, window: window, scope: c.scope) {
                        // The rows a deep page steps over are counted in the order's index, not fetched from the table.
                        findings += try await Self.check(
                            page, "\(c.name): the page's keys", allowSort: false, requiring: ("", "Index Only Scan"), on: app.db)
                    }
                    if backend == .sqlite, let plan = c.plan, plan.pageTestsRows(window) {
                        // A walk stops where its end says, found by reading the sort's index in order.
                        let end = ProjectListing.walkEndQuery(
                            c.query, scope: c.scope, actor: c.actor, window: window, budget: plan.walkBudget(window))
                        findings += try await Self.check(
                            end, "\(c.name): walk end", allowSort: false, requiring: (c.pageIndex ?? "USING", ""), on: app.db)
                        let key: ListCursor.Key? =
                            c.query.sort == .code ? nil : c.query.sort == .name ? .text("城市大脑100号") : .number(30_000_000)
                        let bounded = ProjectListing.pageQuery(
                            c.query, scope: c.scope, actor: c.actor, total: c.total, plan: plan,
                            walkEnd: ListCursor(key: key, code: "ZZ-2026-0100"))
                        findings += try await Self.check(
                            bounded, "\(c.name): page to the walk's end", allowSort: false, outerSort: false, on: app.db)
                    }
                    if backend == .sqlite, let index = c.pageIndex {
                        findings += try await Self.check(page, "\(c.name): page", allowSort: false, requiring: (index, ""), on: app.db)
                    }
                    let counts = ProjectListing.countQueries(
                        c.query, scope: c.scope, actor: c.actor, testsRows: c.plan?.countTestsRows ?? false)
                    for (i, count) in counts.enumerated() {
                        findings += try await Self.check(
                            count, "\(c.name): count \(i + 1)", allowSort: true, requiring: c.plan == nil ? c.index : nil, on: app.db)
                    }
                }
                for actor in [seeded.drc, seeded.unit, seeded.vendor] {
                    findings += try await Self.check(
                        ProjectListing.classifiedCandidates(for: actor), "涉密 candidates of \(actor.organisationType)",
                        allowSort: true, on: app.db)
                }
                for text in ["平台", "台"] {
                    var q = ProjectListQuery()
                    q.search = text
                    if let grams = ProjectListing.SearchPlan.postgresGramCount(
                        q, scope: .rows(classifiedVisible: []), actor: seeded.drc, on: app.db)
                    {
                        findings += try await Self.check(
                            grams, "count of \(text) from the gram rows", allowSort: true,
                            requiring: ("", "project_search_grams_pkey"), tables: ["project_search_grams"], on: app.db)
                    }
                }
                findings += try await Self.check(
                    ProjectListing.contractedProjects(of: seeded.vendor.organisationId), "a vendor's contracts",
                    allowSort: true, on: app.db)
                findings += try await Self.check(
                    ProjectListing.contractedCount(of: seeded.vendor.organisationId), "how many a vendor's contracts are",
                    allowSort: true, requiring: ("project_parties_organisation", "project_parties_organisation"),
                    tables: ["project_parties"], on: app.db)
                // The list page's year choices: one probe of the year index per year (each a MAX that stops at
                // its first entry), never a walk of the index.
                findings += try await Self.check(
                    ProjectListView.planYearsQuery, "the list page's years", allowSort: true, probesOnly: true, on: app.db)
                // The report's groupings of the tallies stream from a covering index in their order; with
                // the year filter, the year's rows may be grouped in a temporary B-tree (SQLite; PostgreSQL
                // hashes the tally rows, AddReportTallyIndexes).
                if backend == .sqlite {
                    for (grouping, index) in [(PortfolioQuery.Grouping.byUnit, "unit"), (.byStageYearTier, "stage")] {
                        for year in [nil, 2026] {
                            findings += try await Self.check(
                                PortfolioQuery.cellsQuery(grouping, scopedUnit: nil, planYear: year),
                                "report tallies \(grouping), year \(year.map(String.init) ?? "all")", allowSort: year != nil,
                                requiring: ("COVERING INDEX project_tallies_by_\(index)", ""), tables: ["project_tallies"],
                                outerSort: false, on: app.db)
                        }
                    }
                }
                for finding in findings { Issue.record("\(finding)") }
            }
        }
    }

    @Test(
        "a unit's sharing view, the admin audit record, organisations and proposals read through their indexes, in order",
        arguments: Backend.all)
    func collections(_ backend: Backend) async throws {
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: { Instant(beijing: CivilDate(2026, 11, 1), hour: 10) }) { app in
                let seeded = try await Self.seed(app.db)
                let sql = app.db as! any SQLDatabase
                let zeros = ProjectSharingRow.figureColumns.map { _ in "0" }.joined(separator: ", ")
                try await sql.raw(
                    """
                    INSERT INTO project_sharing (\(unsafeRaw: ProjectSharingRow.columns.joined(separator: ", ")))
                    SELECT id, unit_id, code, classified, \(unsafeRaw: zeros) FROM projects
                    """
                ).run()
                if sql.dialect.name == "postgresql" { try await sql.raw("ANALYZE").run() }
                let unit = seeded.units[3]
                let page = try PageRequest.parse(page: "2", per: "5", defaultPer: 5, maxPer: 200)
                let sharing: Set<String> = ["projects", "project_sharing", "p", "s"]
                var findings: [Finding] = []
                findings += try await Self.check(
                    UnitSharingQuery.page(unit, classifiedVisible: [], page), "unit sharing page", allowSort: false,
                    tables: sharing, outerSort: false, on: app.db)
                findings += try await Self.check(
                    UnitSharingQuery.page(unit, classifiedVisible: Array(seeded.classified.prefix(2)), page),
                    "unit sharing page, named on 涉密 rows", allowSort: false, tables: sharing, outerSort: false, on: app.db)
                findings += try await Self.check(
                    UnitSharingQuery.openTotals(unit), "unit sharing totals", allowSort: true, tables: sharing, on: app.db)
                findings += try await Self.check(
                    UnitSharingQuery.classifiedKeys(unit), "unit 涉密 keys", allowSort: true, tables: sharing, on: app.db)
                let audit: Set<String> = ["audit_entries"]
                let filters: [(String, AuditAdminController.Filter)] = [
                    ("unfiltered", .init()), ("by project", .init(projectId: seeded.open[0])),
                    ("by actor", .init(actorUserId: UUID())), ("by action", .init(action: "login")),
                ]
                for (name, filter) in filters {
                    findings += try await Self.check(
                        AuditAdminController.pageQuery(
                            filter, head: 5_000, before: nil,
                            paging: try PageRequest.parse(page: "3", per: "50", defaultPer: 50, maxPer: 500)),
                        "admin audit \(name), page 3", allowSort: false, tables: audit, outerSort: false, on: app.db)
                    findings += try await Self.check(
                        AuditAdminController.pageQuery(
                            filter, head: 5_000, before: 1_234,
                            paging: try PageRequest.parse(page: "1", per: "50", defaultPer: 50, maxPer: 500)),
                        "admin audit \(name), before", allowSort: false, tables: audit, outerSort: false, on: app.db)
                    if !filter.isEmpty {
                        findings += try await Self.check(
                            AuditAdminController.countQuery(filter), "admin audit \(name), count", allowSort: true, tables: audit,
                            on: app.db)
                    }
                }
                findings += try await Self.check(
                    OrganisationController.pageQuery(page), "organisations page", allowSort: false, tables: ["organisations"],
                    outerSort: false, on: app.db)
                findings += try await Self.check(
                    AdminAccountProposals.pageQuery(page), "account proposals page", allowSort: false,
                    requiring: ("admin_account_proposals_recent", "admin_account_proposals_recent"),
                    tables: ["admin_account_proposals"], outerSort: false, on: app.db)
                for finding in findings { Issue.record("\(finding)") }
            }
        }
    }

    @Test("the search and parties indexes hold what the rows say, through inserts, renames, 涉密 and deletes", arguments: Backend.all)
    func indexesFollowWrites(_ backend: Backend) async throws {
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: { Instant(beijing: CivilDate(2026, 11, 1), hour: 10) }) { app in
                let seeded = try await Self.seed(app.db)
                let sql = app.db as! any SQLDatabase
                func found(_ text: String) async throws -> Set<UUID> {
                    var q = ProjectListQuery()
                    q.search = text
                    q.perPage = 10_000
                    let select = ProjectListing.pageQuery(q, scope: .rows(classifiedVisible: []), actor: seeded.drc)
                    let fetched = Set(try await PlainRows.all(select, on: app.db).map { try $0.uuid(0) })
                    // One unit's rows (its own list; an agency's unit filter) test their own name and code on
                    // PostgreSQL (Search.withinUnit), and find what the grams find in that unit.
                    let unitRows = Set(
                        try await PlainRows.all(
                            SQLQueryString("SELECT id FROM projects WHERE unit_id = \(bind: seeded.unit.organisationId)"), on: app.db
                        ).map { try $0.uuid(0) })
                    for actor in [seeded.drc, seeded.unit] {
                        var inUnit = q
                        if actor.organisationType != .unit { inUnit.unitId = seeded.unit.organisationId }
                        let tested = ProjectListing.pageQuery(inUnit, scope: .rows(classifiedVisible: []), actor: actor)
                        let rows = Set(try await PlainRows.all(tested, on: app.db).map { try $0.uuid(0) })
                        #expect(rows == fetched.intersection(unitRows), "\(text): one unit's rows, \(actor.organisationType)")
                    }
                    // Testing each row (SearchPlan) finds what the text index finds, page and count, for an agency and a unit.
                    if ProjectListing.SearchPlan.rowsTestable(text) {
                        let walk = ProjectListing.SearchPlan(matches: 1_000, inScope: 0, rowsTestable: true)
                        let tested = ProjectListing.pageQuery(
                            q, scope: .rows(classifiedVisible: seeded.classified), actor: seeded.drc, plan: walk)
                        let testedRows = Set(try await PlainRows.all(tested, on: app.db).map { try $0.uuid(0) })
                        #expect(testedRows == fetched, "\(text): tested rows")
                        for actor in [seeded.drc, seeded.unit] {
                            let counts = try await Self.counted(q, actor: actor, on: app.db)
                            #expect(counts.indexed == counts.tested, "\(text): counted by testing rows, \(actor.organisationType)")
                        }
                        if sql.dialect.name == "sqlite" {
                            let alone = try await PlainRows.all(ProjectListing.SearchPlan.matchesQuery(text), on: app.db).first?.int(0)
                            #expect(alone == fetched.count, "\(text): the text index's own count")
                        }
                        if let grams = ProjectListing.SearchPlan.postgresGramCount(
                            q, scope: .rows(classifiedVisible: []), actor: seeded.drc, on: app.db)
                        {
                            let counted = try await PlainRows.all(grams, on: app.db).first?.int(0)
                            #expect(counted == fetched.count, "\(text): the gram rows' count")
                        }
                        #expect(
                            (ProjectListing.SearchPlan.postgresGramCount(
                                q, scope: .rows(classifiedVisible: []), actor: seeded.drc, on: app.db) != nil)
                                == (sql.dialect.name == "postgresql" && text.count <= 2), "\(text)")
                        // A vendor's reach is its contracts: its count is of those rows, never of the gram rows.
                        #expect(
                            ProjectListing.SearchPlan.postgresGramCount(
                                q, scope: .contracted(organisation: seeded.vendor.organisationId, classifiedVisible: []), actor: seeded.drc,
                                on: app.db) == nil)
                    }
                    return fetched
                }
                func scanned(_ text: String) async throws -> Set<UUID> {
                    let rows = try await PlainRows.all(
                        SQLQueryString("SELECT id, name, code FROM projects WHERE classified = \(bind: false)"), on: app.db)
                    return Set(
                        try rows.filter { row in
                            try row.text(1).range(of: text, options: .caseInsensitive) != nil
                                || row.text(2).range(of: text, options: .caseInsensitive) != nil
                        }.map { try $0.uuid(0) })
                }
                // Every length, Chinese and code, against a scan of the same rows.
                for text in ["平台", "台", "云", "智慧城市", "城市大脑", "zz-2026-01", "zz", "Z", "0", "系统", "统", "管理平台二期", "无此项目"] {
                    let hits = try await found(text)
                    #expect(hits == (try await scanned(text)), "\(text)")
                }
                let platform = try await found("平台"), city = try await found("智慧城市")
                #expect(!platform.isEmpty && !city.isEmpty)
                // The placeholder of 涉密 rows finds nothing.
                let placeholder = try await found("涉密")
                #expect(placeholder.isEmpty)
                func contracted() async throws -> Set<UUID> {
                    Set(
                        try await PlainRows.all(ProjectListing.contractedProjects(of: seeded.vendor.organisationId), on: app.db).map {
                            try $0.uuid(0)
                        })
                }

                let first = seeded.open[0]
                #expect(try await contracted().contains(first))
                try await sql.raw("UPDATE projects SET name = '城市大脑升级改造' WHERE id = \(bind: first)").run()
                let renamed = [try await found("大脑升级"), try await found("升级"), try await found("造")]
                #expect(renamed.allSatisfy { $0.contains(first) })
                try await sql.raw(
                    "UPDATE projects SET classified = \(bind: true), name = \(bind: ProjectRecordStorage.classifiedName) WHERE id = \(bind: first)"
                ).run()
                let hidden = [try await found("大脑升级"), try await found("升级")]
                #expect(hidden.allSatisfy { !$0.contains(first) })
                #expect(!(try await contracted()).contains(first))
                // The parties follow the 涉密 flag by trigger, read from the record then; a contract change
                // is stored by the action that makes it (ProjectParties), so a record written alone, here
                // by hand, leaves them as they were.
                let third = seeded.open[1], vendor = seeded.vendor.organisationId.uuidString
                func record(_ supervision: String, _ extra: String) -> String {
                    #"{"constructionContracts":[],"supervisionContracts":\#(supervision),"note":"\#(extra)"}"#
                }
                let supervised = #"[{"number":1,"supervisionFirmOrganisationId":"\#(vendor)"}]"#
                for (text, classified, expected) in [
                    (record(supervised, "a"), false, false), ("zx-sm4:1:sealed", true, false), (record(supervised, "b"), false, true),
                    (record("[]", "c"), false, true), ("zx-sm4:1:sealed", true, false), (record("[]", "d"), false, false),
                ] {
                    try await sql.raw(
                        "UPDATE projects SET record = \(bind: text), classified = \(bind: classified) WHERE id = \(bind: third)"
                    ).run()
                    #expect(try await contracted().contains(third) == expected, "\(text)")
                }
                let second = seeded.open[7]  // contracted (every 7th row), named …平台…
                let platformBefore = try await found("平台")
                let secondBefore = try await contracted()
                #expect(secondBefore.contains(second) && platformBefore.contains(second))
                try await sql.raw("DELETE FROM projects WHERE id = \(bind: second)").run()
                let platformAfter = try await found("平台")
                #expect(platformAfter == platformBefore.subtracting([second]))
                #expect(try await contracted() == secondBefore.subtracting([second]))
                for text in ["平台", "台", "城市", "zz-2026"] {
                    #expect(try await found(text) == (try await scanned(text)), "\(text) after the writes")
                }
                // FTS5 folds the Kelvin sign K to k, SQLite's lower() does not: a text with k is fetched, never row-tested.
                if sql.dialect.name == "sqlite" {
                    let kelvin = seeded.open[9]
                    try await sql.raw("UPDATE projects SET name = \(bind: "\u{212A}IT平台") WHERE id = \(bind: kelvin)").run()
                    #expect(try await found("kit平").contains(kelvin))
                    #expect(!ProjectListing.SearchPlan.rowsTestable("kit平") && ProjectListing.SearchPlan.rowsTestable("ZZ-2025"))
                }
            }
        }
    }

    struct Seeded {
        var drc: Actor
        var unit: Actor
        var vendor: Actor
        var units: [UUID]
        var classified: [UUID]
        var open: [UUID]
    }

    /// `projects` rows over 20 units, every stage, tier and a few plan years, 1 in 20 涉密, the
    /// vendor contracted on every 7th (construction) and every 11th (supervision).
    /// The query's count for `actor` (no 涉密 row in reach) through the text index and by testing rows.
    static func counted(_ q: ProjectListQuery, actor: Actor, on db: any Database) async throws -> (indexed: Int, tested: Int) {
        var counts: [Int] = []
        for testsRows in [false, true] {
            var total = 0
            for count in ProjectListing.countQueries(q, scope: .rows(classifiedVisible: []), actor: actor, testsRows: testsRows) {
                total += try await PlainRows.all(count, on: db).first?.int(0) ?? 0
            }
            counts.append(total)
        }
        return (counts[0], counts[1])
    }

    static func seed(_ db: any Database) async throws -> Seeded {
        let sql = db as! any SQLDatabase
        var units: [UUID] = []
        for i in 0..<20 {
            let org = OrganisationModel(name: "单位\(i)", type: .unit)
            try await org.create(on: db)
            units.append(try org.requireID())
        }
        let agency = OrganisationModel(name: "市发展改革委", type: .drc)
        let vendorOrg = OrganisationModel(name: "某科技公司", type: .vendor)
        try await agency.create(on: db)
        try await vendorOrg.create(on: db)
        let vendorId = try vendorOrg.requireID()
        let words = ["智慧城市", "政务云平台", "城市大脑", "医疗信息系统", "教育专网", "数据共享交换平台", "应急指挥系统", "管理平台二期"]
        let stages = Stage.allCases
        var classified: [UUID] = [], open: [UUID] = []
        for i in 0..<projects {
            let id = UUID()
            let secret = i % 20 == 19
            let contracts = i % 7 == 0 ? #"[{"number":1,"contractorOrganisationId":"\#(vendorId.uuidString)"},{"number":2}]"# : "[]"
            let supervision = i % 11 == 0 ? #"[{"number":1,"supervisionFirmOrganisationId":"\#(vendorId.uuidString)"}]"# : "[]"
            let record = secret ? "zx-sm4:1:sealed" : #"{"constructionContracts":\#(contracts),"supervisionContracts":\#(supervision)}"#
            let name = secret ? ProjectRecordStorage.classifiedName : "\(words[i % words.count])\(i)号"
            try await sql.raw(
                """
                INSERT INTO projects (id, code, name, unit_id, stage, plan_year, total_investment_fen, classified, tier, approved_fen,
                  planned_fen, disbursed_fen, record, version, updated_at, deadlines_review_on)
                VALUES (\(bind: id), \(bind: String(format: "ZZ-%04d-%04d", 2024 + i % 4, i)), \(bind: name), \(bind: units[i % units.count]),
                  \(bind: stages[i % stages.count].rawValue), \(bind: 2024 + i % 4), \(bind: Int64(i % 97) * 1_000_000), \(bind: secret),
                  \(bind: 1 + i % 3), \(bind: Int64?.none), \(bind: Int64(0)), \(bind: Int64(0)), \(bind: record), \(bind: 1),
                  \(bind: Int64(1_760_000_000 + i * 60)), \(bind: "")
                )
                """
            ).run()
            if secret { classified.append(id) } else { open.append(id) }
        }
        if sql.dialect.name == "postgresql" {
            // As autovacuum leaves a table between writes: its pages marked all-visible, so an index
            // can answer without the table (ProjectListing.readsKeysFirst).
            try await sql.raw("VACUUM projects").run()
            try await sql.raw("ANALYZE").run()
        }
        let drc = Actor(userId: UUID(), displayName: "drc", organisationId: try agency.requireID(), organisationType: .drc, roles: [.staff])
        let unit = Actor(userId: UUID(), displayName: "unit", organisationId: units[3], organisationType: .unit, roles: [.staff])
        let vendor = Actor(userId: UUID(), displayName: "vendor", organisationId: vendorId, organisationType: .vendor, roles: [.staff])
        return Seeded(drc: drc, unit: unit, vendor: vendor, units: units, classified: classified, open: open)
    }

    /// Every shape the API and the /projects page build: each sort in both directions, for an agency
    /// (with and without 涉密 rows it is named on) and a unit; each filter under each sort; search of
    /// every length; the overdue filter; a vendor's scope.
    static func cases(_ s: Seeded) -> [Case] {
        var cases: [Case] = []
        let named = ProjectListing.Scope.rows(classifiedVisible: Array(s.classified.prefix(3)))
        let sorts: [(ProjectListQuery.SortKey, Bool)] = ProjectListQuery.SortKey.allCases.flatMap { [($0, false), ($0, true)] }
        func query(
            _ sort: ProjectListQuery.SortKey, _ descending: Bool, page: Int = 1, _ change: (inout ProjectListQuery) -> Void = { _ in }
        ) -> ProjectListQuery {
            var q = ProjectListQuery()
            (q.sort, q.descending, q.page) = (sort, descending, page)
            change(&q)
            return q
        }
        for (sort, descending) in sorts {
            let order = (descending ? "-" : "") + sort.rawValue
            cases.append(
                Case(
                    name: "agency, sort=\(order)", query: query(sort, descending), actor: s.drc, scope: .rows(classifiedVisible: []),
                    pageIndex: "projects_order_\(sort.rawValue)"))
            cases.append(
                Case(
                    name: "agency named on 涉密 rows, sort=\(order), page 3", query: query(sort, descending, page: 3), actor: s.drc,
                    scope: named, pageIndex: "projects_order_\(sort.rawValue)"))
            cases.append(
                Case(name: "unit, sort=\(order)", query: query(sort, descending), actor: s.unit, scope: .rows(classifiedVisible: [])))
            let filters: [(String, (inout ProjectListQuery) -> Void)] = [
                ("stage", { $0.stage = .constructing }), ("unitId", { $0.unitId = s.units[5] }),
                ("tier", { $0.tier = .two }), ("planYear", { $0.planYear = 2026 }),
            ]
            for (name, change) in filters {
                cases.append(
                    Case(
                        name: "agency, \(name), sort=\(order)", query: query(sort, descending, change), actor: s.drc,
                        scope: .rows(classifiedVisible: [])))
            }
            for text in ["平", "平台", "城市大脑"] {
                let index = (text.count < 3 ? "project_search_grams" : "project_search VIRTUAL TABLE", "projects_search_grams")
                cases.append(
                    Case(
                        name: "agency, q=\(text), sort=\(order)", query: query(sort, descending) { $0.search = text }, actor: s.drc,
                        scope: .rows(classifiedVisible: []), sorted: "the text index's matches", index: index))
                // A frequent term: the page reads the sort's index and tests each row; a unit's count tests its own rows.
                let frequent = ProjectListing.SearchPlan(matches: 200, inScope: 380, rowsTestable: true)
                cases.append(
                    Case(
                        name: "agency, frequent q=\(text), sort=\(order), page 2",
                        query: query(sort, descending, page: 2) { $0.search = text },
                        actor: s.drc, scope: named, sorted: "PostgreSQL: the text index's matches", index: index, plan: frequent))
                cases.append(
                    Case(
                        name: "unit, q=\(text), sort=\(order)", query: query(sort, descending) { $0.search = text }, actor: s.unit,
                        scope: .rows(classifiedVisible: []), sorted: "PostgreSQL: the text index's matches", index: index,
                        plan: ProjectListing.SearchPlan(matches: 200, inScope: 19, rowsTestable: true)))
            }
            // Keyset pages (下一页, 上一页) seek in the sort's index; a page by number past the middle reads from the end.
            let key: ListCursor.Key? = sort == .code ? nil : sort == .name ? .text("城市大脑100号") : .number(30_000_000)
            let cursor = ListCursor(key: key, code: "ZZ-2026-0100")
            cases.append(
                Case(
                    name: "agency, after a cursor, sort=\(order)", query: query(sort, descending, page: 4) { $0.after = cursor },
                    actor: s.drc, scope: .rows(classifiedVisible: [])))
            cases.append(
                Case(
                    name: "agency named on 涉密 rows, before a cursor, sort=\(order)",
                    query: query(sort, descending, page: 3) { $0.before = cursor }, actor: s.drc, scope: named))
            cases.append(
                Case(
                    name: "agency, stage, after a cursor, sort=\(order)",
                    query: query(sort, descending, page: 2) { ($0.stage, $0.after) = (.constructing, cursor) }, actor: s.drc,
                    scope: .rows(classifiedVisible: [])))
            cases.append(
                Case(
                    name: "unit, before a cursor, sort=\(order)", query: query(sort, descending, page: 2) { $0.before = cursor },
                    actor: s.unit, scope: .rows(classifiedVisible: [])))
            cases.append(
                Case(
                    name: "agency, page 7 of 8 read from the end, sort=\(order)", query: query(sort, descending, page: 7), actor: s.drc,
                    scope: .rows(classifiedVisible: []), total: 380, pageIndex: "projects_order_\(sort.rawValue)"))
            cases.append(
                Case(
                    name: "agency, overdue, sort=\(order)", query: query(sort, descending) { $0.overdueOnly = true }, actor: s.drc,
                    scope: .rows(classifiedVisible: [])))
            cases.append(
                Case(
                    name: "unit named on 涉密 rows, overdue, sort=\(order)", query: query(sort, descending) { $0.overdueOnly = true },
                    actor: s.unit, scope: named))
            cases.append(
                Case(
                    name: "vendor, sort=\(order)", query: query(sort, descending), actor: s.vendor,
                    scope: .contracted(organisation: s.vendor.organisationId, classifiedVisible: Array(s.classified.prefix(2))),
                    sorted: "the vendor's contracted projects"))
        }
        return cases
    }

    /// The plan's problems, if any. `probesOnly`: every read of `tables` must stop at its first entries
    /// (SQLite: a SEARCH, never a SCAN even of an index; PostgreSQL: under a Limit).
    static func check(
        _ statement: SQLQueryString, _ name: String, allowSort: Bool, requiring index: (sqlite: String, postgres: String)? = nil,
        tables: Set<String> = ["projects"], outerSort: Bool = true, probesOnly: Bool = false, on db: any Database
    ) async throws -> [Finding] {
        let sql = db as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            // One connection: the setting holds for this transaction only.
            return try await db.transaction { tx in
                for setting in ["enable_seqscan"] + (allowSort ? [] : ["enable_sort", "enable_incremental_sort"]) {
                    try await (tx as! any SQLDatabase).raw("SET LOCAL \(unsafeRaw: setting) = off").run()
                }
                let rows = try await PlainRows.all("EXPLAIN (FORMAT JSON) " + statement, on: tx)
                let text = try rows.first!.text(0)
                let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [[String: Any]]
                let root = json[0]["Plan"] as! [String: Any]
                var problems: [String] = []
                postgresProblems(root, belowLimit: false, allowSort: allowSort, tables: tables, probesOnly: probesOnly, into: &problems)
                let printed = postgresOutline(root, depth: 1).joined(separator: "\n")
                if let index, !printed.contains(index.postgres) { problems.append("does not read \(index.postgres)") }
                return problems.map { Finding(statement: name, problem: $0, plan: printed) }
            }
        }
        let rows = try await PlainRows.all("EXPLAIN QUERY PLAN " + statement, on: db)
        let plan = try rows.map { (id: try $0.int(0), parent: try $0.int(1), detail: try $0.text(3)) }
        let printed = plan.map { "  \($0.id) \($0.parent) \($0.detail)" }.joined(separator: "\n")
        var problems: [String] = []
        for step in plan {
            let scanned = step.detail.hasPrefix("SCAN ") ? String(step.detail.dropFirst(5).prefix { $0 != " " }) : ""
            if tables.contains(scanned) && !step.detail.contains("USING") { problems.append("reads the whole table: \(step.detail)") }
            if tables.contains(scanned) && probesOnly { problems.append("walks the index: \(step.detail)") }
            // Only the outer ORDER BY, over the page's own rows (the subquery `p`), may use a temporary B-tree.
            if step.detail.hasPrefix("USE TEMP B-TREE") && (step.parent != 0 || !outerSort) && !allowSort {
                problems.append("sorts the rows it pages through: \(step.detail)")
            }
        }
        if let index, !printed.contains(index.sqlite) { problems.append("does not read \(index.sqlite)") }
        return problems.map { Finding(statement: name, problem: $0, plan: printed) }
    }

    /// One line per plan node: its type, relation and index.
    static func postgresOutline(_ node: [String: Any], depth: Int) -> [String] {
        let line =
            String(repeating: "  ", count: depth)
            + [
                node["Node Type"], node["Relation Name"].map { "on \($0)" }, node["Index Name"].map { "using \($0)" },
                node["Sort Key"].map { "by \($0)" },
            ].compactMap { $0.map { "\($0)" } }.joined(separator: " ")
        return [line] + (node["Plans"] as? [[String: Any]] ?? []).flatMap { postgresOutline($0, depth: depth + 1) }
    }

    static func postgresProblems(
        _ node: [String: Any], belowLimit: Bool, allowSort: Bool, tables: Set<String> = ["projects"], probesOnly: Bool = false,
        into problems: inout [String]
    ) {
        let type = node["Node Type"] as? String ?? ""
        let relation = node["Relation Name"] as? String
        if type == "Seq Scan", let relation, tables.contains(relation) { problems.append("reads the whole table: Seq Scan on \(relation)") }
        if probesOnly, !belowLimit, let relation, tables.contains(relation) {
            problems.append("reads \(relation) without stopping at its first entry: \(type)")
        }
        if (type == "Sort" || type == "Incremental Sort") && belowLimit && !allowSort {
            problems.append("sorts the rows it pages through: \(type) \(node["Sort Key"] ?? "")")
        }
        for child in node["Plans"] as? [[String: Any]] ?? [] {
            postgresProblems(
                child, belowLimit: belowLimit || type == "Limit", allowSort: allowSort, tables: tables, probesOnly: probesOnly,
                into: &problems)
        }
    }
}
