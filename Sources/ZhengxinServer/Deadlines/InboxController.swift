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

    static let defaultPerPage = 50
    static let maxPerPage = 200

    enum Listing: Sendable {
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
        let paging = try PageRequest.parse(req, perKey: "perPage", defaultPer: defaultPerPage, maxPer: maxPerPage)
        let (items, total) = try await page(listing, paging, for: actor, req)
        let response = try await items.encodeResponse(for: req)
        response.headers.replaceOrAdd(name: "X-Total-Count", value: String(total))
        return response
    }

    /// One page of `listing` in the caller's scope, and how many items the whole listing holds.
    static func page(_ listing: Listing, _ paging: PageRequest, for actor: Actor, _ req: Request) async throws -> (items: [Item], total: Int) {
        let sql = req.db as! any SQLDatabase
        let scope = try await ProjectListing.scope(for: actor, at: try await AuditHeadCache.head(on: req.db), on: req)
        var parts: [SQLQueryString] = ["r.resolved_at IS NULL"]
        let index: String
        switch listing {
        case .overdue:
            parts.append("r.status = 'overdue'")
            index = actor.organisationType == .unit ? "reminders_overdue_unit" : "reminders_overdue_due"
        case .inbox(let type):
            // `audience` is a comma-separated list of organisation types.
            parts.append("(',' || r.audience || ',') LIKE \(bind: "%," + type.rawValue + ",%")")
            index = actor.organisationType == .unit ? "reminders_open_unit_due" : "reminders_open_due"
        }
        if actor.organisationType == .unit { parts.append("r.unit_id = \(bind: actor.organisationId)") }
        switch scope {
        case .rows(let visible) where visible.isEmpty: parts.append("p.classified = \(bind: false)")
        case .rows(let visible): parts.append("(p.classified = \(bind: false) OR p.id IN (\(binds: visible)))")
        case .only(let ids) where ids.isEmpty: parts.append("1 = 0")
        case .only(let ids): parts.append("p.id IN (\(binds: ids))")
        }
        // SQLite would rather take the (status, resolved_at) index and sort every open mark.
        let hint: SQLQueryString = sql.dialect.name == "sqlite" ? " INDEXED BY \(unsafeRaw: index)" : ""
        let from: SQLQueryString = " FROM reminders r" + hint + " JOIN projects p ON p.id = r.project_id WHERE " + parts.joined(separator: " AND ")
        let total = try await sql.raw("SELECT COUNT(*) AS n" + from).first()?.decode(column: "n", as: Int.self) ?? 0
        let rows = try await sql.raw("SELECT r.project_id, r.kind, r.due_on, r.status, r.rule, r.article, r.message, p.code, p.name, p.classified"
                                     + from + " ORDER BY r.due_on, r.key LIMIT \(unsafeRaw: String(paging.per)) OFFSET \(unsafeRaw: String(paging.offset))").all()
        // A 涉密 row's name column holds a placeholder; the caller is named on each one it gets.
        let classified = try rows.filter { try $0.decode(column: "classified", as: Bool.self) }.map { try $0.decode(column: "project_id", as: UUID.self) }
        var names: [UUID: String] = [:]
        if !classified.isEmpty {
            for model in try await ProjectModel.query(on: req.db).filter(\.$id ~~ Array(Set(classified))).all() {
                let record = try model.decoded()
                if record.isVisible(to: actor) { names[record.id] = record.name }
            }
        }
        let items = try rows.compactMap { row -> Item? in
            let projectId = try row.decode(column: "project_id", as: UUID.self)
            let secret = try row.decode(column: "classified", as: Bool.self)
            if secret && names[projectId] == nil { return nil }
            let kind = try row.decode(column: "kind", as: String.self)
            return Item(projectId: projectId, projectCode: try row.decode(column: "code", as: String.self),
                        projectName: try names[projectId] ?? row.decode(column: "name", as: String.self), kind: kind,
                        kindTitle: DeadlineKind(rawValue: kind)?.chinese ?? kind, dueOn: try row.decode(column: "due_on", as: String.self),
                        status: try row.decode(column: "status", as: String.self), rule: try row.decode(column: "rule", as: String.self),
                        article: try row.decode(column: "article", as: String.self),
                        message: ReminderModel.readable(try row.decode(column: "message", as: String.self)))
        }
        return (items, total)
    }
}
