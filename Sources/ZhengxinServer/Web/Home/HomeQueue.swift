import Fluent
import FluentSQL
import SQLKit
import Vapor
import ZhengxinCore

/// What waits on the caller's organisation (AgencyQueue, PendingMatters), read a bounded number of
/// projects at a time: SQL picks the candidates in scope from an index, stopped at a LIMIT, and only
/// those records are decoded to ask the rules what waits. The statements are built without a
/// Request, so HomeQueuePlanTests read the plans of exactly what runs.
enum HomeQueue {
    struct Line: Encodable {
        var id: String, code: String, name: String, stageTitle: String
        var matters: [Matter]
    }
    struct Matter: Encodable { var title: String; var article: String; var href: String }

    struct Found {
        var lines: [Line]
        /// Waiting projects among those examined.
        var found: Int
        /// Whether some projects in the queue's stages were not examined.
        var more: Bool
    }

    /// Projects examined per walk: the oldest-changed in each stage of the flow, and the most recently
    /// changed for findings (a rectification report is a write, so one just reported is near the top).
    static let scan = 100, recentScan = 50

    /// An agency: one walk per stage of its queue of the (stage, updated_at, code, classified) index,
    /// oldest change first; `stage IN (…) ORDER BY updated_at` would sort every project of those stages.
    static func stageWalk(_ stage: Stage, scope: ProjectListing.Scope, actor: Actor, limit: Int) -> SQLQueryString {
        "SELECT id, updated_at, code FROM projects WHERE "
            + ProjectListing.condition(ProjectListQuery(), scope: scope, actor: actor, ordered: true)
            + " AND stage = \(bind: stage.rawValue) ORDER BY updated_at, code LIMIT \(unsafeRaw: String(limit))"
    }

    /// The most recently changed projects in scope (for a unit, its own, by its (unit_id, updated_at,
    /// code, classified) index; for an agency, by (updated_at, code, classified)).
    static func recentWalk(scope: ProjectListing.Scope, actor: Actor, limit: Int) -> SQLQueryString {
        "SELECT id, updated_at, code FROM projects WHERE "
            + ProjectListing.condition(ProjectListQuery(), scope: scope, actor: actor, ordered: true)
            + " ORDER BY updated_at DESC, code DESC LIMIT \(unsafeRaw: String(limit))"
    }

    /// The statements `waiting` runs for `actor` before reading records.
    static func walks(scope: ProjectListing.Scope, actor: Actor) -> [(query: SQLQueryString, limit: Int, byStage: Bool)] {
        let organisation = actor.organisationType
        if organisation == .unit {
            // A unit's own projects are few next to the city's; its findings can be in any stage.
            return [(recentWalk(scope: scope, actor: actor, limit: scan + 1), scan, false)]
        }
        var walks = AgencyQueue.stages(for: organisation).sorted { $0.rawValue < $1.rawValue }
            .map { (stageWalk($0, scope: scope, actor: actor, limit: scan + 1), scan, true) }
        if AgencyQueue.watchesFindings(organisation) {
            walks.append((recentWalk(scope: scope, actor: actor, limit: recentScan + 1), recentScan, false))
        }
        return walks
    }

    static func waiting(_ actor: Actor, scope: ProjectListing.Scope, limit: Int, _ req: Request) async throws -> Found {
        guard !MatterKind.owned(by: actor.organisationType).isEmpty else { return Found(lines: [], found: 0, more: false) }
        typealias Key = (id: UUID, updatedAt: Int64, code: String)
        var staged: [Key] = [], recent: [Key] = []
        var more = false
        for walk in walks(scope: scope, actor: actor) {
            let rows = try await PlainRows.all(walk.query, on: req.db).map {
                Key(id: try $0.uuid(0), updatedAt: try $0.int64(1), code: try $0.text(2))
            }
            // The recent walk of an agency is a window, always full; the others say what was left unread.
            if walk.byStage || actor.organisationType == .unit { more = more || rows.count > walk.limit }
            if walk.byStage { staged += rows.prefix(walk.limit) } else { recent += rows.prefix(walk.limit) }
        }
        // The stages' walks merged, oldest first, cut at `scan`; then the recent ones not already there.
        staged.sort { ($0.updatedAt, $0.code) < ($1.updatedAt, $1.code) }
        more = more || staged.count > scan
        var examined = Array(staged.prefix(scan))
        let seen = Set(examined.map(\.id))
        examined += recent.filter { !seen.contains($0.id) }.sorted { ($0.updatedAt, $0.code) < ($1.updatedAt, $1.code) }
        var records: [UUID: String] = [:]
        if !examined.isEmpty {
            let read: SQLQueryString = "SELECT id, record FROM projects WHERE id IN (\(binds: examined.map(\.id)))"
            for row in try await PlainRows.all(read, on: req.db) { records[try row.uuid(0)] = try row.text(1) }
        }
        let book = try await PolicyStore.book(on: req.db)
        var lines: [Line] = []
        for key in examined {
            guard let stored = records[key.id] else { continue }
            let record = try ProjectRecordStorage.decode(stored)
            let ctx = DecisionContext(actor: actor, now: req.now, policy: book.governing(record, today: req.now.beijingDate))
            let matters = AgencyQueue.waiting(record, ctx)
            guard !matters.isEmpty else { continue }
            let id = record.id.uuidString
            lines.append(
                Line(
                    id: id, code: record.code, name: record.name, stageTitle: record.stage.chinese,
                    matters: matters.map { Matter(title: $0.title, article: $0.article, href: "/projects/\(id)#\($0.anchor)") }))
        }
        return Found(lines: Array(lines.prefix(limit)), found: lines.count, more: more)
    }
}
