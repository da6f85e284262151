import Fluent
import FluentSQL
import SQLKit
import Vapor
import ZhengxinCore

/// The home pages' lists, each bounded: SQL picks the rows (scope, stage, order, limit) and only
/// the handful shown are decoded to ask the rules what is open on them.
enum HomeQueries {
    struct ProjectLine: Encodable {
        var id: String, code: String, name: String, stageTitle: String
        /// Open to the caller now (action titles with their article), the steps of this stage first.
        var open: [String]
        var moreOpen = 0
        var hasOpen: Bool
        /// The caller's actions in this stage still blocked, each with every unmet condition.
        var blocked: [Blocked]
        var overdue: Bool
    }
    struct Blocked: Encodable { var title: String; var unmet: [Violation] }
    struct Overdue: Encodable {
        var projectId: String, code: String, name: String, kindTitle: String, dueOn: String, rule: String, article: String
    }
    struct Activity: Encodable { var when: String, actor: String, summary: String, resultTitle: String?, projectId: String? }

    /// The caller's most recently changed projects with what each needs next from the caller.
    static func ownProjects(_ actor: Actor, scope: ProjectListing.Scope, limit: Int, _ req: Request) async throws -> (
        lines: [ProjectLine], total: Int
    ) {
        var query = ProjectListQuery()
        (query.sort, query.descending, query.perPage) = (.updated, true, limit)
        let page = try await ProjectListing.page(query, for: actor, records: true, scope: scope, on: req)
        let book = try await PolicyStore.book(on: req.db)
        let lines = try page.rows.map { row in
            let record = try row.project.decoded()
            let ctx = DecisionContext(actor: actor, now: req.now, policy: book.governing(record, today: req.now.beijingDate))
            // The steps of this stage first; actions open in most stages (documents, supervision replies) after them.
            let mine = Lifecycle.availableActions(record, ctx).filter(\.allowedForCaller)
                .sorted { stageBound($0) && !stageBound($1) }
            let open = mine.filter(\.open).map { "\($0.title)(\($0.article))" }
            return ProjectLine(
                id: record.id.uuidString, code: record.code, name: row.name, stageTitle: record.stage.chinese,
                open: Array(open.prefix(5)), moreOpen: max(0, open.count - 5), hasOpen: !open.isEmpty,
                blocked: mine.filter { !$0.open && stageBound($0) }.prefix(3).map { Blocked(title: $0.title, unmet: $0.unmetConditions) },
                overdue: row.overdue)
        }
        return (lines, page.total)
    }

    /// An action of a few stages (a step of the lifecycle), not one open nearly throughout.
    static func stageBound(_ action: ActionAvailability) -> Bool {
        (Lifecycle.rule(named: action.action)?.spec.stages.count ?? 0) <= 3
    }

    /// Unresolved overdue marks in scope, oldest due date first, and how many there are: the query
    /// of the overdue API (ReminderListing), stopped at `limit`.
    static func overdue(_ actor: Actor, scope: ProjectListing.Scope, limit: Int, _ req: Request) async throws -> (
        items: [Overdue], total: Int
    ) {
        let found = try await ReminderListing.page(
            ReminderListing.Filter(listing: .overdue), limit: limit, for: actor, .scoped(scope), on: req.db)
        let items = found.rows.map { m in
            Overdue(
                projectId: m.projectId.uuidString, code: m.code, name: m.name, kindTitle: m.kindTitle, dueOn: m.dueOn, rule: m.rule,
                article: m.article)
        }
        return (items, found.total)
    }

    /// The latest audit entries on ordinary projects in scope (涉密 projects' entries stay off the
    /// home page; they are sealed at rest and shown only on the project itself).
    static func recentActivity(_ actor: Actor, limit: Int, _ req: Request) async throws -> [Activity] {
        let query = AuditEntryModel.query(on: req.db).filter(\.$projectId != nil).sort(\.$seq, .descending).limit(limit)
        let ordinary: SQLQueryString =
            actor.organisationType == .unit
            ? "project_id IN (SELECT id FROM projects WHERE classified = \(bind: false) AND unit_id = \(bind: actor.organisationId))"
            // The few 涉密 ids, not every other project's: the newest entries are read from the
            // (seq) index on project entries and stop at the limit.
            : "project_id NOT IN (SELECT id FROM projects WHERE classified = \(bind: true))"
        query.filter(.sql(ordinary))
        return try await query.all().map { e in
            Activity(
                when: LoginFlow.beijing(e.at), actor: e.actorName, summary: e.summary,
                resultTitle: e.result == "accepted" ? nil : (e.result == "forbidden" ? "无权办理" : "未通过"), projectId: e.projectId?.uuidString)
        }
    }
}
