import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// A vendor's reach is the rows of `project_parties`: written by the action that records a contract
/// (ProjectParties), by triggers on a project's insert, delete and 涉密 flag.
@Suite("Contracted parties")
struct ProjectPartiesTests {
    @Test("a contract recorded by an action names its party, as the triggers' own reading of the record would", arguments: Backend.all)
    func contractRecorded(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 2_000_000))
            try await w.toReserve()
            try await w.toPlanned(amountFen: 200_000_000)
            try await w.toApproved(path: ["implementationPlan"], amountFen: 200_000_000)
            let id = try #require(UUID(uuidString: w.projectId))
            let vendor = world.orgId(of: "vendor")
            func parties() async throws -> Set<String> {
                let rows = try await PlainRows.all(
                    SQLQueryString("SELECT organisation_id, role FROM project_parties WHERE project_id = \(bind: id)"), on: world.app.db)
                return Set(try rows.map { "\(try $0.uuid(0)) \(try $0.text(1))" })
            }
            func listedForVendor() async throws -> Bool {
                let list = try await world.call(.GET, "/api/v1/projects", as: "vendor")
                return list.array.contains { ($0 as? [String: Any])?["id"] as? String == w.projectId }
            }
            #expect(try await parties().isEmpty)
            #expect(try await !listedForVendor())
            // The construction contract names the vendor; the supervision contract names no organisation.
            try await w.toConstructing(budgetFen: 200_000_000)
            #expect(try await parties() == ["\(vendor) contractor"])
            #expect(try await listedForVendor())
            // The rows the migrations' fill reads from every record (the triggers' reading) are the same.
            let sql = world.app.db as! any SQLDatabase
            try await sql.raw("DELETE FROM project_parties").run()
            try await AddProjectParties.fill(on: sql)
            #expect(try await parties() == ["\(vendor) contractor"])
            // audit-verify compares the table with the records: a row added or removed behind the server's back is found.
            #expect(try await AuditRecorder.verify(on: world.app.db).problem == nil)
            let stranger = world.orgId(of: "unitB")
            try await sql.raw(
                "INSERT INTO project_parties (project_id, organisation_id, role) VALUES (\(bind: id), \(bind: stranger), 'contractor')"
            ).run()
            let added = try await AuditRecorder.verify(on: world.app.db)
            #expect(added.problem == .partiesDiffer(rows: 1) && added.message.contains("project_parties"), "\(added.message)")
            try await sql.raw("DELETE FROM project_parties WHERE project_id = \(bind: id)").run()
            #expect(try await AuditRecorder.verify(on: world.app.db).problem == .partiesDiffer(rows: 1), "the vendor's row removed")
            try await AddProjectParties.fill(on: sql)
            #expect(try await AuditRecorder.verify(on: world.app.db).problem == nil)
            // Rows of no project are found too, wherever their ids fall among the projects' (the check
            // reads the table a page of projects' ids at a time), past the last project's included.
            for stray in [UUID(), UUID(uuidString: "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")!] {
                try await sql.raw(
                    "INSERT INTO project_parties (project_id, organisation_id, role) VALUES (\(bind: stray), \(bind: vendor), 'contractor')"
                ).run()
            }
            #expect(try await AuditRecorder.verify(on: world.app.db).problem == .partiesDiffer(rows: 2), "rows of no project")
            try await sql.raw("DELETE FROM project_parties").run()
            try await AddProjectParties.fill(on: sql)
            #expect(try await AuditRecorder.verify(on: world.app.db).problem == nil)
            if backend == .sqlite {
                // SQLite keeps the ids as text and a vendor's scope matches them byte for byte: the vendor's
                // row rewritten in lower case, or as a blob, reaches no one and must not pass for its party.
                let spelled = UUIDText.string(vendor)
                for rewritten: SQLQueryString in ["lower(organisation_id)", "CAST(organisation_id AS BLOB)"] {
                    try await sql.raw("UPDATE project_parties SET organisation_id = " + rewritten + " WHERE project_id = \(bind: id)").run()
                    #expect(try await !listedForVendor())
                    #expect(try await AuditRecorder.verify(on: world.app.db).problem == .partiesDiffer(rows: 2), "\(rewritten)")
                    try await sql.raw("UPDATE project_parties SET organisation_id = \(bind: spelled) WHERE project_id = \(bind: id)").run()
                    #expect(try await AuditRecorder.verify(on: world.app.db).problem == nil)
                }
                // A row whose ids are not ids at all is counted, not a failure of the whole check.
                try await sql.raw("INSERT INTO project_parties (project_id, organisation_id, role) VALUES ('x', 42, 'contractor')").run()
                #expect(try await AuditRecorder.verify(on: world.app.db).problem == .partiesDiffer(rows: 1), "a row naming no one")
                try await sql.raw("DELETE FROM project_parties WHERE project_id = 'x'").run()
            }
            // What the action compares: the record before and after its contract.
            let record = try #require(try await ProjectRow.find(id, on: world.app.db)).decoded()
            #expect(ProjectParties(record).parties == [.init(organisation: vendor, role: "contractor")])
            var secret = record
            secret.classified = true
            #expect(ProjectParties(secret).parties.isEmpty, "a 涉密 record names no party in the table")
        }
    }
}
