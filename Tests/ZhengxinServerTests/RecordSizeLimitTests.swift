import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// Every write reads, decodes, encodes and digests a project's whole record, and its page shows it:
/// an action may not grow a record past ProjectRecordStorage's bound, and a unit's own actions stop
/// short of it, so that a unit filling its record cannot keep the agencies from acting on it.
@Suite("Record size limit")
struct RecordSizeLimitTests {
    static let unit = Actor(userId: UUID(), displayName: "u", organisationId: UUID(), organisationType: .unit, roles: [.staff])
    static let drc = Actor(userId: UUID(), displayName: "d", organisationId: UUID(), organisationType: .drc, roles: [.staff])

    @Test("a record may grow to the bound, not past it; a unit stops short of it; an action that does not grow it stands")
    func bound() throws {
        let (limit, byUnit) = (ProjectRecordStorage.largestRecordBytes, ProjectRecordStorage.largestRecordBytesByUnit)
        let text = { (bytes: Int) in String(repeating: "a", count: bytes) }
        #expect(ProjectRecordStorage.outgrown(text(limit), from: text(10), by: Self.drc) == nil)
        let refused = try #require(ProjectRecordStorage.outgrown(text(limit + 1), from: text(limit), by: Self.drc))
        #expect(refused.field == "record" && refused.message.contains("2.0 MB"))
        #expect(ProjectRecordStorage.outgrown(text(byUnit), from: nil, by: Self.unit) == nil)
        #expect(ProjectRecordStorage.outgrown(text(byUnit + 1), from: nil, by: Self.unit)?.message.contains("1.5 MB") == true)
        // Counted in UTF-8 bytes: 郑 is three.
        #expect(ProjectRecordStorage.outgrown(String(repeating: "郑", count: limit / 3 + 1), from: nil, by: Self.drc) != nil)
        // Past the bound already (stored before it held), an action that leaves it no larger is not refused.
        #expect(ProjectRecordStorage.outgrown(text(limit + 5), from: text(limit + 5), by: Self.drc) == nil)
        #expect(ProjectRecordStorage.outgrown(text(limit + 6), from: text(limit + 5), by: Self.drc) != nil)
    }

    @Test("a unit's incident reports stop at the unit's bound, nothing stored; DRC still suspends the project", arguments: Backend.all)
    func unitFillsItsRecord(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            let description = String(repeating: "事", count: 4_990)
            var accepted = 0
            var refusal: JSONReply?
            while refusal == nil && accepted < 200 {
                let reply = try await world.act(
                    w.projectId, "report-incident", as: "unitA",
                    ["kind": "seriousDelay", "description": description + String(accepted), "occurredOn": w.today])
                if reply.status == .ok { accepted += 1 } else { refusal = reply }
            }
            let refused = try #require(refusal)
            #expect(refused.status == .badRequest && refused.violations.first?["field"] as? String == "record", "\(refused.object)")
            // About 1.5 MB of 15 KB reports: the bound, not an earlier refusal.
            #expect((95...110).contains(accepted), "\(accepted) accepted")
            let project = try await world.call(.GET, "/api/v1/projects/\(w.projectId)", as: "unitA")
            #expect((project.project["incidents"] as? [Any])?.count == accepted)
            try await world.must(w.projectId, "suspend-construction", as: "drc", ["incidentNumber": 1, "reason": "严重逾期,暂停建设"])
        }
    }
}
