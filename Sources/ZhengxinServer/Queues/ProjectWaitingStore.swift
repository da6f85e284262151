import Fluent
import Foundation
import SQLKit
import ZhengxinCore

/// Writes `project_waiting` inside the transaction of whatever judged the projects: an action, a
/// declaration, the annual plan, the daily scan. Only what differs from the stored rows is written;
/// a row whose kinds of matter are unchanged keeps its `since` (a title naming one more change or
/// finding is the same wait), a new kind of matter starts waiting `now`.
package enum ProjectWaitingStore {
    /// Projects per statement: each has a few rows of 7 columns, well within both databases' bound parameters.
    static let projectsPerStatement = 200

    /// Makes the stored rows of `projects` exactly `rows` (every row's project among them).
    /// `since`: the start of a wait first seen here (an action's or scan's time; a fill's, the project's last write).
    static func replace(
        _ projects: [UUID], with rows: [ProjectWaitingRow], since: (UUID) -> Int64, on db: any Database
    ) async throws {
        let sql = db as! any SQLDatabase
        let byProject = Dictionary(grouping: rows, by: \.projectId)
        for part in projects.chunks(of: projectsPerStatement) {
            let stored = try await self.stored(Array(part), on: db)
            var writes: [(row: ProjectWaitingRow, since: Int64)] = []
            for id in part {
                let old = stored[id] ?? [:]
                let new = byProject[id] ?? []
                for (key, gone) in old where !new.contains(where: { $0.key == key }) {
                    try await sql.raw(
                        """
                        DELETE FROM project_waiting WHERE project_id = \(bind: id) AND owner_type = \(bind: gone.row.owner)
                          AND owner_org = \(bind: gone.row.organisation)
                        """
                    ).run()
                }
                for row in new {
                    if let kept = old[row.key], kept.row == row { continue }
                    let sameWait = old[row.key].map { $0.row.line.matters.map(\.kind) == row.line.matters.map(\.kind) } ?? false
                    writes.append((row, sameWait ? old[row.key]!.since : since(id)))
                }
            }
            guard !writes.isEmpty else { continue }
            let values = try writes.map { SQLBind.group(try $0.row.values(since: $0.since)) }
            let updates = ProjectWaitingRow.columns.dropFirst(3).map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
            try await sql.raw(
                """
                INSERT INTO project_waiting (\(unsafeRaw: ProjectWaitingRow.columns.joined(separator: ", ")))
                VALUES \(SQLList(values)) ON CONFLICT (project_id, owner_type, owner_org) DO UPDATE SET \(unsafeRaw: updates)
                """
            ).run()
        }
    }

    /// An action's judgement, made before the write lock is taken: the rows the record now makes,
    /// nil when they are what the record it was decided on made (nothing to read or write then).
    static func moved(from before: ProjectRecord, to after: ProjectRecord, policy: Policy, now: Instant) -> [ProjectWaitingRow]? {
        let rows = ProjectWaitingRow.rows(after, policy: policy, now: now)
        return rows == ProjectWaitingRow.rows(before, policy: policy, now: now) ? nil : rows
    }

    /// One project's rows as `moved` made them, a new wait dated `now`.
    static func store(_ rows: [ProjectWaitingRow], of project: UUID, at now: Instant, on db: any Database) async throws {
        try await replace([project], with: rows, since: { _ in now.secondsSinceEpoch }, on: db)
    }

    /// New projects' rows, many per statement (zhengxin-bench; nothing stored before).
    package static func insert(_ rows: [ProjectWaitingRow], since: (UUID) -> Int64, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        for part in rows.chunks(of: projectsPerStatement) {
            let values = try part.map { SQLBind.group(try $0.values(since: since($0.projectId))) }
            try await sql.raw(
                "INSERT INTO project_waiting (\(unsafeRaw: ProjectWaitingRow.columns.joined(separator: ", "))) VALUES \(SQLList(values))"
            ).run()
        }
    }

    /// The stored rows of `ids` with their `since`, by project and key.
    private static func stored(_ ids: [UUID], on db: any Database) async throws -> [UUID: [ProjectWaitingRow.Key: (
        row: ProjectWaitingRow, since: Int64
    )]] {
        let rows = try await PlainRows.all(
            SQLQueryString(
                """
                SELECT project_id, owner_type, owner_org, unit_id, classified, since, line FROM project_waiting
                WHERE project_id IN (\(binds: ids))
                """), on: db)
        var found: [UUID: [ProjectWaitingRow.Key: (row: ProjectWaitingRow, since: Int64)]] = [:]
        for r in rows {
            let row = ProjectWaitingRow(
                projectId: try r.uuid(0), owner: try r.text(1), organisation: try r.text(2), unitId: try r.uuid(3),
                classified: try r.bool(4), line: try ProjectWaitingRow.line(try r.text(6)))
            found[row.projectId, default: [:]][row.key] = (row, try r.int64(5))
        }
        return found
    }
}
