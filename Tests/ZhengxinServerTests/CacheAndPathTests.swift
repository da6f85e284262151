import Foundation
import Testing
import Vapor
import VaporTesting

@testable import ZhengxinServer

/// What every answer says to caches, and a path too long to be a file: over a real socket.
@Suite("Cache headers and unnameable paths")
struct CacheAndPathTests {
    @Test("answers and downloads are kept by no cache, stylesheets may be; a 256-byte path component is 404", arguments: [Backend.sqlite])
    func cachesAndLongPaths(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            let upload = try await HostileInputTests.upload(
                world, w.projectId, filename: "note.txt", bytes: Data("会议纪要".utf8), type: "text/plain")
            #expect(upload.status == .created)
            for path in ["/api/v1/projects/\(w.projectId)", "/api/v1/me", "/api/v1/projects/\(w.projectId)/documents/1"] {
                let reply = try await world.call(.GET, path, as: "unitA")
                #expect(reply.status == .ok, "\(path)")
                #expect(reply.headers.first(name: .cacheControl) == "no-store", "\(path)")
            }
            let css = try await world.app.testing().sendRequest(.GET, "/css/zhengxin.css")
            #expect(css.status == .ok && css.headers.first(name: .cacheControl) == nil)

            let live = try world.app.testing(method: .running(hostname: "127.0.0.1", port: 0))
            for path in ["/" + String(repeating: "b", count: 256), "/css/" + String(repeating: "b", count: 300)] {
                let reply = try await live.sendRequest(.GET, path)
                #expect(reply.status == .notFound, "\(path.prefix(12)): \(reply.status)")
            }
        }
    }
}
