import Fluent
import FluentSQL
import SQLKit
import Vapor
import ZhengxinCore

/// What waits on the caller's organisation (待本部门办理 / 待本单位办理), read from `project_waiting`
/// (ProjectWaitingRow: the rules' answer when each project was written or last scanned): the
/// oldest waits first from the owner's index, stopped at a LIMIT, and their number counted from the
/// same index. No record is decoded. The statements are built without a Request, so
/// HomeQueuePlanTests read the plans of exactly what runs.
enum HomeQueue {
    struct Line: Encodable {
        var id: String, code: String, name: String, stageTitle: String
        var matters: [Matter]
    }
    struct Matter: Encodable { var title: String; var article: String; var href: String }

    struct Found {
        var lines: [Line]
        /// Projects waiting on the caller's organisation, in its scope.
        var found: Int
    }

    /// The caller's rows, oldest wait first: a unit's by its unit index; an agency's, those for any
    /// organisation of its type (`owner_org` "") or, for a finding's review, for its own (`own`).
    static func walk(scope: ProjectListing.Scope, actor: Actor, own: Bool, limit: Int) -> SQLQueryString {
        "SELECT project_id, since, line FROM project_waiting WHERE " + owned(actor, own: own) + " AND " + reach(scope)
            + " ORDER BY since, project_id LIMIT \(unsafeRaw: String(limit))"
    }

    /// How many projects wait on the caller: its type's rows, and its own findings' rows on projects
    /// with none of those (a project counts once).
    static func counts(scope: ProjectListing.Scope, actor: Actor) -> [SQLQueryString] {
        let any: SQLQueryString = "SELECT count(*) FROM project_waiting WHERE " + owned(actor, own: false) + " AND " + reach(scope)
        guard actor.organisationType != .unit else { return [any] }
        return [
            any,
            "SELECT count(*) FROM project_waiting w WHERE " + owned(actor, own: true, alias: "w.") + " AND " + reach(scope, alias: "w.")
                + """
                 AND NOT EXISTS (SELECT 1 FROM project_waiting g WHERE g.project_id = w.project_id
                  AND g.owner_type = w.owner_type AND g.owner_org = '')
                """,
        ]
    }

    private static func owned(_ actor: Actor, own: Bool, alias: String = "") -> SQLQueryString {
        let type = actor.organisationType.rawValue
        if actor.organisationType == .unit {
            return "\(unsafeRaw: alias)owner_type = \(bind: type) AND \(unsafeRaw: alias)unit_id = \(bind: actor.organisationId)"
        }
        let organisation = own ? UUIDText.string(actor.organisationId) : ""
        return "\(unsafeRaw: alias)owner_type = \(bind: type) AND \(unsafeRaw: alias)owner_org = \(bind: organisation)"
    }

    /// The caller's reach, decided in the index: 涉密 rows only where the caller is named.
    private static func reach(_ scope: ProjectListing.Scope, alias: String = "") -> SQLQueryString {
        switch scope {
        case .rows(let visible) where visible.isEmpty: return "NOT \(unsafeRaw: alias)classified"
        case .rows(let visible): return "NOT (\(unsafeRaw: alias)classified AND \(unsafeRaw: alias)project_id NOT IN (\(binds: visible)))"
        case .contracted(let organisation, let visible):
            return ProjectListing.Scope.contractedRows(organisation, visible: visible, column: alias + "project_id")
        }
    }

    static func waiting(_ actor: Actor, scope: ProjectListing.Scope, limit: Int, _ req: Request) async throws -> Found {
        // 只读 accounts act on nothing; vendors own no matter.
        guard actor.canAct, !MatterKind.owned(by: actor.organisationType).isEmpty else { return Found(lines: [], found: 0) }
        var rows: [(id: UUID, since: Int64, line: ProjectWaitingRow.Line)] = []
        for own in actor.organisationType == .unit ? [false] : [false, true] {
            for row in try await PlainRows.all(walk(scope: scope, actor: actor, own: own, limit: limit), on: req.db) {
                rows.append((try row.uuid(0), try row.int64(1), try ProjectWaitingRow.line(try row.text(2))))
            }
        }
        var found = 0
        for count in counts(scope: scope, actor: actor) { found += try await PlainRows.all(count, on: req.db).first?.int(0) ?? 0 }
        // One line a project, at its oldest wait; a finding's review joins the project's other matters.
        rows.sort { ($0.since, UUIDText.string($0.id)) < ($1.since, UUIDText.string($1.id)) }
        var lines: [Line] = []
        var at: [UUID: Int] = [:]
        for row in rows {
            let id = row.id.uuidString
            let matters = row.line.matters.map { Matter(title: $0.title, article: $0.article, href: "/projects/\(id)#\($0.anchor)") }
            if let i = at[row.id] {
                lines[i].matters += matters
                continue
            }
            at[row.id] = lines.count
            let stage = Stage(rawValue: row.line.stage)?.chinese ?? row.line.stage
            lines.append(Line(id: id, code: row.line.code, name: row.line.name, stageTitle: stage, matters: matters))
        }
        return Found(lines: Array(lines.prefix(limit)), found: found)
    }
}
