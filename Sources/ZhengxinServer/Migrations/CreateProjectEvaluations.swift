import Fluent
import Foundation
import SQLKit
import ZhengxinCore

/// `project_evaluations`: each project's latest 绩效评价 (R-GOAL-2, 第三十五条) — date, total, grade —
/// kept at write time (ProjectEvaluationRow), so the evaluations of a unit shown where its O&M fees
/// and new projects are decided are read from an index in date order, never by decoding the unit's
/// records. Every stored project with an evaluation is entered here.
struct CreateProjectEvaluations: AsyncMigration {
    static let indexes = [("project_evaluations_unit", "project_evaluations (unit_id, evaluated_on DESC, project_id, classified)")]

    func prepare(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        let bool = sql.dialect.name == "postgresql" ? "BOOLEAN" : "INTEGER"
        try await sql.raw(
            """
            CREATE TABLE project_evaluations (project_id UUID PRIMARY KEY, unit_id UUID NOT NULL,
              classified \(unsafeRaw: bool) NOT NULL, evaluated_on TEXT NOT NULL, total TEXT NOT NULL, grade TEXT NOT NULL)
            """
        ).run()
        try await SQLIndexes.create(Self.indexes, on: database)
        var after: UUID?
        while true {
            let select: SQLQueryString = "SELECT id, record FROM projects"
            let query: SQLQueryString = after.map { select + " WHERE id > \(bind: $0)" } ?? select
            let rows = try await PlainRows.all(query + " ORDER BY id LIMIT 1000", on: database)
            guard let last = rows.last else { break }
            after = try last.uuid(0)
            for row in rows {
                try await ProjectEvaluationRow(try ProjectRecordStorage.decode(try row.text(1)))?.store(on: database)
            }
        }
        MigrationLog.moved(self, "project_evaluations", try await MigrationLog.count("project_evaluations", on: database), on: database)
    }

    func revert(on database: Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP TABLE project_evaluations").run()
    }
}
