import Fluent
import Foundation
import SQLKit

/// Checking `project_sharing` against the records it follows, as `ProjectTallies.drift` checks the
/// report's tallies against the projects: every project's row must be what its record makes
/// (ProjectSharingRow; `audit-verify` compares them in ProjectStateCheck's pass, which reads every
/// record already), and no row may stand for a project that is not there (`orphans`). The
/// migration fills the table with `walk`.
enum ProjectSharingCheck {
    /// A project's sharing row as its record makes it, and as stored (nil: missing).
    struct Pair: Sendable {
        var expected: ProjectSharingRow
        var stored: ProjectSharingRow?
    }

    static let pageSize = 1_000

    /// Rows without a project.
    static func orphans(on db: any Database) async throws -> Int {
        let rows = try await PlainRows.all(
            SQLQueryString(
                """
                SELECT COUNT(*) FROM project_sharing s WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = s.project_id)
                """), on: db)
        return try rows.first?.int(0) ?? 0
    }

    /// Every project in id order, a page at a time, with its row as stored and as its record makes it
    /// (records decoded on every core).
    static func walk(on db: any Database, _ body: ([Pair]) async throws -> Void) async throws {
        let stored = ProjectSharingRow.columns.map { "s.\($0)" }.joined(separator: ", ")
        let select =
            "SELECT p.id, p.unit_id, p.code, p.classified, p.record, \(stored) FROM projects p "
            + "LEFT JOIN project_sharing s ON s.project_id = p.id"
        var after: UUID?
        while true {
            let query: SQLQueryString = after.map { "\(unsafeRaw: select) WHERE p.id > \(bind: $0)" } ?? "\(unsafeRaw: select)"
            let rows = try await PlainRows.all(query + " ORDER BY p.id LIMIT \(unsafeRaw: String(pageSize))", on: db)
            guard !rows.isEmpty else { return }
            after = try rows.last!.uuid(0)
            try await body(try pairs(rows))
        }
    }

    private static func pairs(_ rows: [PlainRows.Row]) throws -> [Pair] {
        let results = rows.mapOnEveryCore { row in
            Result {
                try ProjectSharingRow(
                    projectId: try row.uuid(0), unitId: try row.uuid(1), code: try row.text(2), classified: try row.bool(3),
                    stored: try row.text(4))
            }
        }
        return try zip(rows, results).map { row, expected in
            Pair(expected: try expected.get(), stored: try ProjectSharingRow.stored(row, from: 5))
        }
    }
}
