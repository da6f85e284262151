import Fluent
import SQLKit
import Vapor
import ZhengxinCore

/// GET /api/v1/inbox (the caller's reminders) and GET /api/v1/overdue (overdue items in scope), a
/// page at a time, oldest due date first, the total in `X-Total-Count`. A city's DRC has tens of
/// thousands of open marks: the page is read in due-date order from the partial indexes on open
/// reminders and stops at its last row, and no record is decoded but those of the page's 涉密 rows.
struct InboxController {
    struct Item: Content {
        var projectId: UUID
        var projectCode: String
        var projectName: String
        var kind: String
        var kindTitle: String
        var dueOn: String
        var status: String
        var rule: String
        var article: String
        var message: String
    }

    static let defaultPerPage = PageRequest.defaultPerPage
    static let maxPerPage = PageRequest.maxPerPage

    enum Listing: Sendable, Hashable {
        /// Open reminders addressed to the caller's kind of organisation.
        case inbox(OrganisationType)
        /// Open overdue marks.
        case overdue
    }

    func register(_ routes: RoutesBuilder) {
        routes.get("inbox", use: inbox)
        routes.get("overdue", use: overdue)
    }

    func inbox(_ req: Request) async throws -> Response {
        let actor = try req.caller()
        return try await Self.respond(.inbox(actor.organisationType), for: actor, req)
    }

    func overdue(_ req: Request) async throws -> Response {
        try await Self.respond(.overdue, for: try req.caller(), req)
    }

    static func respond(_ listing: Listing, for actor: Actor, _ req: Request) async throws -> Response {
        let paging = try PageRequest.collection(req)
        let (items, total) = try await page(listing, paging, for: actor, req)
        return try await PageRequest.response(items, total: total, for: req)
    }

    /// One page of `listing` in the caller's scope, and how many items the whole listing holds.
    static func page(_ listing: Listing, _ paging: PageRequest, for actor: Actor, _ req: Request) async throws -> (
        items: [Item], total: Int
    ) {
        let scope = try await ProjectListing.scope(for: actor, on: req)
        let found = try await ReminderListing.page(
            ReminderListing.Filter(listing: listing), limit: paging.per, offset: paging.offset,
            for: actor, .scoped(scope), on: req.db)
        let items = found.rows.map { row in
            Item(
                projectId: row.projectId, projectCode: row.code, projectName: row.name, kind: row.kind, kindTitle: row.kindTitle,
                dueOn: row.dueOn, status: row.status, rule: row.rule, article: row.article, message: row.message)
        }
        return (items, found.total)
    }
}

/// Open reminders in a caller's reach, oldest due date first, and how many there are: the one query
/// behind the inbox and overdue API, the home page's overdue list and the portfolio report's.
///
/// The page walks a partial index on open reminders in (unit,) due-date order and stops at its
/// limit; the count sums the listing's tallies (reminder_tallies), less the marks on 涉密 projects the
/// caller may not see (found through the few 涉密 rows, never by joining every mark to its project).
enum ReminderListing {
    struct Filter: Sendable, Hashable {
        var listing: InboxController.Listing
        /// Agencies may pick a unit; a unit is always held to its own.
        var unitId: UUID? = nil
        /// 计划年度: the year's projects first, then their marks.
        var planYear: Int? = nil
    }

    /// Whose marks are listed, and what a mark on a 涉密 project the caller is not named on becomes.
    enum Visibility: Sendable {
        /// What the caller may see and nothing else: unnamed 涉密 marks are neither listed nor counted.
        case scoped(ProjectListing.Scope)
        /// Every mark in the unit filter; an unnamed 涉密 mark is listed and counted as a `hidden`
        /// row without its project's code, name or message (the portfolio report counts 涉密
        /// projects in every count and names none).
        case placeholders
    }

    struct Row: Sendable {
        var projectId: UUID
        var code: String
        var name: String
        var unitId: UUID
        var kind: String
        var kindTitle: String
        var dueOn: String
        var status: String
        var rule: String
        var article: String
        var message: String
        /// A 涉密 project the caller is not named on (`placeholders` only): code, name and message withheld.
        var hidden: Bool
    }

    static let hiddenName = "涉密项目(未列明的人员不显示名称)"

    /// The listing's statements for one filter, caller and visibility, made without reading anything,
    /// so that QueryPlanTests read the plans of the statements the server runs.
    struct Statements {
        let filter: Filter
        /// The open marks of the listing, on `reminders r`; the same on `reminder_tallies r`.
        let open: SQLQueryString, tallied: SQLQueryString
        /// Who may see which rows, on the joined project `p` and, for the count, as the marks to take away.
        let seen: SQLQueryString?, unseen: SQLQueryString?
        /// Whether the page walks the due-date index (a vendor's marks are found by its contracts instead).
        let walkIndex: Bool
        let hint: SQLQueryString
        let postgres: Bool

        init(_ filter: Filter, for actor: Actor, _ visibility: Visibility, dialect: String) {
            self.filter = filter
            let unit = actor.organisationType == .unit ? actor.organisationId : filter.unitId
            var marks: [SQLQueryString] = ["r.resolved_at IS NULL"]
            let index: String
            switch filter.listing {
            case .overdue:
                // The partial indexes name the status literally (AddPortfolioReportIndexes).
                marks.append("r.status = 'overdue'")
                index = unit == nil ? "reminders_overdue_due" : "reminders_overdue_unit"
            case .inbox(let type):
                // `audience` is a comma-separated list of organisation types, kept in the index.
                marks.append("(',' || r.audience || ',') LIKE \(bind: "%," + type.rawValue + ",%")")
                index = unit == nil ? "reminders_open_due_audience" : "reminders_open_unit_due_audience"
            }
            if let unit { marks.append("r.unit_id = \(bind: unit)") }
            open = marks.joined(separator: " AND ")
            tallied = Array(marks.dropFirst()).joined(separator: " AND ")

            var seen: SQLQueryString?, unseen: SQLQueryString?
            var walkIndex = true
            if case .scoped(let scope) = visibility {
                switch scope {
                case .rows(let visible) where visible.isEmpty:
                    seen = "p.classified = \(bind: false)"
                    unseen = "SELECT id FROM projects WHERE classified = \(bind: true)"
                case .rows(let visible):
                    seen = "(p.classified = \(bind: false) OR p.id IN (\(binds: visible)))"
                    unseen = "SELECT id FROM projects WHERE classified = \(bind: true) AND id NOT IN (\(binds: visible))"
                case .contracted(let organisation, let visible):
                    // A vendor's projects: their marks by project, not a walk of the whole city's.
                    seen = ProjectListing.Scope.contractedRows(organisation, visible: visible, column: "r.project_id")
                    walkIndex = false
                }
            }
            (self.seen, self.unseen, self.walkIndex) = (seen, unseen, walkIndex)
            // SQLite would rather take the (status, resolved_at) index and sort every open mark.
            hint = dialect == "sqlite" && walkIndex ? " INDEXED BY \(unsafeRaw: index)" : ""
            postgres = dialect == "postgresql"
        }

        /// A year's listing: the year's projects first (CROSS JOIN keeps SQLite to that order), then their marks.
        var yearScope: SQLQueryString? {
            guard let year = filter.planYear else { return nil }
            let scope: SQLQueryString =
                " FROM projects p CROSS JOIN reminders r WHERE r.project_id = p.id AND " + open + " AND p.plan_year = \(bind: year)"
            return seen.map { scope + " AND " + $0 } ?? scope
        }

        /// Every open mark in the listing from the tallies kept with the marks (AddReminderTallies),
        /// whoever may see them: none there, none in any scope — a vendor's inbox, when no mark is
        /// addressed to vendors, is answered without probing the marks of each of its contracts.
        var tallyCount: SQLQueryString {
            "SELECT CAST(COALESCE(SUM(open_marks), 0) AS BIGINT) AS n FROM reminder_tallies r WHERE " + tallied
        }

        /// The marks the caller may not see, to take from the tallies' count (a walk of the due-date index).
        var withheldCount: SQLQueryString? {
            unseen.map { "SELECT COUNT(*) AS n FROM reminders r WHERE " + open + " AND r.project_id IN (" + $0 + ")" }
        }

        /// A vendor's marks, named by project id alone: counted without reading a project.
        var contractedCount: SQLQueryString {
            "SELECT COUNT(*) AS n FROM reminders r WHERE " + open + (seen.map { " AND " + $0 } ?? "")
        }

        /// One page of marks with their projects' code, name, unit and 涉密 flag, oldest due date first.
        func page(limit: Int, offset: Int) -> SQLQueryString {
            let order: SQLQueryString = " ORDER BY r.due_on, r.key"
            let window: SQLQueryString = " LIMIT \(unsafeRaw: String(max(1, limit))) OFFSET \(unsafeRaw: String(max(0, offset)))"
            let columns: SQLQueryString =
                "SELECT r.project_id, r.kind, r.due_on, r.status, r.rule, r.article, r.message, p.code, p.name, p.unit_id, p.classified"
            if let yearScope { return columns + yearScope + order + window }
            if !walkIndex || (seen == nil && postgres) {
                // The page's marks first, then only their projects, where no project column decides which
                // marks are shown: a vendor's marks, found by its contracts' ids (a vendor on 1,365 projects
                // has ~2,000 open overdue marks, and each read its project row before the sort), and on
                // PostgreSQL a list that withholds no row (the report's, with placeholders). Joined first,
                // PostgreSQL took a unit's 2,473 marks for a hash join against every project or a parallel
                // sort (12–39 ms) where the page of marks in due order, then 2,000 lookups, takes 7–9.
                // SQLite walks the due-date index joined as it is, and would sort the page again.
                let marks: SQLQueryString =
                    "SELECT r.* FROM reminders r" + hint + " WHERE " + open + (seen.map { " AND " + $0 } ?? "") + order + window
                return columns + " FROM (" + marks + ") r JOIN projects p ON p.id = r.project_id" + order
            }
            return columns + " FROM reminders r" + hint + " JOIN projects p ON p.id = r.project_id WHERE " + open
                + (seen.map { " AND " + $0 } ?? "") + order + window
        }
    }

    static func page(
        _ filter: Filter, limit: Int, offset: Int = 0, for actor: Actor, _ visibility: Visibility,
        on db: Database
    ) async throws -> (rows: [Row], total: Int) {
        let statements = Statements(filter, for: actor, visibility, dialect: (db as! any SQLDatabase).dialect.name)
        let total: Int
        if let scope = statements.yearScope {
            total = try await count("SELECT COUNT(*) AS n" + scope, on: db)
        } else {
            let all = try await count(statements.tallyCount, on: db)
            if all == 0 { return ([], 0) }
            if statements.walkIndex {
                var withheld = 0
                if let withheldCount = statements.withheldCount { withheld = try await count(withheldCount, on: db) }
                total = all - withheld
            } else {
                total = try await count(statements.contractedCount, on: db)
            }
        }
        let page = statements.page(limit: limit, offset: offset)
        let rows = try await PlainRows.all(page, on: db)
        // A 涉密 row's name column holds a placeholder: the page's 涉密 projects are decoded, and
        // named with their real name only to a caller named on them.
        let classified = try rows.filter { try $0.bool(10) }.map { try $0.uuid(0) }
        var names: [UUID: String] = [:]
        if !classified.isEmpty {
            for row in try await ProjectRow.all(classified, on: db) {
                let record = try row.decoded()
                if record.isVisible(to: actor) { names[record.id] = record.name }
            }
        }
        let listed = try rows.compactMap { row -> Row? in
            let projectId = try row.uuid(0)
            let hidden = try row.bool(10) && names[projectId] == nil
            // Scoped: SQL has already left these out; a record that says otherwise is not shown either.
            if hidden, case .scoped = visibility { return nil }
            let kind = try row.text(1)
            return Row(
                projectId: projectId, code: hidden ? "—" : try row.text(7), name: hidden ? hiddenName : try names[projectId] ?? row.text(8),
                unitId: try row.uuid(9), kind: kind, kindTitle: DeadlineKind(rawValue: kind)?.chinese ?? kind, dueOn: try row.text(2),
                status: try row.text(3), rule: try row.text(4), article: try row.text(5),
                message: hidden ? "" : ReminderModel.readable(try row.text(6)), hidden: hidden)
        }
        return (listed, total)
    }

    private static func count(_ query: SQLQueryString, on db: any Database) async throws -> Int {
        try await PlainRows.all(query, on: db).first?.int(0) ?? 0
    }
}
