import Fluent
import Foundation
import SQLKit
import ZhengxinCore

/// One project's 信息资源共享的范围和程度 (R-SHR-4, 第二十八条) as the `project_sharing` table keeps
/// it: written in the same transaction as the project row, by whoever writes that row (an action, a
/// declaration, an annual plan's issue, seed-demo, zhengxin-bench), so a unit's figures are a sum over
/// its rows instead of decoding every record of the unit on every request (~800 ms at 100,000
/// projects). The figures are `SharingFigures.of` of the record, the one place they are computed.
///
/// A 涉密 project's row holds no figures (第十七条: what its catalog holds stays in the sealed
/// record, as its amounts do): only its unit, code and the mark; the unit's view adds the figures of
/// the 涉密 projects the caller is named on from their opened records. `audit-verify` compares
/// every row with the record it follows (ProjectSharingCheck).
package struct ProjectSharingRow: Equatable, Sendable {
    var projectId: UUID
    var unitId: UUID
    var code: String
    var classified: Bool
    /// Zero for a 涉密 project; `projects` is always 1.
    var figures: SharingFigures

    package init(_ record: ProjectRecord) {
        self.init(
            projectId: record.id, unitId: record.unitId, code: record.code, classified: record.classified,
            figures: record.classified ? Self.withheld : SharingFigures.of(record))
    }

    init(projectId: UUID, unitId: UUID, code: String, classified: Bool, figures: SharingFigures) {
        (self.projectId, self.unitId, self.code, self.classified, self.figures) = (projectId, unitId, code, classified, figures)
    }

    /// The row a project row's columns and stored record make: a 涉密 record is not opened (its row
    /// holds no figures), so neither the fill nor the check needs its key; of an ordinary record only
    /// the parts the figures follow are decoded (they hold no sealed field).
    init(projectId: UUID, unitId: UUID, code: String, classified: Bool, stored record: String) throws {
        let figures = classified ? Self.withheld : SharingFigures.of(try RecordJSON.decode(SharingFigures.Facts.self, from: record))
        self.init(projectId: projectId, unitId: unitId, code: code, classified: classified, figures: figures)
    }

    /// A 涉密 project's row, made from its columns alone (its record is not opened).
    static func withheld(_ row: ProjectRow) -> ProjectSharingRow {
        ProjectSharingRow(projectId: row.id, unitId: row.unitId, code: row.code, classified: true, figures: withheld)
    }

    /// What a 涉密 project's row says of its figures: that it is one project.
    static let withheld: SharingFigures = {
        var f = SharingFigures()
        f.projects = 1
        return f
    }()

    // MARK: Columns

    package static let table = "project_sharing"

    /// The count columns, each with the figure it holds.
    static let counts: [(column: String, figure: WritableKeyPath<SharingFigures, Int>)] = [
        ("projects_with_catalog", \.projectsWithCatalog), ("projects_registered", \.projectsRegistered), ("entries", \.entries),
        ("unconditional", \.unconditional), ("conditional", \.conditional), ("not_shared", \.notShared),
        ("open_unconditional", \.openUnconditional), ("open_conditional", \.openConditional), ("not_open", \.notOpen),
        ("secret_entries", \.secretEntries), ("registered_entries", \.registeredEntries), ("withdrawn_entries", \.withdrawnEntries),
        ("feedback_count", \.feedbackCount),
    ]

    /// One column per sharing method (共享方式), by its raw value.
    static let methodColumns = SharingMethod.allCases.map { (column: "method_\($0.rawValue)", method: $0.rawValue) }

    /// Every figure column, in the order of `figureValues`.
    static let figureColumns = counts.map(\.column) + methodColumns.map(\.column)

    static let columns = ["project_id", "unit_id", "code", "classified"] + figureColumns

    var figureValues: [Int] {
        Self.counts.map { figures[keyPath: $0.figure] } + Self.methodColumns.map { figures.bySharingMethod[$0.method] ?? 0 }
    }

    var values: [any Encodable & Sendable] { [projectId, unitId, code, classified] + figureValues.map { Int64($0) } }

    /// A stored row read with `columns` from `row` at `start`; nil where a LEFT JOIN found none.
    static func stored(_ row: PlainRows.Row, from start: Int) throws -> ProjectSharingRow? {
        if case .null = row.cells[start] { return nil }
        return ProjectSharingRow(
            projectId: try row.uuid(start), unitId: try row.uuid(start + 1), code: try row.text(start + 2),
            classified: try row.bool(start + 3), figures: try figures(row, from: start + 4, projects: 1))
    }

    /// Figures from `figureColumns` read in order from `row` at `start`, over `projects` projects.
    static func figures(_ row: PlainRows.Row, from start: Int, projects: Int) throws -> SharingFigures {
        var f = SharingFigures()
        f.projects = projects
        for (i, count) in counts.enumerated() { f[keyPath: count.figure] = try row.int(start + i) }
        for (i, method) in methodColumns.enumerated() { f.bySharingMethod[method.method] = try row.int(start + counts.count + i) }
        return f
    }

    // MARK: Writing

    /// Inserts the row, or replaces the project's row (its unit, code, mark or figures moved).
    func store(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        let updates = Self.columns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        try await sql.raw(
            """
            INSERT INTO project_sharing (\(unsafeRaw: Self.columns.joined(separator: ", "))) VALUES \(SQLBind.group(values))
            ON CONFLICT (project_id) DO UPDATE SET \(unsafeRaw: updates)
            """
        ).run()
    }

    /// New projects' rows, many per statement (zhengxin-bench, seed-demo).
    package static func insert(_ rows: [ProjectSharingRow], on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        for part in rows.chunks(of: 1_000) {
            var insert = sql.insert(into: table).columns(columns)
            for row in part {
                insert = insert.values(row.values.map { SQLBind($0) as any SQLExpression })
            }
            try await insert.run()
        }
    }
}
