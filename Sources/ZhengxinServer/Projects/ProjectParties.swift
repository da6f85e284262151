import Fluent
import Foundation
import SQLKit
import ZhengxinCore

/// Who is contracted on a project, as `project_parties` holds it for a vendor's reach (承建单位 and
/// 监理单位 named by organisation in the record's contracts); none for a 涉密 project, whose record is
/// sealed and which is reached only by being named on it.
///
/// A project's insert and delete and a change of its 涉密 flag are followed by triggers
/// (AddProjectParties, FollowContractsFromActions); a change of its contracts by the action that
/// makes it, which stores these rows when they differ from those of the record it was decided on,
/// as it does the sharing row. The triggers followed contracts too, by reading the old and the new
/// record as JSON on every action: the larger part of PostgreSQL's own work on an action that
/// touched no contract.
struct ProjectParties: Equatable, Sendable {
    struct Party: Hashable, Sendable {
        var organisation: UUID
        /// `contractor` (承建单位) or `supervisor` (监理单位), as the triggers write it.
        var role: String
    }

    var projectId: UUID
    var parties: Set<Party>

    init(_ record: ProjectRecord) {
        projectId = record.id
        guard !record.classified else {
            parties = []
            return
        }
        parties = Self.named(
            contractors: record.constructionContracts.map(\.contractorOrganisationId),
            supervisors: record.supervisionContracts.map(\.supervisionFirmOrganisationId))
    }

    /// The parties that contracts name: 承建单位 as `contractor`, 监理单位 as `supervisor`, as the
    /// triggers write them; a contract naming no organisation names no party.
    static func named(contractors: [UUID?], supervisors: [UUID?]) -> Set<Party> {
        Set(
            contractors.compactMap { $0.map { Party(organisation: $0, role: "contractor") } }
                + supervisors.compactMap { $0.map { Party(organisation: $0, role: "supervisor") } })
    }

    /// Replaces the project's rows with these, inside the action's write transaction.
    func store(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("DELETE FROM project_parties WHERE project_id = \(bind: projectId)").run()
        guard !parties.isEmpty else { return }
        var insert = sql.insert(into: "project_parties").columns("project_id", "organisation_id", "role")
        for party in parties { insert = insert.values(SQLBind(projectId), SQLBind(party.organisation), SQLBind(party.role)) }
        try await insert.run()
    }
}

extension ProjectParties {
    /// The parties an ordinary record's JSON names, read from that JSON alone (audit-verify decodes
    /// the record once for its sharing row, its 查重 texts and these: ProjectStateCheck).
    struct Named: Decodable {
        private struct Construction: Decodable { var contractorOrganisationId: UUID? }
        private struct Supervision: Decodable { var supervisionFirmOrganisationId: UUID? }
        private var constructionContracts: [Construction]?
        private var supervisionContracts: [Supervision]?

        var parties: Set<Party> {
            ProjectParties.named(
                contractors: (constructionContracts ?? []).map(\.contractorOrganisationId),
                supervisors: (supervisionContracts ?? []).map(\.supervisionFirmOrganisationId))
        }
    }

    /// The stored rows of the projects with ids in `after` (exclusive; nil for the first) through
    /// `through` (inclusive; nil for no end), by project: how audit-verify reads the table, a page of
    /// projects' range at a time, so that every row is read once whether or not its project is there.
    /// `malformed` counts the rows that name no one: ids that are not ids, or on SQLite, whose ids are
    /// text compared byte for byte by a vendor's scope, ids not in the text the server writes (lower
    /// case, a blob) — such a row reaches no vendor, and would otherwise pass for the party it spells.
    static func stored(after: UUID?, through: UUID?, on db: any Database) async throws -> (
        byProject: [UUID: Set<Party>], malformed: Int
    ) {
        let sqlite = (db as! any SQLDatabase).dialect.name == "sqlite"
        let exact = sqlite ? ", typeof(project_id) = 'text' AND typeof(organisation_id) = 'text'" : ""
        var query: SQLQueryString = "SELECT project_id, organisation_id, role\(unsafeRaw: exact) FROM project_parties WHERE 1 = 1"
        if let after { query = query + " AND project_id > \(bind: after)" }
        if let through { query = query + " AND project_id <= \(bind: through)" }
        var stored: [UUID: Set<Party>] = [:]
        var malformed = 0
        for row in try await PlainRows.all(query, on: db) {
            guard let project = try? row.uuid(0), let organisation = try? row.uuid(1), let role = try? row.text(2),
                !sqlite
                    || ((try? row.bool(3)) == true && (try? row.text(0)) == UUIDText.string(project)
                        && (try? row.text(1)) == UUIDText.string(organisation))
            else {
                malformed += 1
                continue
            }
            stored[project, default: []].insert(Party(organisation: organisation, role: role))
        }
        return (stored, malformed)
    }
}
