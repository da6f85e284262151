import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// Someone with database access edits the audit record behind the server's back (GB/T 22239-2019
/// 8.1.4.3): the SM3 chain names the first entry changed, removed or reordered.
@Suite("Audit record tampering")
struct AuditTamperTests {
    @Test("raw SQL UPDATE, seq swap and DELETE are each caught and named", arguments: Backend.all)
    func tampering(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            try await world.must(w.projectId, "declare", as: "unitA")
            _ = try await world.act(w.projectId, "record-completion", as: "unitA", ["completedOn": "2026-03-01"])  // a refusal, audited too
            let sql = world.app.db as! any SQLDatabase
            let verify = { try await AuditRecorder.verify(on: world.app.db) }
            let intact = try await verify()
            #expect(intact.problem == nil)
            #expect(intact.entries >= 5)
            #expect(intact.message.contains("校验通过"))

            // Changed: one field of entry 3.
            let original = try await AuditEntryModel.query(on: world.app.db).filter(\.$seq == 3).first()!
            try await sql.raw("UPDATE audit_entries SET summary = \(bind: "已篡改") WHERE seq = 3").run()
            let changed = try await verify()
            #expect(changed.problem == .changed(seq: 3))
            #expect(changed.firstBroken == 3)
            #expect(changed.message.contains("第3条被修改"))
            try await sql.raw("UPDATE audit_entries SET summary = \(bind: original.summary) WHERE seq = 3").run()
            #expect(try await verify().problem == nil)

            // Reordered: entries 3 and 4 swap places.
            try await sql.raw("UPDATE audit_entries SET seq = -1 WHERE seq = 3").run()
            try await sql.raw("UPDATE audit_entries SET seq = 3 WHERE seq = 4").run()
            try await sql.raw("UPDATE audit_entries SET seq = 4 WHERE seq = -1").run()
            let reordered = try await verify()
            #expect(reordered.problem == .reordered(seq: 3))
            #expect(reordered.message.contains("顺序被调换"))
            try await sql.raw("UPDATE audit_entries SET seq = -1 WHERE seq = 3").run()
            try await sql.raw("UPDATE audit_entries SET seq = 3 WHERE seq = 4").run()
            try await sql.raw("UPDATE audit_entries SET seq = 4 WHERE seq = -1").run()
            #expect(try await verify().problem == nil)

            // Removed: entry 3 deleted, leaving a gap...
            try await sql.raw("DELETE FROM audit_entries WHERE seq = 3").run()
            let removed = try await verify()
            #expect(removed.problem == .removed(from: 3, through: 3))
            #expect(removed.message.contains("第3条被删除"))
            // ...and then the later entries renumbered to close it: still found, still named.
            try await sql.raw("UPDATE audit_entries SET seq = -seq WHERE seq > 3").run()
            try await sql.raw("UPDATE audit_entries SET seq = -seq - 1 WHERE seq < 0").run()
            let renumbered = try await verify()
            #expect(renumbered.problem == .removed(from: 3, through: 3))
            #expect(renumbered.entries == intact.entries - 1)
        }
    }

    @Test("no API route edits or deletes audit entries")
    func noAuditWrites() async throws {
        try await TestWorld.with(.sqlite) { world in
            let writes = world.app.routes.all.filter { route in
                route.method != .GET && route.path.contains { $0.description.lowercased().contains("audit") }
            }
            #expect(writes.isEmpty, "\(writes.map(\.description))")
        }
    }
}
