import Fluent
import Foundation
import SQLKit
import ZhengxinCore

/// `project_risks` (each project's current 风险评级, ProjectRiskRow) and `project_risk_changes` (its
/// history, ProjectRiskStore), with the indexes of the ranked list (level and points descending,
/// project id to break ties; per unit for a unit's own list, and with the 涉密 mark so the reach is
/// decided in the index), of the scan's review day and of one project's history. Every stored
/// project is rated as of today, so a database upgraded has a rating for each project from the start.
struct CreateProjectRisks: AsyncMigration {
    static let indexes = [
        ("project_risks_rank", "project_risks (level DESC, points DESC, project_id, classified)"),
        ("project_risks_unit_rank", "project_risks (unit_id, level DESC, points DESC, project_id, classified)"),
        ("project_risks_review", "project_risks (review_on)"),
        ("project_risk_changes_project", "project_risk_changes (project_id, changed_on, changed_at)"),
    ]

    func prepare(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        let bool = sql.dialect.name == "postgresql" ? "BOOLEAN" : "INTEGER"
        let int = sql.dialect.name == "postgresql" ? "BIGINT" : "INTEGER"
        try await sql.raw(
            """
            CREATE TABLE project_risks (project_id UUID PRIMARY KEY, level \(unsafeRaw: int) NOT NULL,
              points \(unsafeRaw: int) NOT NULL, reasons TEXT NOT NULL, rated_on TEXT NOT NULL, review_on TEXT NOT NULL,
              unit_id UUID NOT NULL, classified \(unsafeRaw: bool) NOT NULL, stage TEXT NOT NULL)
            """
        ).run()
        try await sql.raw(
            """
            CREATE TABLE project_risk_changes (id UUID PRIMARY KEY, project_id UUID NOT NULL,
              from_level \(unsafeRaw: int), from_points \(unsafeRaw: int), to_level \(unsafeRaw: int) NOT NULL,
              points \(unsafeRaw: int) NOT NULL, reasons TEXT NOT NULL, changed_on TEXT NOT NULL,
              changed_at \(unsafeRaw: int) NOT NULL, cause TEXT NOT NULL)
            """
        ).run()
        try await SQLIndexes.create(Self.indexes, on: database)
        let now = SystemClock.now()
        let book = try await PolicyStore.book(on: database)
        var after: UUID?
        while true {
            let select: SQLQueryString = "SELECT id, record FROM projects"
            let query: SQLQueryString = after.map { select + " WHERE id > \(bind: $0)" } ?? select
            let rows = try await PlainRows.all(query + " ORDER BY id LIMIT 1000", on: database)
            guard let last = rows.last else { break }
            after = try last.uuid(0)
            let risks = try rows.map { row in
                let record = try ProjectRecordStorage.decode(try row.text(1))
                return ProjectRiskRow(record, today: now.beijingDate, policy: book.governing(record, today: now.beijingDate))
            }
            try await ProjectRiskStore.insert(risks, cause: "fill", at: now, columns: ProjectRiskRow.firstColumns, on: database)
        }
        MigrationLog.moved(self, "project_risks", try await MigrationLog.count("project_risks", on: database), on: database)
    }

    func revert(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP TABLE project_risk_changes").run()
        try await sql.raw("DROP TABLE project_risks").run()
    }
}
