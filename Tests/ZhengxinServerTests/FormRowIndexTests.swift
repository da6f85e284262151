import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// A list in a form is posted as `name.<index>.field`: the index comes from outside. A huge or
/// far index is refused with the field named, and the refused form is drawn again with no more
/// rows than a form may hold (a posted Int.max once overflowed and ended the process).
@Suite("Form row indices")
struct FormRowIndexTests {
    @Test("an index at Int.max, or past the rows a form holds, is a 400 and a page of ordinary size", arguments: Backend.all)
    func hostileIndices(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var draft = Walk(world)
            try await draft.create(Walk.draft(name: "行索引测试平台", yuan: 1_000_000))
            let path = "/projects/\(draft.projectId)/actions/update"
            for index in ["9223372036854775807", "200", "5000"] {
                let reply = try await ProjectPagesTests.post(
                    world, path, as: "unitA",
                    [
                        ("name", "行索引测试平台"), ("performanceIndicators.\(index).name", "x"),
                        ("performanceIndicators.\(index).target", "abc"),
                    ])
                #expect(reply.status == .badRequest, "index \(index): \(reply.status)")
                #expect(reply.html.contains("至多\(FormBody.maxRows)项"), "index \(index) named")
                #expect(reply.html.utf8.count < 2_000_000, "index \(index): \(reply.html.utf8.count) bytes")
            }
            // The server still answers, and the draft is as it was.
            let page = try await world.page("/projects/\(draft.projectId)", session: world.tokens["unitA"])
            #expect(page.status == .ok && page.html.contains("行索引测试平台"))
        }
    }
}
