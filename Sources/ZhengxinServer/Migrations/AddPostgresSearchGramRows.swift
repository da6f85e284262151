import Fluent
import SQLKit

/// PostgreSQL: the 1- and 2-character grams of every open project's name and code as rows
/// (gram, project_id), beside the GIN index AddProjectSearch made, so a frequent term is counted
/// from a B-tree alone. The GIN index finds the projects that hold 平台, but counting them visited
/// all ~42,000 rows in the table (40 ms at 100,000 projects) on every list an agency searches; the
/// count of one key of this table's primary key is read from the index. SQLite keeps the same table
/// under the same name (AddProjectSearch), so the count is one statement on both. Kept by a trigger
/// in the writing transaction, whoever writes; 涉密 rows have none, as in the text indexes.
struct AddPostgresSearchGramRows: AsyncMigration {
    func prepare(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw(
            "CREATE TABLE project_search_grams (gram TEXT NOT NULL, project_id UUID NOT NULL, PRIMARY KEY (gram, project_id))"
        ).run()
        // The old grams are found by their own keys (the primary key), so no index on project_id is needed.
        try await sql.raw(
            """
            CREATE FUNCTION project_search_grams_follow() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP IN ('UPDATE', 'DELETE') AND NOT OLD.classified THEN
                DELETE FROM project_search_grams WHERE gram = ANY (project_search_grams(OLD.name, OLD.code)) AND project_id = OLD.id;
              END IF;
              IF TG_OP IN ('UPDATE', 'INSERT') AND NOT NEW.classified THEN
                INSERT INTO project_search_grams (gram, project_id) SELECT g, NEW.id FROM unnest(project_search_grams(NEW.name, NEW.code)) g;
              END IF;
              RETURN NULL;
            END $$
            """
        ).run()
        try await sql.raw(
            """
            CREATE TRIGGER project_search_grams_follow AFTER INSERT OR DELETE OR UPDATE OF name, code, classified ON projects
            FOR EACH ROW EXECUTE FUNCTION project_search_grams_follow()
            """
        ).run()
        try await Self.fill(on: sql)
    }

    /// Every open project's grams, in one statement (this migration; zhengxin-bench after its load),
    /// in key order so the primary key is built from left to right.
    static func fill(on sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw(
            """
            INSERT INTO project_search_grams (gram, project_id)
            SELECT g, id FROM projects, unnest(project_search_grams(name, code)) g WHERE NOT classified ORDER BY g, id
            """
        ).run()
    }

    func revert(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("DROP TRIGGER project_search_grams_follow ON projects").run()
        try await sql.raw("DROP FUNCTION project_search_grams_follow()").run()
        try await sql.raw("DROP TABLE project_search_grams").run()
    }
}
