import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// The newest audit entries deleted behind the server's back leave an intact chain; the anchor
/// (AuditAnchor, HMAC-SM3 under the master key) still names the entry the record must reach.
@Suite("Audit anchor")
struct AuditAnchorTests {
    @Test("deleting the newest entries is caught; an anchor rewritten without the key is caught", arguments: Backend.all)
    func truncation(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            try await world.must(w.projectId, "declare", as: "unitA")
            let sql = world.app.db as! any SQLDatabase
            let intact = try await AuditRecorder.verify(on: world.app.db)
            #expect(intact.problem == nil)
            let last = Int64(intact.entries)

            try await sql.raw("DELETE FROM audit_entries WHERE seq > \(bind: last - 2)").run()
            let cut = try await AuditRecorder.verify(on: world.app.db)
            #expect(cut.problem == .truncated(lastPresent: last - 2, anchored: last))
            #expect(cut.firstBroken == last - 1)
            #expect(cut.message.contains("被截断"))

            // Moving the anchor back to match, without the master key, breaks its MAC.
            let newest = try await AuditEntryModel.query(on: world.app.db).sort(\.$seq, .descending).first()!
            try await sql.raw("UPDATE audit_head SET last_seq = \(bind: newest.seq), last_hash = \(bind: newest.hash)").run()
            let forged = try await AuditRecorder.verify(on: world.app.db)
            #expect(forged.problem == .anchorForged)
            #expect(forged.message.contains("锚点校验失败"))

            // The anchor deleted outright.
            try await sql.raw("DELETE FROM audit_head").run()
            #expect(try await AuditRecorder.verify(on: world.app.db).problem == .anchorMissing)
        }
    }

    @Test("the server moves the anchor with every entry, refusals and logins included", arguments: Backend.all)
    func advancesWithEveryEntry(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            _ = try await world.act(w.projectId, "record-completion", as: "unitA", ["completedOn": "2026-03-01"])  // refused, audited
            _ = try await world.login("unitA", password: "wrong-password")
            let report = try await AuditRecorder.verify(on: world.app.db)
            #expect(report.problem == nil)
            let head = try await AuditHeadModel.find(AuditHeadModel.rowId, on: world.app.db)
            #expect(head?.lastSeq == Int64(report.entries))
        }
    }

    @Test("an unknown username costs one bcrypt verification, like a wrong password, and gets the same answer")
    func loginTiming() async throws {
        try await TestWorld.with(.sqlite) { world in
            let count = { world.app.loginTimingState.verifications.withLockedValue { $0 } }
            let start = count()
            let unknown = try await world.login("nobody-here", password: "Passw0rd-nobody")
            #expect(count() == start + 1)
            let wrong = try await world.login("unitB", password: "Passw0rd-wrong")
            #expect(count() == start + 2)
            #expect(unknown.status == .unauthorized && wrong.status == .unauthorized)
            #expect(unknown.errorCode == "LOGIN_FAILED" && wrong.errorCode == "LOGIN_FAILED")
            #expect(unknown["error"] as? NSDictionary == wrong["error"] as? NSDictionary)
            let dummy = try world.app.loginTimingState.dummyHash(cost: world.app.zhengxin.config.bcryptCost)
            #expect(dummy.hasPrefix("$2b$04$"))  // the configured work factor (tests: 4)
        }
    }
}
