import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// Documents are stored by SHA-256, come back intact, and executables are refused.
@Suite("Documents stored by content")
struct DocumentStoreTests {
    @Test("documents: stored by SHA-256, downloaded intact, executables refused", arguments: Backend.all)
    func documents(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            let bytes = Data("%PDF-1.7 可行性研究报告\n%%EOF\n".utf8)
            let up = try await world.call(
                .POST, "/api/v1/projects/\(w.projectId)/documents?kind=feasibilityStudy&filename=%E5%8F%AF%E7%A0%94.pdf",
                as: "unitA", raw: bytes, contentType: "application/pdf")
            #expect(up.status == .created)
            let doc = (up.project["documents"] as? [[String: Any]])?.first
            #expect(doc?["sha256"] as? String == DocumentStore.sha256Hex(bytes))
            let down = try await world.app.testing().sendRequest(
                .GET, "/api/v1/projects/\(w.projectId)/documents/1",
                headers: ["Authorization": "Bearer \(world.tokens["unitA"]!)"])
            #expect(down.status == .ok)
            #expect(Data(buffer: down.body) == bytes)
            #expect(down.headers.first(name: "X-Content-Type-Options") == "nosniff")
            let elf = try await world.call(
                .POST, "/api/v1/projects/\(w.projectId)/documents?kind=other&filename=x", as: "unitA",
                raw: Data([0x7F, 0x45, 0x4C, 0x46, 1, 2]), contentType: "application/octet-stream")
            #expect(elf.status == .unsupportedMediaType)
            let html = try await world.call(
                .POST, "/api/v1/projects/\(w.projectId)/documents?kind=other&filename=x.html", as: "unitA",
                raw: Data("<html><script>alert(1)</script>".utf8), contentType: "text/html")
            #expect(html.status == .unsupportedMediaType)
            let list = try await world.call(.GET, "/api/v1/projects/\(w.projectId)/documents", as: "unitA")
            #expect(list.array.count == 1)
        }
    }
}
