import Fluent
import Foundation
import SQLKit
import ZhengxinCore

/// `project_waiting` (ProjectWaitingRow: what waits on whom on each project, kept by
/// ProjectWaitingStore), with the indexes of the home page's queue: an agency's rows by
/// (owner type, organisation, since) and a unit's by (owner type, unit, since), each ending with the
/// project id and its 涉密 mark so the caller's reach is decided in the index. Every stored project is
/// judged as of today, its waits dated from its last write.
struct CreateProjectWaiting: AsyncMigration {
    static let indexes = [
        ("project_waiting_owner", "project_waiting (owner_type, owner_org, since, project_id, classified)"),
        ("project_waiting_unit", "project_waiting (owner_type, unit_id, since, project_id, classified)"),
    ]

    func prepare(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        let bool = sql.dialect.name == "postgresql" ? "BOOLEAN" : "INTEGER"
        let int = sql.dialect.name == "postgresql" ? "BIGINT" : "INTEGER"
        try await sql.raw(
            """
            CREATE TABLE project_waiting (project_id UUID NOT NULL, owner_type TEXT NOT NULL, owner_org TEXT NOT NULL,
              unit_id UUID NOT NULL, classified \(unsafeRaw: bool) NOT NULL, since \(unsafeRaw: int) NOT NULL, line TEXT NOT NULL,
              PRIMARY KEY (project_id, owner_type, owner_org))
            """
        ).run()
        try await SQLIndexes.create(Self.indexes, on: database)
        let now = SystemClock.now()
        let book = try await PolicyStore.book(on: database)
        var after: UUID?
        while true {
            let select: SQLQueryString = "SELECT id, record, updated_at FROM projects"
            let query: SQLQueryString = after.map { select + " WHERE id > \(bind: $0)" } ?? select
            let rows = try await PlainRows.all(query + " ORDER BY id LIMIT 1000", on: database)
            guard let last = rows.last else { break }
            after = try last.uuid(0)
            var written: [UUID: Int64] = [:]
            let waiting = try rows.flatMap { row in
                let record = try ProjectRecordStorage.decode(try row.text(1))
                written[record.id] = try row.int64(2)
                return ProjectWaitingRow.rows(record, policy: book.governing(record, today: now.beijingDate), now: now)
            }
            try await ProjectWaitingStore.insert(waiting, since: { written[$0] ?? now.secondsSinceEpoch }, on: database)
        }
        MigrationLog.moved(self, "project_waiting", try await MigrationLog.count("project_waiting", on: database), on: database)
    }

    func revert(on database: Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP TABLE project_waiting").run()
    }
}
