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
        let rows =
            switch Reach(actor) {
            case .all: try await PlainRows.all(RecordByID.self, [id], on: db)
            case .unit(let unit): try await PlainRows.all(RecordInUnit.self, [id, unit], on: db)
            case .vendor(let firm): try await PlainRows.all(RecordOfVendor.self, [id, firm], on: db)
            }
        guard let row = rows.first else { throw APIError.notFound("项目") }
        let record = try ProjectRecordStorage.decode(try row.text(0))
        guard record.isVisible(to: actor) else { throw APIError.notFound("项目") }
        return record
    }

    /// Which rows a caller's statement may find at all, said in its WHERE clause. Opening a record
    /// (unsealing a 涉密 one) takes a fraction of a millisecond that an unknown id does not: had a unit
    /// or a vendor read and opened a project outside its reach before refusing it, the time of its 404
    /// would tell that project from an id that names none. Outside its reach a row is not found, as an
    /// unknown id is not. Within it `ProjectRecord.isVisible` still decides (涉密: only users named on
    /// it, which the sealed record alone knows; a vendor's 涉密 projects are not in `project_parties`).
    enum Reach {
        case all
        case unit(UUID)
        case vendor(UUID)

        init(_ actor: Actor) {
            switch actor.organisationType {
            case .unit: self = .unit(actor.organisationId)
            case .vendor: self = .vendor(actor.organisationId)
            case .drc, .fin, .bdb, .aud: self = .all
            }
        }

        static let inUnit = " AND unit_id = $2"
        static let ofVendor = " AND (classified OR id IN (SELECT project_id FROM project_parties WHERE organisation_id = $2))"
    }

    /// A project's stored record: what its page, detail and every view of it read (PlainStatement).
    private enum RecordByID: PlainStatement {
        static let name = "project_record"
        static let sql = "SELECT record FROM projects WHERE id = $1"
    }

    private enum RecordInUnit: PlainStatement {
        static let name = "project_record_in_unit"
        static let sql = RecordByID.sql + Reach.inUnit
    }

    private enum RecordOfVendor: PlainStatement {
        static let name = "project_record_of_vendor"
        static let sql = RecordByID.sql + Reach.ofVendor
    }

    /// The row and its record, for a writer that stores the row again (ProjectActionRunner).
    static func visible(_ id: UUID, to actor: Actor, on db: Database) async throws -> (ProjectRow, ProjectRecord) {
        guard let stored = try await ProjectRow.find(id, within: Reach(actor), on: db) else { throw APIError.notFound("项目") }
        let record = try stored.decoded()
        guard record.isVisible(to: actor) else { throw APIError.notFound("项目") }
        return (stored, record)
    }

    static func projectId(_ req: Request) throws -> UUID {
        guard let text = req.parameters.get("projectId"), let id = UUIDText.parse(text) else { throw APIError.notFound("项目") }
        return id
    }
}
