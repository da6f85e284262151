import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// Malformed JSON, wrong types, huge bodies, unknown ids and actions get a clear error and change nothing.
@Suite("Malformed requests")
struct MalformedRequestTests {
    @Test("bad input: malformed JSON, wrong types, huge bodies, unknown ids and actions", arguments: Backend.all)
    func badInput(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let malformed = try await world.call(.POST, "/api/v1/projects", as: "unitA", raw: Data("{\"name\":".utf8))
            #expect(malformed.status == .badRequest)
            #expect(malformed.errorCode == "INVALID_INPUT")
            var wrongType = Walk.draft(yuan: 1)
            wrongType["planYear"] = "明年"
            let typed = try await world.call(.POST, "/api/v1/projects", as: "unitA", json: wrongType)
            #expect(typed.violations.first?["field"] as? String == "planYear")
            var missing = Walk.draft(yuan: 1)
            missing.removeValue(forKey: "goals")
            #expect(
                try await world.call(.POST, "/api/v1/projects", as: "unitA", json: missing).violations.first?["field"] as? String == "goals"
            )
            let negative = try await world.call(.POST, "/api/v1/projects", as: "unitA", json: Walk.draft(yuan: -1))
            #expect(negative.status == .badRequest)
            let huge = try await world.call(.POST, "/api/v1/projects", as: "unitA", raw: Data(repeating: 0x20, count: 3 * 1024 * 1024))
            #expect(huge.status == .payloadTooLarge)
            let unknown = try await world.call(.GET, "/api/v1/projects/\(UUID().uuidString)", as: "drc")
            #expect(unknown.status == .notFound)
            let garbage = try await world.call(.GET, "/api/v1/projects/not-a-uuid", as: "drc")
            #expect(garbage.status == .notFound)
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            #expect(try await world.act(w.projectId, "fly-to-the-moon", as: "unitA").errorCode == "UNKNOWN_ACTION")
            let early = try await world.act(w.projectId, "record-completion", as: "unitA", ["completedOn": "2026-03-01"])
            #expect(early.status == .conflict)
            #expect(early.errorCode == "WRONG_STAGE")
            #expect(try await world.call(.GET, "/api/v1/projects", as: "unitA").array.count == 1)
        }
    }
}
