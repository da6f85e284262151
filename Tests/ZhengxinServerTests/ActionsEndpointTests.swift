import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// The actions endpoint lists blocked actions with every unmet condition.
@Suite("The actions endpoint")
struct ActionsEndpointTests {
    @Test("actions endpoint lists blocked actions with every unmet condition", arguments: Backend.all)
    func actionsView(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            try await w.toReserve()
            try await w.toPlanned(amountFen: 100_000_000)
            let actions = try await world.call(.GET, "/api/v1/projects/\(w.projectId)/actions", as: "unitA")
            let apply = (actions["actions"] as? [[String: Any]])?.first { $0["action"] as? String == "apply-for-approval" }
            #expect(apply?["open"] as? Bool == false)
            #expect((apply?["unmetConditions"] as? [[String: Any]])?.first?["rule"] as? String == "R-APP-1")
            // R-SHR-4: sharing figures stand beside the decisions.
            #expect((actions["sharing"] as? [String: Any])?["entries"] as? Int == 0)
        }
    }
}
