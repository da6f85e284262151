import Fluent
import Foundation
import SQLKit
import Vapor
import ZhengxinCore

/// The statements of a unit's sharing view (R-SHR-4), over `project_sharing` (ProjectSharingRow);
/// QueryPlanTests read the plans of exactly these.
enum UnitSharingQuery {
    struct Reading: Sendable {
        /// Pooled over every project of the unit the caller may see.
        var figures: SharingFigures
        var total: Int
        /// 涉密 projects of the unit the caller is not named on: counted, never shown (R-CON-5).
        var hiddenClassified: Int
        var page: [ProjectSharingView]
    }

    static func read(unitId: UUID, page paging: PageRequest, for actor: Actor, opened: ClassifiedRecords, on db: any Database) async throws
        -> Reading
    {
        let keys = try await PlainRows.all(classifiedKeys(unitId), on: db).map { row in
            ClassifiedRecords.Key(id: try row.uuid(0), version: try row.int(1), updatedAt: try row.int64(2))
        }
        let records = try await opened.records(keys: keys, on: db)
        let named = records.values.filter { $0.isVisible(to: actor) }
        guard let sums = try await PlainRows.all(openTotals(unitId), on: db).first else { throw Abort(.internalServerError) }
        let open = try sums.int(0)
        let figures = SharingFigures.pooled([try ProjectSharingRow.figures(sums, from: 1, projects: open)] + named.map(SharingFigures.of))
        let byId = Dictionary(uniqueKeysWithValues: named.map { ($0.id, $0) })
        let rows = try await PlainRows.all(page(unitId, classifiedVisible: Array(byId.keys), paging), on: db)
        let views = try rows.map { row -> ProjectSharingView in
            let id = try row.uuid(0)
            if let record = byId[id] { return ProjectSharingView(record) }
            let figures = try ProjectSharingRow.figures(row, from: 3, projects: 1)
            let stageText = try row.text(3 + ProjectSharingRow.figureColumns.count + 1)
            guard let stage = Stage(rawValue: stageText) else { throw Abort(.internalServerError, reason: "未知阶段 \(stageText)") }
            return ProjectSharingView(
                projectId: id, code: try row.text(1), name: try row.text(3 + ProjectSharingRow.figureColumns.count),
                unitId: unitId, stage: stage, catalogRegistered: figures.projectsRegistered == 1, figures: figures)
        }
        return Reading(figures: figures, total: open + named.count, hiddenClassified: keys.count - named.count, page: views)
    }

    /// The keys of the unit's 涉密 projects (ClassifiedRecords opens each once per stored version).
    static func classifiedKeys(_ unitId: UUID) -> SQLQueryString {
        "SELECT id, version, updated_at FROM projects WHERE classified = \(bind: true) AND unit_id = \(bind: unitId)"
    }

    /// How many open (not 涉密) projects the unit has, and their figures summed.
    static func openTotals(_ unitId: UUID) -> SQLQueryString {
        let sums = ProjectSharingRow.figureColumns.map { "CAST(COALESCE(SUM(\($0)), 0) AS BIGINT)" }.joined(separator: ", ")
        return "SELECT COUNT(*), \(unsafeRaw: sums) FROM project_sharing WHERE unit_id = \(bind: unitId) AND classified = \(bind: false)"
    }

    /// A page of the unit's projects the caller sees, by code: its open ones and the 涉密 ones in
    /// `classifiedVisible`, each with its name and stage from the project row.
    static func page(_ unitId: UUID, classifiedVisible: [UUID], _ paging: PageRequest) -> SQLQueryString {
        let figures = ProjectSharingRow.figureColumns.map { "s.\($0)" }.joined(separator: ", ")
        var query: SQLQueryString = """
            SELECT s.project_id, s.code, s.classified, \(unsafeRaw: figures), p.name, p.stage FROM project_sharing s
            JOIN projects p ON p.id = s.project_id WHERE s.unit_id = \(bind: unitId) AND
            """
        query +=
            classifiedVisible.isEmpty
            ? " s.classified = \(bind: false)"
            : " (s.classified = \(bind: false) OR s.project_id IN \(SQLBind.ids(classifiedVisible)))"
        return query + " ORDER BY s.code" + paging.sqlLimit
    }
}
