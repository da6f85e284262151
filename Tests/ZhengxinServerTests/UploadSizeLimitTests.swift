import Foundation
import Testing
import Vapor
import VaporTesting
import ZhengxinCore

@testable import ZhengxinServer

/// The stated limit is the limit: a document of exactly `ZHENGXIN_MAX_UPLOAD_BYTES` (20 MiB by
/// default) is accepted, one byte more is 413 with a Chinese message. Over a real socket, where
/// the body arrives streamed (the in-memory test path hands it over collected and never reached
/// Vapor's collect(maxSize:), which refuses a body of exactly maxSize).
@Suite("Upload size limit", .serialized)
struct UploadSizeLimitTests {
    /// UTF-8 text of exactly `count` bytes (Chinese, then ASCII to fill).
    static func text(bytes count: Int) -> Data {
        let line = Data("郑州市政务信息化项目建设管理暂行办法。\n".utf8)
        var data = Data(capacity: count)
        while data.count + line.count <= count { data.append(line) }
        data.append(Data(repeating: 0x2E, count: count - data.count))
        return data
    }

    @Test("20 MiB exactly is accepted over HTTP, 20 MiB + 1 byte is 413 PAYLOAD_TOO_LARGE in Chinese", arguments: Backend.all)
    func boundary(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let limit = world.app.zhengxin.config.maxUploadBytes
            #expect(limit == 20 * 1024 * 1024)
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            let live = try world.app.testing(method: .running(hostname: "127.0.0.1", port: 0))
            func upload(_ data: Data, name: String) async throws -> TestingHTTPResponse {
                var headers = HTTPHeaders()
                headers.bearerAuthorization = BearerAuthorization(token: world.tokens["unitA"]!)
                headers.replaceOrAdd(name: .contentType, value: "text/plain")
                return try await live.sendRequest(
                    .POST, "/api/v1/projects/\(w.projectId)/documents?kind=other&filename=\(name)",
                    headers: headers, body: ByteBuffer(data: data))
            }
            let exact = Self.text(bytes: limit)
            #expect(exact.count == 20_971_520)
            let accepted = try await upload(exact, name: "exact.txt")
            #expect(accepted.status == .created, "\(accepted.status): \(String(buffer: accepted.body).prefix(300))")

            var over = Self.text(bytes: limit)
            over.append(0x2E)
            let refused = try await upload(over, name: "over.txt")
            #expect(refused.status == .payloadTooLarge)
            let error = (try? JSONSerialization.jsonObject(with: Data(buffer: refused.body))) as? [String: Any]
            let detail = error?["error"] as? [String: Any]
            #expect(detail?["code"] as? String == "PAYLOAD_TOO_LARGE")
            let message = detail?["message"] as? String ?? ""
            #expect(message.contains("文件过大") && message.contains("20971520"), "\(message)")

            // The same boundary on the in-memory path (a body handed over collected).
            #expect(
                try await HostileInputTests.upload(world, w.projectId, filename: "exact2.txt", bytes: exact + Data()).status == .created)
            HostileInputTests.expectRefused(
                try await HostileInputTests.upload(world, w.projectId, filename: "over2.txt", bytes: over),
                "over by one, in memory", status: .payloadTooLarge)
            let list = try await world.call(.GET, "/api/v1/projects/\(w.projectId)/documents", as: "unitA")
            #expect(list.array.count == 2, "the two exact uploads, neither of the others: \(list.array.count)")
        }
    }

    @Test("a page form is read up to the API's 1 MB, a page's document upload up to the upload limit", arguments: [Backend.sqlite])
    func pageForms(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            let live = try world.app.testing(method: .running(hostname: "127.0.0.1", port: 0))
            let token = world.tokens["unitA"]!
            let csrf = WebCSRF.token(for: token)
            var headers = HTTPHeaders()
            headers.add(name: .cookie, value: "\(WebSession.cookieName)=\(token)")
            headers.contentType = .urlEncodedForm
            // Once the CSRF check has read a body, nothing measures it again: it reads what the route takes.
            let form = "_csrf=\(csrf)&content=" + String(repeating: "A", count: 2 * 1024 * 1024)
            let refused = try await live.sendRequest(
                .POST, "/projects/\(w.projectId)/actions/update", headers: headers, body: ByteBuffer(string: form))
            #expect(refused.status == .payloadTooLarge)

            let boundary = "zx\(UUID().uuidString)"
            var body = Data()
            for (k, v) in [("_csrf", csrf), ("kind", "other")] {
                body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8))
            }
            body.append(
                Data(
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\nContent-Type: text/plain\r\n\r\n"
                        .utf8))
            body.append(Self.text(bytes: 2 * 1024 * 1024))
            body.append(Data("\r\n--\(boundary)--\r\n".utf8))
            headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            let uploaded = try await live.sendRequest(
                .POST, "/projects/\(w.projectId)/documents", headers: headers, body: ByteBuffer(data: body))
            // The client follows the page's 303 to the project page.
            #expect(uploaded.status == .ok, "\(uploaded.status)")
            #expect(try await world.call(.GET, "/api/v1/projects/\(w.projectId)/documents", as: "unitA").array.count == 1)
        }
    }
}
