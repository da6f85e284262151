import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// A document's bytes are reachable only through a document the caller may see, and content is
/// bound to a project only from the bytes themselves (the upload routes, DocumentBinding): never
/// from a SHA-256 named in a request, which an agency reads in audit diffs and anyone with a
/// download reads in the `Digest` header.
@Suite("Document content binding")
struct DocumentContentBindingTests {
    static func documents(_ reply: JSONReply) -> [[String: Any]] { reply.project["documents"] as? [[String: Any]] ?? [] }

    @Test(
        "attach-document through the generic action route is refused: another unit's (even 涉密) bytes stay out of reach",
        arguments: Backend.all)
    func genericRouteRefused(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            // unitB's two documents: one plain, one on a 涉密 project (stored sealed).
            var other = Walk(world, unit: "unitB")
            try await other.create(Walk.draft(name: "教育专网", yuan: 1_000_000))
            let plainBytes = Data("市教育局内部文件: 招生计划草案(未公开)".utf8)
            let plain = try await world.call(
                .POST, "/api/v1/projects/\(other.projectId)/documents?kind=other&filename=plan.txt", as: "unitB",
                raw: plainBytes, contentType: "text/plain")
            #expect(plain.status == .created)
            var secret = Walk(world, unit: "unitB")
            try await secret.create(Walk.draft(name: "涉密专网", yuan: 1_000_000, extra: ["classified": true]))
            let secretBytes = Data("涉密: 网络拓扑与口令(绝密)".utf8)
            let sealed = try await world.call(
                .POST, "/api/v1/projects/\(secret.projectId)/documents?kind=other&filename=topology.txt", as: "unitB",
                raw: secretBytes, contentType: "text/plain")
            #expect(sealed.status == .created)
            let plainDigest = DocumentStore.sha256Hex(plainBytes), secretDigest = DocumentStore.sha256Hex(secretBytes)

            var mine = Walk(world)
            try await mine.create(Walk.draft(yuan: 1_000_000))
            let stolen: [(String, String)] = [
                ("another unit's document", plainDigest), ("a 涉密 project's document", secretDigest),
                ("a file that does not exist", String(repeating: "ab", count: 32)),
            ]
            for (label, digest) in stolen {
                for user in ["unitA", "drc"] {  // both may upload; neither may bind by hash
                    let reply = try await world.act(
                        mine.projectId, "attach-document", as: user,
                        ["kind": "other", "filename": "x.txt", "contentType": "text/plain", "sizeBytes": 10, "sha256": digest])
                    HostileInputTests.expectRefused(reply, "\(label) as \(user)", status: .badRequest)
                    #expect(reply.errorCode == "UPLOAD_REQUIRED", "\(label) as \(user): \(reply.errorCode ?? "-")")
                }
            }
            // Nothing was bound, so nothing can be downloaded.
            let after = try await world.call(.GET, "/api/v1/projects/\(mine.projectId)", as: "unitA")
            #expect(Self.documents(after).isEmpty)
            let download = try await world.app.testing().sendRequest(
                .GET, "/api/v1/projects/\(mine.projectId)/documents/1",
                headers: ["Authorization": "Bearer \(world.tokens["unitA"]!)"])
            #expect(download.status == .notFound)
            #expect(!String(buffer: download.body).contains("绝密") && !String(buffer: download.body).contains("招生"))
            // Another unit's project stays 404 on this route, as on every other.
            let foreign = try await world.act(other.projectId, "attach-document", as: "unitA", ["sha256": plainDigest])
            #expect(foreign.status == .notFound)
            // The upload route still works for the owner, and binds the bytes sent.
            let own = try await world.call(
                .POST, "/api/v1/projects/\(mine.projectId)/documents?kind=other&filename=own.pdf", as: "unitA",
                raw: SampleDocuments.pdf(), contentType: "application/pdf")
            #expect(own.status == .created)
            #expect(Self.documents(own).first?["sha256"] as? String == DocumentStore.sha256Hex(SampleDocuments.pdf()))
        }
    }

    @Test("the action list, OpenAPI and the page forms offer attach-document only as an upload")
    func notOfferedAsJSONAction() async throws {
        try await TestWorld.with(.sqlite) { world in
            let doc = try await world.call(.GET, "/api/v1/openapi.json")
            let paths = doc["paths"] as? [String: Any] ?? [:]
            #expect(paths["/api/v1/projects/{projectId}/actions/attach-document"] == nil)
            #expect(paths["/api/v1/projects/{projectId}/documents"] != nil)
            #expect(PayloadSchemas.actions["attach-document"] == nil)
            #expect(PayloadNotation.fields(ofAction: "attach-document") == nil)
            #expect(DocumentBinding.uploadOnly == [AttachDocument.spec.name])
        }
    }

    @Test("bytes that vanished from the store: the download answers 410 DOCUMENT_CONTENT_MISSING, not 500", arguments: Backend.all)
    func vanishedBlob(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            for classified in [false, true] {
                var w = Walk(world)
                try await w.create(Walk.draft(name: classified ? "涉密平台" : "普通平台", yuan: 1_000_000, extra: ["classified": classified]))
                let up = try await world.call(
                    .POST, "/api/v1/projects/\(w.projectId)/documents?kind=other&filename=a.txt", as: "unitA",
                    raw: Data("将被删除的文档 \(classified)".utf8), contentType: "text/plain")
                #expect(up.status == .created)
                // Behind the server's back: every stored file removed.
                let root = world.app.zhengxin.config.dataDirectory + "/documents"
                try FileManager.default.removeItem(atPath: root)
                let reply = try await world.call(.GET, "/api/v1/projects/\(w.projectId)/documents/1", as: "unitA")
                HostileInputTests.expectRefused(reply, "vanished (classified \(classified))", status: .gone)
                #expect(reply.errorCode == "DOCUMENT_CONTENT_MISSING")
                #expect((reply["error"] as? [String: Any])?["message"] as? String ?? "" != "")
            }
        }
    }

    @Test("every binding path checks the type and stores the bytes first: DocumentBinding, as the demo and bench seeding use it")
    func bindingChecksTypeAndStores() async throws {
        try await TestWorld.with(.sqlite) { world in
            let store = world.app.zhengxin.documents
            let facts = DocumentBinding.Facts(kind: .other, filename: "a.txt")
            // A hostile text is refused before anything is stored.
            #expect(throws: APIError.self) {
                try DocumentBinding.store(Data("<svg onload=alert(1)>".utf8), facts, sealed: false, in: store)
            }
            let refusedDigest = DocumentStore.sha256Hex(Data("<svg onload=alert(1)>".utf8))
            #expect(!store.contains(refusedDigest))
            // An accepted one carries the digest, type and size read from the bytes, and is in the store.
            let payload = try DocumentBinding.store(SampleDocuments.pdf(), facts, sealed: false, in: store)
            #expect(payload.sha256 == DocumentStore.sha256Hex(SampleDocuments.pdf()))
            #expect(payload.contentType == "application/pdf")
            #expect(payload.sizeBytes == Int64(SampleDocuments.pdf().count))
            #expect(try store.get(payload.sha256) == SampleDocuments.pdf())
            // 涉密: stored sealed, never in the clear under its SHA-256.
            let secret = Data("涉密演示文档".utf8)
            let sealed = try DocumentBinding.store(secret, facts, sealed: true, in: store)
            #expect(!FileManager.default.fileExists(atPath: store.path(for: sealed.sha256)))
            #expect(try store.get(sealed.sha256) == secret)
            // A digest of nothing is not in the store, and reading it is the store's own error.
            #expect(throws: DocumentStore.Missing.self) { try store.get(String(repeating: "cd", count: 32)) }
        }
    }

    @Test(
        "bytes changed on disk: the download answers 410 DOCUMENT_CONTENT_ALTERED, never the changed bytes; uploading again repairs",
        arguments: Backend.all)
    func alteredBlob(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let store = world.app.zhengxin.documents
            for classified in [false, true] {
                var w = Walk(world)
                try await w.create(Walk.draft(name: classified ? "涉密平台" : "普通平台", yuan: 1_000_000, extra: ["classified": classified]))
                let original = Data("原始文档: 第一期建设内容 \(classified)".utf8)
                let digest = DocumentStore.sha256Hex(original)
                let up = try await world.call(
                    .POST, "/api/v1/projects/\(w.projectId)/documents?kind=other&filename=a.txt", as: "unitA",
                    raw: original, contentType: "text/plain")
                #expect(up.status == .created)
                // Behind the server's back: other bytes under the same name (for a 涉密 project
                // sealed properly, so only the digest can tell).
                let forged = Data("篡改后的文档: 收款账户 6222".utf8)
                // Each test world installs its own master key in this one process, so the file is
                // named under whichever installed key was current when it was stored.
                let candidates =
                    classified ? AtRest.allInstalled().map { store.sealedPath(for: digest, keys: $0) } : [store.path(for: digest)]
                let path = try #require(candidates.first { FileManager.default.fileExists(atPath: $0) })
                try (classified ? AtRest.sealBytes(forged) : forged).write(to: URL(fileURLWithPath: path))
                #expect(throws: DocumentStore.Altered.self) { try store.get(digest) }
                let reply = try await world.call(.GET, "/api/v1/projects/\(w.projectId)/documents/1", as: "unitA")
                HostileInputTests.expectRefused(reply, "altered (classified \(classified))", status: .gone)
                #expect(reply.errorCode == "DOCUMENT_CONTENT_ALTERED")
                #expect(!String(buffer: reply.raw).contains("篡改") && !String(buffer: reply.raw).contains("6222"))
                if classified {
                    // A sealed file whose seal no longer verifies is the same refusal, not a 500.
                    var damaged = try Data(contentsOf: URL(fileURLWithPath: path))
                    damaged[damaged.count - 1] ^= 0x01
                    try damaged.write(to: URL(fileURLWithPath: path))
                    let again = try await world.call(.GET, "/api/v1/projects/\(w.projectId)/documents/1", as: "unitA")
                    HostileInputTests.expectRefused(again, "damaged seal", status: .gone)
                    #expect(again.errorCode == "DOCUMENT_CONTENT_ALTERED")
                }
                // Uploading the same bytes again replaces the changed file: the first document reads again.
                let repair = try await world.call(
                    .POST, "/api/v1/projects/\(w.projectId)/documents?kind=other&filename=a.txt", as: "unitA",
                    raw: original, contentType: "text/plain")
                #expect(repair.status == .created)
                let download = try await world.app.testing().sendRequest(
                    .GET, "/api/v1/projects/\(w.projectId)/documents/1",
                    headers: ["Authorization": "Bearer \(world.tokens["unitA"]!)"])
                #expect(download.status == .ok)
                #expect(Data(buffer: download.body) == original)
            }
        }
    }

    @Test("an upload refused by a rule or by the stage leaves no file in the store", arguments: Backend.all)
    func refusedUploadStoresNothing(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let store = world.app.zhengxin.documents
            let root = world.app.zhengxin.config.dataDirectory + "/documents"
            func files() -> Int { FileManager.default.enumerator(atPath: root)?.allObjects.count ?? 0 }
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            let before = files()
            // A rule of the action: a consulting evaluation must name what it evaluates.
            let evaluation = SampleDocuments.pdf("evaluation without subject")
            let byRule = try await world.call(
                .POST, "/api/v1/projects/\(w.projectId)/documents?kind=\(DocumentKind.consultingEvaluation.rawValue)&filename=e.pdf",
                as: "unitA", raw: evaluation, contentType: "application/pdf")
            HostileInputTests.expectRefused(byRule, "consulting evaluation without evaluates", status: .badRequest)
            #expect(!store.contains(DocumentStore.sha256Hex(evaluation)))
            // The stage: a withdrawn project takes no documents.
            _ = try await world.must(w.projectId, "withdraw", as: "unitA", ["reason": "不再建设"])
            let late = SampleDocuments.pdf("after withdrawal")
            let byStage = try await world.call(
                .POST, "/api/v1/projects/\(w.projectId)/documents?kind=other&filename=late.pdf",
                as: "unitA", raw: late, contentType: "application/pdf")
            HostileInputTests.expectRefused(byStage, "withdrawn project", status: .conflict)
            #expect(!store.contains(DocumentStore.sha256Hex(late)))
            #expect(files() == before, "no file left behind by refused uploads")
        }
    }
}
