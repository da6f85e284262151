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
        parties = Set(
            record.constructionContracts.compactMap { $0.contractorOrganisationId.map { Party(organisation: $0, role: "contractor") } }
                + record.supervisionContracts.compactMap {
                    $0.supervisionFirmOrganisationId.map { Party(organisation: $0, role: "supervisor") }
                })
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
    /// How many rows of `project_parties` are not what the records name, or what the records name
    /// is missing there: audit-verify's check of a table the actions keep, read by the database from
    /// every record as the triggers read them (AddProjectParties.named).
    static func drift(on db: any Database) async throws -> Int {
        let sql = db as! any SQLDatabase
        let stored = "SELECT project_id, organisation_id, role FROM project_parties"
        let rows = try await PlainRows.all(
            SQLQueryString(
                """
                WITH named (project_id, organisation_id, role) AS MATERIALIZED (\(unsafeRaw: AddProjectParties.named(sql)))
                SELECT (SELECT COUNT(*) FROM (SELECT * FROM named EXCEPT \(unsafeRaw: stored)) missing)
                  + (SELECT COUNT(*) FROM (\(unsafeRaw: stored) EXCEPT SELECT * FROM named) extra)
                """), on: db)
        return try rows.first?.int(0) ?? 0
    }
}
