import Fluent
import SQLKit

/// How many projects stand at each 风险等级, kept as ratings change: `project_risks` gains the
/// project's 计划年度 (copied from the record with the rating, as unit and 涉密 mark are), and
/// `risk_tallies` holds one row per (unit, plan year, level) with the number of projects that are
/// not 涉密, kept by triggers on `project_risks` in the transaction of every rating written. The
/// `/risks` page and the report's distribution counted the city's ~100,000 ratings on every view
/// (~38 ms uncached); now they sum a few thousand tallies and count only the 涉密 ratings the
/// caller is named on (RiskTallies). 涉密 ratings are in no tally, so no count can disclose one's
/// level to a reader not named on it. `RiskTallies.drift` compares them with a GROUP BY.
struct AddRiskTallies: AsyncMigration {
    static let key = "unit_id, plan_year, level"
    static let watched = "unit_id, plan_year, level, classified"
    static let yearRank = ("project_risks_year_rank", "project_risks (plan_year, level DESC, points DESC, project_id, classified)")

    func prepare(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        let int = sql.dialect.name == "postgresql" ? "BIGINT" : "INTEGER"
        try await sql.raw("ALTER TABLE project_risks ADD COLUMN plan_year \(unsafeRaw: int) NOT NULL DEFAULT 0").run()
        try await sql.raw(
            "UPDATE project_risks SET plan_year = (SELECT plan_year FROM projects WHERE projects.id = project_risks.project_id)"
        )
        .run()
        try await SQLIndexes.create([Self.yearRank], on: database)
        try await sql.raw(
            """
            CREATE TABLE risk_tallies (unit_id UUID NOT NULL, plan_year \(unsafeRaw: int) NOT NULL, level \(unsafeRaw: int) NOT NULL,
              projects \(unsafeRaw: int) NOT NULL, PRIMARY KEY (\(unsafeRaw: Self.key)))
            """
        ).run()
        let leave = { (row: String) in
            """
            UPDATE risk_tallies SET projects = projects - 1
            WHERE NOT \(row).classified AND unit_id = \(row).unit_id AND plan_year = \(row).plan_year AND level = \(row).level;
            """
        }
        let join = { (row: String) in
            """
            INSERT INTO risk_tallies (\(Self.key), projects)
            SELECT \(row).unit_id, \(row).plan_year, \(row).level, 1 WHERE NOT \(row).classified
            ON CONFLICT (\(Self.key)) DO UPDATE SET projects = risk_tallies.projects + 1;
            """
        }
        try await TallyTriggers(tally: "risk_tallies", table: "project_risks", watched: Self.watched, leave: leave, join: join).create(
            on: sql)
        try await sql.raw("INSERT INTO risk_tallies (\(unsafeRaw: Self.key), projects) \(unsafeRaw: RiskTallies.grouped)").run()
        MigrationLog.moved(self, "risk_tallies", try await MigrationLog.count("risk_tallies", on: database), on: database)
    }

    func revert(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        try await TallyTriggers.drop("risk_tallies", on: "project_risks", sql)
        try await sql.raw("DROP TABLE risk_tallies").run()
        try await SQLIndexes.drop([Self.yearRank], on: database)
        try await sql.raw("ALTER TABLE project_risks DROP COLUMN plan_year").run()
    }
}
