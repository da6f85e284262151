import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting

@testable import ZhengxinServer

/// X-Request-Id on every answer and in the request's logger; JSON log lines.
@Suite("Request ids and JSON logs")
struct RequestIdAndLogTests {
    /// Collects the lines a JSONLogHandler writes.
    final class Lines: Sendable {
        private let box = NIOLockedValueBox<[String]>([])
        var all: [String] { box.withLockedValue { $0 } }
        func logger(_ label: String = "test") -> Logger {
            Logger(label: label) { label in
                JSONLogHandler(label: label, level: .debug) { bytes in
                    self.box.withLockedValue { $0.append(String(decoding: bytes, as: UTF8.self)) }
                }
            }
        }
    }

    /// Answers after logging one line with the request's own logger.
    struct LoggingResponder: AsyncResponder {
        func respond(to request: Request) async throws -> Response {
            request.logger.info("办理中", metadata: ["step": "test"])
            return Response(status: .ok)
        }
    }

    static func isUUID(_ text: String?) -> Bool { text.flatMap(UUID.init(uuidString:)) != nil }

    @Test("a sane id is echoed; none, hostile or repeated ones are replaced by a fresh UUID")
    func echo() async throws {
        try await TestWorld.with(.sqlite) { world in
            func answer(_ values: [String]) async throws -> String? {
                var headers = HTTPHeaders()
                for value in values { headers.add(name: .xRequestId, value: value) }
                return try await world.app.testing().sendRequest(.GET, "/healthz", headers: headers).headers.first(name: .xRequestId)
            }
            let sane = "trace-01HF3Z9K:ab/cd+ef="
            #expect(try await answer([sane]) == sane)
            let longest = String(repeating: "x", count: RequestId.maxBytes)
            #expect(try await answer([longest]) == longest)
            #expect(Self.isUUID(try await answer([])))
            let hostile = [
                String(repeating: "a", count: 10 * 1024), longest + "x", "abc\u{1}def", "line\nbreak", "with space", "tab\there", "",
                "中文编号", "del\u{7F}",
            ]
            for value in hostile {
                let answered = try await answer([value])
                #expect(Self.isUUID(answered), "\(value.prefix(20).debugDescription) → \(answered ?? "nil")")
            }
            #expect(Self.isUUID(try await answer([sane, "other"])))
            // Errors carry it too.
            let missing = try await world.app.testing().sendRequest(.GET, "/api/v1/no-such-thing", headers: ["X-Request-Id": sane])
            #expect(missing.status == .notFound && missing.headers.first(name: .xRequestId) == sane)
        }
    }

    @Test("the request's JSON log line carries the id answered, a fresh one when the incoming was hostile")
    func logLine() async throws {
        try await TestWorld.with(.sqlite) { world in
            for incoming in ["ticket-4711", String(repeating: "\u{1B}[31m", count: 2000)] {
                let lines = Lines()
                let request = Request(
                    application: world.app, method: .GET, url: "/anything", headers: ["X-Request-Id": incoming], logger: lines.logger(),
                    on: world.app.eventLoopGroup.next())
                let response = try await RequestIdMiddleware().respond(to: request, chainingTo: LoggingResponder())
                let id = try #require(response.headers.first(name: .xRequestId))
                #expect(incoming == "ticket-4711" ? id == incoming : Self.isUUID(id))
                #expect(lines.all.count == 1)
                let line = try #require(lines.all.first)
                #expect(line.hasSuffix("}\n") && line.dropLast().allSatisfy { $0 != "\n" })
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                #expect(object["request_id"] as? String == id)
                #expect(object["message"] as? String == "办理中")
                #expect(object["level"] as? String == "info")
                #expect((object["metadata"] as? [String: Any])?["step"] as? String == "test")
                #expect((object["metadata"] as? [String: Any])?["request-id"] == nil)
                #expect((object["timestamp"] as? String)?.hasSuffix("Z") == true)
            }
        }
    }

    @Test("a JSON line stays one line and parses whatever the message and metadata hold")
    func hostileText() throws {
        let lines = Lines()
        var logger = lines.logger("zx.\"label\"")
        logger[metadataKey: "nested"] = .dictionary([
            "list": .array([.string("a\"b"), .stringConvertible(42)]), "ctl": "\u{0}\u{1F}\u{7F}",
        ])
        logger.error("第一行\n第二行\r\t\"引号\" \\ \u{2028}结束", metadata: ["x": "\u{1B}[2J"])
        let line = try #require(lines.all.first)
        #expect(line.filter { $0 == "\n" }.count == 1 && line.hasSuffix("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["message"] as? String == "第一行\n第二行\r\t\"引号\" \\ \u{2028}结束")
        #expect(object["label"] as? String == "zx.\"label\"")
        #expect(object["request_id"] == nil)
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["x"] as? String == "\u{1B}[2J")
        let nested = try #require(metadata["nested"] as? [String: Any])
        #expect(nested["list"] as? [String] == ["a\"b", "42"])
        #expect(nested["ctl"] as? String == "\u{0}\u{1F}\u{7F}")
        #expect(JSONLogHandler.timestamp(Date(timeIntervalSince1970: 1_764_756_000.25)) == "2025-12-03T10:00:00.250Z")
    }
}
