import Fluent
import SQLKit
import Vapor
import ZhengxinCore

/// Loading projects with the caller's scope applied: a project the caller may not see does not
/// exist for it (404), whether it belongs to another unit or is 涉密 and the caller is not named.
enum ProjectQueries {
    /// The project's record, when `actor` may see it (else 404, as for a project that does not exist).
    /// Reads the record column alone: the detail API wants nothing else of the row.
    static func visibleRecord(_ id: UUID, to actor: Actor, on db: Database) async throws -> ProjectRecord {
        let row = try await PlainRows.all(RecordByID.self, [id], on: db).first
        guard let row, !refusedByColumns(unitId: try row.uuid(1), to: actor) else { throw APIError.notFound("项目") }
        let record = try ProjectRecordStorage.decode(try row.text(0))
        guard record.isVisible(to: actor) else { throw APIError.notFound("项目") }
        return record
    }

    /// A project's stored record and its unit: what its page, detail and every view of it read (PlainStatement).
    private enum RecordByID: PlainStatement {
        static let name = "project_record_unit"
        static let sql = "SELECT record, unit_id FROM projects WHERE id = $1"
    }

    /// Another unit's project, refused from the row's column before its record is opened. Opening a
    /// record (and unsealing a 涉密 one) takes a fraction of a millisecond that an unknown id does not,
    /// so a unit that opened another unit's record before refusing it could tell, by the time of its
    /// 404, another unit's project (涉密 or not) from an id that names none.
    static func refusedByColumns(unitId: UUID, to actor: Actor) -> Bool {
        actor.organisationType == .unit && unitId != actor.organisationId
    }

    /// The row and its record, for a writer that stores the row again (ProjectActionRunner).
    static func visible(_ id: UUID, to actor: Actor, on db: Database) async throws -> (ProjectRow, ProjectRecord) {
        guard let stored = try await ProjectRow.find(id, on: db), !refusedByColumns(unitId: stored.unitId, to: actor) else {
            throw APIError.notFound("项目")
        }
        let record = try stored.decoded()
        guard record.isVisible(to: actor) else { throw APIError.notFound("项目") }
        return (stored, record)
    }

    static func projectId(_ req: Request) throws -> UUID {
        guard let text = req.parameters.get("projectId"), let id = UUID(uuidString: text) else { throw APIError.notFound("项目") }
        return id
    }
}
