import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// An audit entry edited in the database breaks the chain where it was edited.
@Suite("The audit chain detects an edited entry")
struct AuditEditedEntryTests {
    @Test("the audit chain detects an edited entry", arguments: Backend.all)
    func tamperEvidence(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            try await world.must(w.projectId, "declare", as: "unitA")
            #expect(try await AuditRecorder.verify(on: world.app.db).firstBroken == nil)
            let entry = try await AuditEntryModel.query(on: world.app.db).sort(\.$seq).first()!
            entry.summary = "篡改"
            try await entry.update(on: world.app.db)
            #expect(try await AuditRecorder.verify(on: world.app.db).firstBroken == entry.seq)
        }
    }
}
