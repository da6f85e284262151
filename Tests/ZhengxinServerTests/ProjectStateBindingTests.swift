import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// Someone with database access edits a project row behind the server's back (an investment, a
/// name, a stage, the record itself, or a row no entry recorded): the audit chain still holds, but
/// every accepted entry that wrote a project carries the SM3 of the row it left (ProjectStateDigest),
/// and `audit-verify` names the project and the fields that no longer are what the entry recorded.
@Suite("Project state bound to the audit chain")
struct ProjectStateBindingTests {
    /// The finding for `id`, when verification reports project states.
    static func finding(_ report: AuditChainReport, _ id: String) -> ProjectStateReport.Finding? {
        guard case .projectStates(let findings) = report.problem else { return nil }
        return findings.first { $0.projectId.uuidString == id.uppercased() }
    }

    @Test("investment, name, stage and record edited in the database are each named; put back, the check passes", arguments: Backend.all)
    func editsBehindTheServersBack(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var plain = Walk(world)
            try await plain.create(Walk.draft(name: "城市运行监测平台", yuan: 2_000_000))
            try await plain.toReserve()
            try await plain.toPlanned(amountFen: 200_000_000)  // the annual plan's issue writes the row too
            var secret = Walk(world)
            try await secret.create(Walk.draft(name: "指挥调度专网", yuan: 1_000_000, extra: ["classified": true]))
            try await world.must(secret.projectId, "declare", as: "unitA")
            let sql = world.app.db as! any SQLDatabase
            let verify = { try await AuditRecorder.verify(on: world.app.db) }

            let intact = try await verify()
            #expect(intact.problem == nil, "\(intact.message)")
            #expect(intact.projects.bound == 2 && intact.projects.notBound == 0)
            #expect(intact.message.contains("项目状态: 2个与其最后一条审计记录一致"))

            let code = try await sql.raw("SELECT code FROM projects WHERE id = \(bind: UUID(uuidString: plain.projectId)!)").first()!
                .decode(column: "code", as: String.self)
            let edits: [(column: String, change: SQLQueryString, field: String, project: String)] = [
                ("total_investment_fen", "total_investment_fen = total_investment_fen + 100", "总投资(total_investment_fen)", plain.projectId),
                ("name", "name = '城市运行监测平台（改）'", "名称(name)", plain.projectId),
                ("stage", "stage = 'approved'", "阶段(stage)", plain.projectId),
                ("record", "record = replace(record, '建设内容', '建设内容改')", "项目记录(record)", plain.projectId),
                ("record", "record = replace(record, 'zx-sm4:1:', 'zx-sm4:1:x')", "项目记录(record)", secret.projectId),
            ]
            for edit in edits {
                let id = UUID(uuidString: edit.project)!
                let original = try await PlainRows.all(
                    SQLQueryString("SELECT \(unsafeRaw: edit.column) FROM projects WHERE id = \(bind: id)"), on: world.app.db)
                try await sql.raw("UPDATE projects SET " + edit.change + " WHERE id = \(bind: id)").run()
                let report = try await verify()
                let finding = try #require(Self.finding(report, edit.project), "\(edit.column): \(report.message)")
                #expect(finding.kind == .differs(fields: [edit.field]), "\(edit.column)")
                #expect(report.message.contains(edit.field) && report.message.contains(edit.project.uppercased()))
                if edit.project == plain.projectId { #expect(report.message.contains(code) || edit.column == "code") }
                #expect(report.firstBroken == finding.seq && finding.seq > 0)
                // Put back as it was: the row is again the state its entry recorded.
                switch original.first!.cells[0] {
                case .integer(let n):
                    try await sql.raw("UPDATE projects SET \(ident: edit.column) = \(bind: n) WHERE id = \(bind: id)").run()
                case .text(let s): try await sql.raw("UPDATE projects SET \(ident: edit.column) = \(bind: s) WHERE id = \(bind: id)").run()
                default: Issue.record("unexpected cell \(original)")
                }
                #expect(try await verify().problem == nil)
            }

            // A row no entry recorded, added behind the server's back.
            let model = try #require(try await ProjectRow.find(UUID(uuidString: plain.projectId)!, on: world.app.db))
            var forged = try model.decoded()
            forged.id = UUID()
            forged.code = "ZZ-2026-9999"
            try await BatchInsert.create(try ProjectRow(forged, policy: .zhengzhou2020, at: world.clock.now), on: world.app.db)
            let added = try await verify()
            #expect(Self.finding(added, forged.id.uuidString)?.kind == .unrecorded, "\(added.message)")
            #expect(added.message.contains("ZZ-2026-9999") && added.message.contains("无任何受理的审计记录"))
            try await sql.raw("DELETE FROM projects WHERE id = \(bind: forged.id)").run()
            #expect(try await verify().problem == nil)

            // The report's figures come from the tallies: one edited behind the server's back is found.
            try await sql.raw("UPDATE project_tallies SET requested = requested + 100 WHERE projects > 0 AND classified = \(bind: false)")
                .run()
            let tallied = try await verify()
            guard case .talliesDiffer(let rows) = tallied.problem else {
                Issue.record("tallies edit not found: \(tallied.message)"); return
            }
            #expect(rows >= 2 && tallied.message.contains("project_tallies"))
            try await sql.raw("UPDATE project_tallies SET requested = requested - 100 WHERE projects > 0 AND classified = \(bind: false)")
                .run()
            #expect(try await verify().problem == nil)

            // The project's next accepted action binds its new row; the check still holds.
            try await world.must(secret.projectId, "grant-classified-access", as: "unitA", ["userId": world.userIds["bdb"]!.uuidString])
            try await world.must(secret.projectId, "start-technical-review", as: "bdb")
            #expect(try await verify().problem == nil)
        }
    }

    @Test(
        "a chain written before states were bound verifies as before, its projects counted as not bound until their next write",
        arguments: Backend.all)
    func entriesBeforeTheFormat(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            try await world.must(w.projectId, "declare", as: "unitA")
            // Rewrite the whole chain as a server before format 2 wrote it: no id, no state in the hash.
            let entries = try await AuditEntryModel.query(on: world.app.db).sort(\.$seq).all()
            var previous = AuditRecorder.genesis
            for e in entries {
                e.format = AuditEntryFormat.original
                e.state = ""
                e.prevHash = previous
                e.hash = AuditRecorder.digest(e)
                #expect(e.hash == AuditEntryDigestTests.originalDigest(e))
                previous = e.hash
                try await e.update(on: world.app.db)
            }
            try await AuditAnchor.advance(toSeq: entries.last!.seq, hash: previous, on: world.app.db)
            let old = try await AuditRecorder.verify(on: world.app.db)
            #expect(old.problem == nil, "\(old.message)")
            #expect(old.projects.bound == 0 && old.projects.notBound == 1)
            #expect(old.message.contains("1个未绑定"))
            // Not bound: an edit of such a row is not a finding (nothing recorded its state).
            let sql = world.app.db as! any SQLDatabase
            try await sql.raw("UPDATE projects SET total_investment_fen = total_investment_fen + 1").run()
            #expect(try await AuditRecorder.verify(on: world.app.db).problem == nil)
            try await sql.raw("UPDATE projects SET total_investment_fen = total_investment_fen - 1").run()

            // The next write binds it; an old entry's id is not hashed, a new one's is.
            try await world.must(w.projectId, "start-technical-review", as: "bdb")
            let now = try await AuditRecorder.verify(on: world.app.db)
            #expect(now.problem == nil && now.projects.bound == 1 && now.projects.notBound == 0, "\(now.message)")
            try await sql.raw("UPDATE audit_entries SET id = \(bind: UUID()) WHERE seq = 1").run()
            #expect(try await AuditRecorder.verify(on: world.app.db).problem == nil)
            let newest = try #require(try await AuditEntryModel.query(on: world.app.db).sort(\.$seq, .descending).first())
            try await sql.raw("UPDATE audit_entries SET id = \(bind: UUID()) WHERE seq = \(bind: newest.seq)").run()
            #expect(try await AuditRecorder.verify(on: world.app.db).problem == .changed(seq: newest.seq))
        }
    }

    @Test("actions group-committed together each bind the row they left", arguments: Backend.all)
    func groupCommitted(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var ids: [String] = []
            for i in 0..<6 {
                var w = Walk(world, unit: i % 2 == 0 ? "unitA" : "unitB")
                try await w.create(Walk.draft(name: "并发项目\(i)", yuan: 1_000_000 + Int64(i)))
                ids.append(w.projectId)
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (i, id) in ids.enumerated() {
                    group.addTask { try await world.must(id, "declare", as: i % 2 == 0 ? "unitA" : "unitB") }
                }
                try await group.waitForAll()
            }
            let report = try await AuditRecorder.verify(on: world.app.db)
            #expect(report.problem == nil, "\(report.message)")
            #expect(report.projects.bound == 6)
        }
    }
}
