import Fluent
import Vapor
import ZhengxinCore

/// GET /api/v1/inbox (the caller's reminders) and GET /api/v1/overdue (overdue items in scope).
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

    func register(_ routes: RoutesBuilder) {
        routes.get("inbox", use: inbox)
        routes.get("overdue", use: overdue)
    }

    /// Active reminders on projects the caller sees, addressed to its organisation type.
    func inbox(_ req: Request) async throws -> [Item] {
        let actor = try req.caller()
        return try await items(for: actor, on: req.db) { $0.audience.split(separator: ",").contains(Substring(actor.organisationType.rawValue)) }
    }

    /// Every active overdue mark on projects the caller sees (agencies: the city's list).
    func overdue(_ req: Request) async throws -> [Item] {
        let actor = try req.caller()
        return try await items(for: actor, on: req.db) { $0.status == DeadlineStatus.overdue.rawValue }
    }

    func items(for actor: Actor, on db: Database, _ keep: (ReminderModel) -> Bool) async throws -> [Item] {
        let query = ReminderModel.query(on: db).filter(\.$resolvedAt == nil).sort(\.$dueOn)
        if actor.organisationType == .unit { query.filter(\.$unitId == actor.organisationId) }
        let reminders = try await query.all().filter(keep)
        let projects = try await ProjectModel.query(on: db).filter(\.$id ~~ Array(Set(reminders.map(\.projectId)))).all()
        let visible = Dictionary(try projects.map { try $0.decoded() }.filter { $0.isVisible(to: actor) }.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return reminders.compactMap { r in
            guard let p = visible[r.projectId] else { return nil }
            return Item(projectId: p.id, projectCode: p.code, projectName: p.name, kind: r.kind,
                        kindTitle: DeadlineKind(rawValue: r.kind)?.chinese ?? r.kind, dueOn: r.dueOn, status: r.status,
                        rule: r.rule, article: r.article, message: r.message)
        }
    }
}
