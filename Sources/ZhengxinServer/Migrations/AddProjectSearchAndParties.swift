import Fluent
import SQLKit

/// Search by name or code through the databases' own text indexes, kept in the same transaction as
/// every insert, rename and delete, whoever writes (an action, a declaration, zhengxin-bench, a second
/// server). Only rows that are not 涉密 are indexed: a 涉密 row's name column holds a placeholder and
/// its real name is known only inside its sealed record, so the index can neither leak it nor find
/// every 涉密 row by the placeholder; ProjectListing matches the few 涉密 rows the caller is named on
/// in Swift.
///
/// A trigram cannot serve a query of 1 or 2 characters, and Chinese ones are common (平台, 医疗, 云).
/// A scan bounded by the other filters was rejected: with no filter (an agency's list) it reads every
/// row, and the count reads them all again after each write. So both databases also keep the grams
/// of 1 and 2 characters of the ASCII-lower-cased name and code.
///
/// - SQLite (the bundled SQLite of sqlite-nio, 3.54, with FTS5; `trigram` needs ≥ 3.34): an FTS5
///   table with the `trigram` tokenizer serves 3 characters or more as one phrase of trigrams, which
///   is exactly "contains", case-folded. Its rowid is the integer key of `project_search_rows`, not
///   the projects' own rowid, which VACUUM may renumber in a table keyed by a UUID. 1 or 2 characters:
///   `project_search_grams` holds every 2-character substring and the last character alone (about
///   27 rows per project); a 1-character query is the range of grams starting with it. Triggers on
///   `projects` keep both.
/// - PostgreSQL: one GIN index on `project_search_grams(name, code)`, every 1- and 2-character gram,
///   kept by PostgreSQL itself (and, to count a frequent gram from a B-tree, the same grams as rows:
///   AddPostgresSearchGramRows). 1 or 2 characters are one key of it; 3 or more are all their bigrams
///   (intersected in the index) and the `ILIKE` that the heap rows are checked with. Not `pg_trgm`:
///   it takes a character into a trigram only if the database's LC_CTYPE calls it a letter or digit,
///   and under `C` (scripts/test.sh's cluster, and a common choice for byte-order sorting) no Chinese
///   character is one (`show_trgm('智慧城市')` is `{}`), so a Chinese search would read the whole index.
struct AddProjectSearch: AsyncMigration {
    /// Longest name or code the SQLite triggers take grams of: the positions they join against
    /// (a trigger may not use a recursive CTE). Names are at most 2,000 characters (Fields.text).
    static let longestText = 4_096

    func prepare(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            // ASCII case only, as SQLite's lower() folds it: the same grams whatever the locale.
            try await sql.raw(
                """
                CREATE FUNCTION project_search_grams(name text, code text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                  SELECT COALESCE(array_agg(DISTINCT g), '{}') FROM (
                    SELECT substr(t, n, k) AS g
                    FROM unnest(ARRAY[translate(name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'),
                                      translate(code, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')]) AS t,
                         generate_series(1, length(t)) AS n, (VALUES (1), (2)) AS l(k)) grams
                $$
                """
            ).run()
            try await sql.raw("CREATE INDEX projects_search_grams ON projects USING gin (project_search_grams(name, code))").run()
            return
        }
        try await sql.raw("CREATE TABLE project_search_rows (id INTEGER PRIMARY KEY, project_id TEXT NOT NULL UNIQUE)").run()
        try await sql.raw("CREATE VIRTUAL TABLE project_search USING fts5(name, code, tokenize = 'trigram')").run()
        try await sql.raw(
            """
            CREATE TABLE project_search_grams (gram TEXT NOT NULL, project_id TEXT NOT NULL, PRIMARY KEY (gram, project_id)) WITHOUT ROWID
            """
        ).run()
        try await sql.raw("CREATE TABLE project_search_positions (n INTEGER PRIMARY KEY)").run()
        try await sql.raw(
            """
            INSERT INTO project_search_positions (n)
            WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < \(unsafeRaw: String(Self.longestText))) SELECT n FROM s
            """
        ).run()
        try await sql.raw("CREATE TRIGGER project_search_insert AFTER INSERT ON projects BEGIN \(unsafeRaw: Self.index("NEW")) END").run()
        try await sql.raw("CREATE TRIGGER project_search_delete AFTER DELETE ON projects BEGIN \(unsafeRaw: Self.unindex("OLD")) END").run()
        try await sql.raw(
            """
            CREATE TRIGGER project_search_update AFTER UPDATE OF name, code, classified ON projects
            BEGIN \(unsafeRaw: Self.unindex("OLD")) \(unsafeRaw: Self.index("NEW")) END
            """
        ).run()
        try await Self.fill(on: sql)
        for table in ["project_search_rows", "project_search_grams"] {
            MigrationLog.moved(self, table, try await MigrationLog.count(table, on: database), on: database)
        }
    }

    /// SQLite: every stored project's search rows as the insert trigger would have written them, one
    /// statement per table (this migration for existing rows; zhengxin-bench after its load, DeferredSearchRows).
    static func fill(on sql: any SQLDatabase) async throws {
        guard sql.dialect.name != "postgresql" else { return }  // PostgreSQL's GIN index keeps itself
        try await sql.raw("INSERT INTO project_search_rows (project_id) SELECT id FROM projects WHERE classified = 0").run()
        try await sql.raw(
            """
            INSERT INTO project_search (rowid, name, code)
            SELECT r.id, p.name, p.code FROM project_search_rows r JOIN projects p ON p.id = r.project_id
            """
        ).run()
        try await sql.raw(
            """
            INSERT OR IGNORE INTO project_search_grams (gram, project_id)
            SELECT substr(t, n, 2), id FROM (SELECT id, lower(name) AS t FROM projects WHERE classified = 0
                                             UNION ALL SELECT id, lower(code) FROM projects WHERE classified = 0), project_search_positions
            WHERE n <= length(t)
            """
        ).run()
    }

    /// SQLite: the trigger statements indexing `row` (NEW) unless it is 涉密. `substr(t, n, 2)` at the
    /// last position is the last character alone.
    static func index(_ row: String) -> String {
        """
        INSERT INTO project_search_rows (project_id) SELECT \(row).id WHERE \(row).classified = 0;
        INSERT INTO project_search (rowid, name, code) SELECT id, \(row).name, \(row).code FROM project_search_rows WHERE project_id = \(row).id;
        INSERT OR IGNORE INTO project_search_grams (gram, project_id)
          SELECT substr(t, n, 2), \(row).id FROM (SELECT lower(\(row).name) AS t UNION ALL SELECT lower(\(row).code)), project_search_positions
          WHERE n <= length(t) AND \(row).classified = 0;
        """
    }

    /// SQLite: the trigger statements removing `row` (OLD) from the index (nothing when it was 涉密).
    static func unindex(_ row: String) -> String {
        """
        DELETE FROM project_search WHERE rowid = (SELECT id FROM project_search_rows WHERE project_id = \(row).id);
        DELETE FROM project_search_rows WHERE project_id = \(row).id;
        DELETE FROM project_search_grams WHERE project_id = \(row).id AND gram IN (
          SELECT substr(t, n, 2) FROM (SELECT lower(\(row).name) AS t UNION ALL SELECT lower(\(row).code)), project_search_positions
          WHERE n <= length(t));
        """
    }

    func revert(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP INDEX projects_search_grams").run()
            try await sql.raw("DROP FUNCTION project_search_grams(text, text)").run()
            return
        }
        for trigger in ["project_search_insert", "project_search_delete", "project_search_update"] {
            try await sql.raw("DROP TRIGGER \(unsafeRaw: trigger)").run()
        }
        for table in ["project_search", "project_search_rows", "project_search_grams", "project_search_positions"] {
            try await sql.raw("DROP TABLE \(unsafeRaw: table)").run()
        }
    }
}

/// Who is contracted on each project (承建单位 and 监理单位 named by organisation in its construction
/// and supervision contracts), so a vendor's scope is an index lookup instead of `record LIKE
/// '%<organisation id>%'` over every project's record. Kept by triggers on `projects` whenever a
/// row's record or 涉密 flag is written (any writer, the same transaction), read from the record's
/// JSON — since FollowContractsFromActions, on a project's insert, delete and 涉密 flag, and a change
/// of contracts by the action that makes it (ProjectParties; audit-verify compares the table with
/// the records). 涉密 rows have none: their record is sealed and who is contracted on them is itself part
/// of what is kept secret; ProjectListing still opens those few records in Swift.
struct AddProjectParties: AsyncMigration {
    func prepare(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        let postgres = sql.dialect.name == "postgresql"
        if postgres {
            try await sql.raw(
                """
                CREATE TABLE project_parties (project_id UUID NOT NULL, organisation_id UUID NOT NULL, role TEXT NOT NULL,
                  PRIMARY KEY (project_id, organisation_id, role))
                """
            ).run()
            try await sql.raw("CREATE \(unsafeRaw: Self.postgresFollow(unchangedFirst: ""))").run()
            try await sql.raw("\(unsafeRaw: Self.postgresTrigger(updateOf: "record, classified"))").run()
        } else {
            try await sql.raw(
                """
                CREATE TABLE project_parties (project_id TEXT NOT NULL, organisation_id TEXT NOT NULL, role TEXT NOT NULL,
                  PRIMARY KEY (project_id, organisation_id, role)) WITHOUT ROWID
                """
            ).run()
            try await sql.raw(
                "CREATE TRIGGER project_parties_insert AFTER INSERT ON projects BEGIN \(unsafeRaw: Self.sqliteInsert("NEW")) END"
            ).run()
            try await sql.raw(
                "CREATE TRIGGER project_parties_delete AFTER DELETE ON projects BEGIN DELETE FROM project_parties WHERE project_id = OLD.id; END"
            ).run()
            try await sql.raw("\(unsafeRaw: Self.sqliteUpdateTrigger(of: "record, classified"))").run()
        }
        try await Self.fill(on: sql)
        MigrationLog.moved(self, "project_parties", try await MigrationLog.count("project_parties", on: database), on: database)
        try await sql.raw("CREATE INDEX project_parties_organisation ON project_parties (organisation_id, project_id)").run()
    }

    /// Every stored project's parties as the triggers would have written them, in one statement
    /// (this migration for existing rows; zhengxin-bench after its load, DeferredSearchRows).
    static func fill(on sql: any SQLDatabase) async throws {
        let insert = sql.dialect.name == "postgresql" ? "INSERT INTO" : "INSERT OR IGNORE INTO"
        try await sql.raw("\(unsafeRaw: insert) project_parties (project_id, organisation_id, role) \(unsafeRaw: named(sql))").run()
    }

    /// The (project_id, organisation_id, role) every stored record names, as the triggers read them
    /// (on SQLite a party named twice is there twice).
    static func named(_ sql: any SQLDatabase) -> String {
        if sql.dialect.name == "postgresql" {
            return """
                SELECT DISTINCT projects.id, p.organisation::uuid, p.role FROM projects,
                  LATERAL (\(Self.postgresParties("projects.record"))) p
                WHERE NOT projects.classified AND p.organisation IS NOT NULL
                """
        }
        return """
            SELECT projects.id, json_extract(c.value, '$.contractorOrganisationId'), 'contractor'
            FROM projects, json_each(\(Self.sqliteRecord("projects")), '$.constructionContracts') c
            WHERE json_extract(c.value, '$.contractorOrganisationId') IS NOT NULL
            UNION ALL
            SELECT projects.id, json_extract(c.value, '$.supervisionFirmOrganisationId'), 'supervisor'
            FROM projects, json_each(\(Self.sqliteRecord("projects")), '$.supervisionContracts') c
            WHERE json_extract(c.value, '$.supervisionFirmOrganisationId') IS NOT NULL
            """
    }

    /// PostgreSQL: the trigger function; `unchangedFirst` is plpgsql run before anything is rewritten
    /// (FollowContractChangesOnly returned early there when no contract changed; FollowContractsFromActions
    /// when the 涉密 flag did not).
    static func postgresFollow(unchangedFirst: String) -> String {
        """
        FUNCTION project_parties_follow() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          \(unchangedFirst)
          IF TG_OP IN ('UPDATE', 'DELETE') THEN DELETE FROM project_parties WHERE project_id = OLD.id; END IF;
          IF TG_OP IN ('UPDATE', 'INSERT') AND NOT NEW.classified THEN
            INSERT INTO project_parties (project_id, organisation_id, role)
            SELECT DISTINCT NEW.id, p.organisation::uuid, p.role FROM (\(postgresParties("NEW.record"))) p
            WHERE p.organisation IS NOT NULL;
          END IF;
          RETURN NULL;
        END $$
        """
    }

    /// PostgreSQL: the trigger that runs `project_parties_follow` after a row's insert, delete or an
    /// update of `columns`.
    static func postgresTrigger(updateOf columns: String) -> String {
        """
        CREATE TRIGGER project_parties_follow AFTER INSERT OR DELETE OR UPDATE OF \(columns) ON projects
        FOR EACH ROW EXECUTE FUNCTION project_parties_follow()
        """
    }

    /// SQLite: the trigger that rewrites a row's parties after an update of `columns`, when `when` holds.
    static func sqliteUpdateTrigger(of columns: String, when: String? = nil) -> String {
        """
        CREATE TRIGGER project_parties_update AFTER UPDATE OF \(columns) ON projects\(when.map { " WHEN " + $0 } ?? "")
        BEGIN DELETE FROM project_parties WHERE project_id = OLD.id; \(sqliteInsert("NEW")) END
        """
    }

    /// PostgreSQL: (organisation, role) of each contract in the record `record` (a text column of JSON).
    static func postgresParties(_ record: String) -> String {
        """
        SELECT c ->> 'contractorOrganisationId' AS organisation, 'contractor' AS role
          FROM jsonb_array_elements(COALESCE(\(record)::jsonb -> 'constructionContracts', '[]')) c
        UNION ALL SELECT c ->> 'supervisionFirmOrganisationId', 'supervisor'
          FROM jsonb_array_elements(COALESCE(\(record)::jsonb -> 'supervisionContracts', '[]')) c
        """
    }

    /// SQLite: the row's record as JSON to read contracts from, or an empty object for a 涉密 row
    /// (sealed, not JSON) or a record that is not JSON (json_each would fail the write).
    static func sqliteRecord(_ row: String) -> String {
        "(CASE WHEN \(row).classified = 0 AND json_valid(\(row).record) THEN \(row).record ELSE '{}' END)"
    }

    static func sqliteInsert(_ row: String) -> String {
        """
        INSERT OR IGNORE INTO project_parties (project_id, organisation_id, role)
          SELECT \(row).id, json_extract(value, '$.contractorOrganisationId'), 'contractor'
          FROM json_each(\(sqliteRecord(row)), '$.constructionContracts') WHERE json_extract(value, '$.contractorOrganisationId') IS NOT NULL
          UNION ALL
          SELECT \(row).id, json_extract(value, '$.supervisionFirmOrganisationId'), 'supervisor'
          FROM json_each(\(sqliteRecord(row)), '$.supervisionContracts') WHERE json_extract(value, '$.supervisionFirmOrganisationId') IS NOT NULL;
        """
    }

    func revert(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP TRIGGER project_parties_follow ON projects").run()
            try await sql.raw("DROP FUNCTION project_parties_follow()").run()
        } else {
            for trigger in ["project_parties_insert", "project_parties_delete", "project_parties_update"] {
                try await sql.raw("DROP TRIGGER \(unsafeRaw: trigger)").run()
            }
        }
        try await sql.raw("DROP TABLE project_parties").run()
    }
}
