import Fluent
import Foundation
import SQLKit
import ZhengxinCore

/// Writes ratings inside the transaction of whatever rated them (ProjectRiskRow): the current row is
/// replaced, and one `project_risk_changes` row is added when the level or the points differ from
/// the stored ones (or the project had none), so the history says when and why the rating moved
/// and the same facts rated again add nothing.
package enum ProjectRiskStore {
    /// `cause`: the action's name, "create", "scan" or "fill" (the migration's first rating).
    static func record(_ row: ProjectRiskRow, cause: String, at now: Instant, on db: any Database) async throws {
        try await record([row], cause: cause, at: now, on: db)
    }

    static func record(_ rows: [ProjectRiskRow], cause: String, at now: Instant, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        for slice in rows.chunks(of: rowsPerStatement) {
            let part = Array(slice)
            let stored = try await current(part.map(\.projectId), on: db)
            try await inserting(part, on: sql).onConflict(with: ["project_id"]) { update in
                try ProjectRiskRow.columns.dropFirst().reduce(update) { try $0.set(excludedValueOf: $1) }
            }.run()
            let moved = part.filter { row in stored[row.projectId].map { $0 != (row.rating.level, row.rating.points) } ?? true }
            try await history(moved, from: stored, cause: cause, at: now, on: sql)
        }
    }

    /// Whether the stored rating of `row`'s project already says what `row` says (ProjectRiskRow.isStored):
    /// false when the project has none. Read before the write lock, so an action that does not move
    /// the rating writes nothing for it.
    static func holds(_ row: ProjectRiskRow, on db: any Database) async throws -> Bool {
        guard let stored = try await PlainRows.all(StoredRating.self, [row.projectId], on: db).first else { return false }
        return try row.isStored(as: stored)
    }

    /// A project's stored rating, as `holds` compares it: read by every action (PlainStatement).
    private enum StoredRating: PlainStatement {
        static let name = "project_risk_rating"
        static let sql = "SELECT \(ProjectRiskRow.comparedColumns) FROM project_risks WHERE project_id = $1"
    }

    /// Rows per statement: 10 columns each, well within SQLite's and PostgreSQL's bound parameters.
    static let rowsPerStatement = 500

    private static func inserting(
        _ rows: [ProjectRiskRow], columns: [String] = ProjectRiskRow.columns, on sql: any SQLDatabase
    ) throws -> SQLInsertBuilder {
        var insert = sql.insert(into: ProjectRiskRow.table).columns(columns)
        for row in rows { insert = insert.values(try row.values().prefix(columns.count).map { SQLBind($0) as any SQLExpression }) }
        return insert
    }

    /// New projects' rows and their first history rows, many per statement (zhengxin-bench).
    /// `columns`: a prefix of ProjectRiskRow.columns, for a migration that fills the table as it stood then.
    package static func insert(
        _ rows: [ProjectRiskRow], cause: String, at now: Instant, columns: [String] = ProjectRiskRow.columns, on db: any Database
    ) async throws {
        let sql = db as! any SQLDatabase
        for slice in rows.chunks(of: rowsPerStatement) {
            let part = Array(slice)
            try await inserting(part, columns: columns, on: sql).run()
            try await history(part, from: [:], cause: cause, at: now, on: sql)
        }
    }

    /// The stored (level, points) of `ids`.
    private static func current(_ ids: [UUID], on db: any Database) async throws -> [UUID: (Int, Int)] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await PlainRows.all(
            SQLQueryString("SELECT project_id, level, points FROM project_risks WHERE project_id IN (\(binds: ids))"), on: db)
        var found: [UUID: (Int, Int)] = [:]
        for row in rows { found[try row.uuid(0)] = (try row.int(1), try row.int(2)) }
        return found
    }

    static let historyColumns = [
        "id", "project_id", "from_level", "from_points", "to_level", "points", "reasons", "changed_on", "changed_at", "cause",
    ]

    private static func history(
        _ rows: [ProjectRiskRow], from stored: [UUID: (Int, Int)], cause: String, at now: Instant, on sql: any SQLDatabase
    ) async throws {
        guard !rows.isEmpty else { return }
        var insert = sql.insert(into: ProjectRiskRow.changes).columns(historyColumns)
        for row in rows {
            let before = stored[row.projectId]
            let values: [any Encodable & Sendable] = [
                TimeOrderedUUID.now(), row.projectId, before.map { Int64($0.0) }, before.map { Int64($0.1) },
                Int64(row.rating.level), Int64(row.rating.points),
                try ProjectRiskRow.storedReasons(row.rating.reasons, classified: row.classified),
                row.ratedOn.description, now.secondsSinceEpoch, cause,
            ]
            insert = insert.values(values.map { SQLBind($0) as any SQLExpression })
        }
        try await insert.run()
    }
}
