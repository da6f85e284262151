import Fluent
import SQLKit

/// The `project_review_texts` table (ProjectReviewText): 查重's texts of every ordinary project,
/// filled from the records already stored. Read by primary key only.
struct AddProjectReviewTexts: AsyncMigration {
    func prepare(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw(
            "CREATE TABLE project_review_texts (project_id UUID PRIMARY KEY, content TEXT NOT NULL, goals TEXT NOT NULL, infrastructure TEXT NOT NULL)"
        ).run()
        try await ProjectReviewText.walk(on: database) { rows in try await ProjectReviewText.insert(rows, on: database) }
        MigrationLog.moved(self, "project_review_texts", try await MigrationLog.count("project_review_texts", on: database), on: database)
    }

    func revert(on database: Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP TABLE project_review_texts").run()
    }
}
