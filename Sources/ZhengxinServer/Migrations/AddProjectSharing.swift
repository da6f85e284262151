import Fluent
import SQLKit

/// The `project_sharing` table (ProjectSharingRow), with its index in the unit view's order (unit,
/// code), filled from the projects already stored.
struct AddProjectSharing: AsyncMigration {
    static let indexes = [("project_sharing_unit_code", "project_sharing (unit_id, code, classified)")]

    func prepare(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        let postgres = sql.dialect.name == "postgresql"
        let (int, bool) = postgres ? ("BIGINT", "BOOLEAN") : ("INTEGER", "INTEGER")
        let figures = ProjectSharingRow.figureColumns.map { "\($0) \(int) NOT NULL" }.joined(separator: ", ")
        try await sql.raw(
            """
            CREATE TABLE project_sharing (project_id UUID PRIMARY KEY, unit_id UUID NOT NULL, code TEXT NOT NULL,
              classified \(unsafeRaw: bool) NOT NULL, \(unsafeRaw: figures))
            """
        ).run()
        try await SQLIndexes.create(Self.indexes, on: database)
        try await ProjectSharingCheck.walk(on: database) { rows in
            try await ProjectSharingRow.insert(rows.map(\.expected), on: database)
        }
        MigrationLog.moved(self, "project_sharing", try await MigrationLog.count("project_sharing", on: database), on: database)
    }

    func revert(on database: Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP TABLE project_sharing").run()
    }
}
