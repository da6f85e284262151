import Fluent
import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting
import ZhengxinCore

@testable import ZhengxinServer

/// /metrics: what it counts, under which labels, and who may read it.
@Suite("Metrics endpoint")
struct MetricsEndpointTests {
    /// Sends `path` as if from `peer` (nil: no address, as the in-memory tester sends): the
    /// responder sees the connection's address exactly as the server would give it.
    static func send(
        _ app: Application, _ path: String, from peer: String?, headers: HTTPHeaders = [:]
    ) async throws -> (status: HTTPStatus, body: String) {
        let request = Request(
            application: app, method: .GET, url: URI(path: path), headers: headers,
            remoteAddress: try peer.map { try SocketAddress(ipAddress: $0, port: 40_000) }, logger: app.logger,
            on: app.eventLoopGroup.next())
        let response = try await app.responder.respond(to: request).get()
        let body = response.body.buffer.map { String(buffer: $0) } ?? ""
        return (response.status, body)
    }

    static func scrape(_ world: TestWorld) async throws -> String {
        let reply = try await send(world.app, "/metrics", from: "127.0.0.1")
        #expect(reply.status == .ok)
        return reply.body
    }

    /// The value of the sample `name{labels}` in an exposition, or nil when there is none.
    static func sample(_ text: String, _ name: String, _ labels: [String: String] = [:]) -> Double? {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            let series = line[..<space]
            let (seriesName, labelText) =
                series.firstIndex(of: "{").map {
                    (String(series[..<$0]), String(series[series.index(after: $0)..<series.index(before: series.endIndex)]))
                }
                ?? (String(series), "")
            guard seriesName == name else { continue }
            var found: [String: String] = [:]
            for pair in labelText.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { found[String(parts[0])] = String(parts[1].dropFirst().dropLast()) }
            }
            if labels.allSatisfy({ found[$0.key] == $0.value }) { return Double(line[line.index(after: space)...]) }
        }
        return nil
    }

    @Test("requests by route pattern, actions accepted and refused by rule, audit entries, logins and scans", arguments: Backend.all)
    func counts(_ backend: Backend) async throws {
        try await TestWorld.with(backend, at: CivilDate(2026, 7, 1)) { world in
            let logins = try await Self.scrape(world)
            // TestWorld signed every account in.
            #expect(Self.sample(logins, "zhengxin_auth_logins_total", ["result": "accepted"]) == Double(TestWorld.accounts.count))
            #expect(try await world.login("unitA", password: "Wrong-pass-1").status == .unauthorized)
            let auditBefore = Self.sample(try await Self.scrape(world), "zhengxin_audit_entries_appended_total") ?? -1

            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000, planYear: 2027))
            #expect(try await world.call(.GET, "/api/v1/projects/\(w.projectId)", as: "unitA").status == .ok)
            let late = try await world.act(w.projectId, "declare", as: "unitA")
            #expect(late.ruleIds == ["R-DEC-1"])  // after 30 June (第七条)
            try await world.must(w.projectId, "record-declaration-exception", as: "drc", ["reason": "市政府专题会议要求"])
            try await world.must(w.projectId, "declare", as: "unitA")
            _ = try await DeadlineScanner.run(world.app, full: true)

            let text = try await Self.scrape(world)
            let route = ["route": "/api/v1/projects/:projectId", "method": "GET", "status_class": "2xx"]
            #expect(Self.sample(text, "zhengxin_http_request_duration_seconds_count", route) == 1)
            #expect(Self.sample(text, "zhengxin_http_request_duration_seconds_bucket", route.merging(["le": "+Inf"]) { a, _ in a }) == 1)
            #expect(!text.contains(w.projectId), "a raw path with an id became a label")
            #expect(Self.sample(text, "zhengxin_project_actions_total", ["action": "declare", "result": "refused"]) == 1)
            #expect(Self.sample(text, "zhengxin_project_actions_total", ["action": "declare", "result": "accepted"]) == 1)
            #expect(
                Self.sample(text, "zhengxin_project_actions_total", ["action": "record-declaration-exception", "result": "accepted"]) == 1)
            #expect(Self.sample(text, "zhengxin_project_action_refusal_rules_total", ["action": "declare", "rule": "R-DEC-1"]) == 1)
            #expect(Self.sample(text, "zhengxin_auth_logins_total", ["result": "refused"]) == 1)
            #expect(Self.sample(text, "zhengxin_deadline_scan_duration_seconds_count", ["scope": "full"]) == 1)
            // Every entry on the record was counted once it committed, and only then.
            let audited = Self.sample(text, "zhengxin_audit_entries_appended_total") ?? -1
            #expect(audited > auditBefore)
            #expect(audited == Double(try await AuditEntryModel.query(on: world.app.db).count()))
        }
    }

    @Test("the mail outbox's pending and failed rows, read from the table at each scrape", arguments: Backend.all)
    func mailOutbox(_ backend: Backend) async throws {
        try await TestWorld.with(backend, at: CivilDate(2026, 6, 10)) { world in
            let empty = try await Self.scrape(world)
            #expect(Self.sample(empty, "zhengxin_mail_outbox_messages", ["status": "pending"]) == 0)
            _ = try await MailOutboxTests.remindedDraft(world)
            let pending = try await MailWorker.depth(on: world.app.db)
            #expect(pending >= 1)
            let waiting = try await Self.scrape(world)
            #expect(Self.sample(waiting, "zhengxin_mail_outbox_messages", ["status": "pending"]) == Double(pending))
            #expect(Self.sample(waiting, "zhengxin_mail_outbox_messages", ["status": "failed"]) == 0)
            let row = try #require(try await MailOutboxModel.query(on: world.app.db).first())
            row.status = MailOutboxModel.Status.failed.rawValue
            try await row.save(on: world.app.db)
            let given = try await Self.scrape(world)
            #expect(Self.sample(given, "zhengxin_mail_outbox_messages", ["status": "pending"]) == Double(pending - 1))
            #expect(Self.sample(given, "zhengxin_mail_outbox_messages", ["status": "failed"]) == 1)
        }
    }

    @Test("a request to no route is counted as unmatched, never under its path")
    func unmatched() async throws {
        try await TestWorld.with(.sqlite) { world in
            #expect(try await world.call(.GET, "/api/v1/no-such-thing/12345").status == .notFound)
            let text = try await Self.scrape(world)
            #expect(Self.sample(text, "zhengxin_http_request_duration_seconds_count", ["route": "unmatched", "status_class": "4xx"]) == 1)
            #expect(!text.contains("no-such-thing"))
        }
    }

    @Test("from elsewhere, through a proxy or with a wrong token it answers as a path that does not exist")
    func hidden() async throws {
        try await TestWorld.with(.sqlite) { world in
            let token = "metrics-token-0123456789abcdef"
            world.app.zhengxin.config.metricsToken = token
            world.app.zhengxin.config.authentication.trustedProxies = ["127.0.0.2"]
            let unknown = try await Self.send(world.app, "/no-such-page", from: "203.0.113.7")
            #expect(unknown.status == .notFound)
            func bearer(_ value: String) -> HTTPHeaders { ["Authorization": "Bearer \(value)"] }
            let refused: [(String?, HTTPHeaders)] = [
                ("203.0.113.7", [:]), (nil, [:]), ("203.0.113.7", bearer(token + "x")), ("203.0.113.7", bearer("")),
                ("127.0.0.1", ["X-Forwarded-For": "203.0.113.7"]), ("127.0.0.1", ["Forwarded": "for=203.0.113.7"]),
                ("127.0.0.2", [:]),  // the trusted proxy forwards for the world
                ("2001:db8::1", [:]), ("::ffff:10.0.0.1", [:]),
            ]
            for (peer, headers) in refused {
                let reply = try await Self.send(world.app, "/metrics", from: peer, headers: headers)
                #expect(reply.status == .notFound, "\(peer ?? "no peer") \(headers)")
                #expect(reply.body == unknown.body, "the refusal differs from an unknown path's answer")
            }
            let allowed: [(String?, HTTPHeaders)] = [
                ("127.0.0.1", [:]), ("::1", [:]), ("::ffff:127.0.0.1", [:]), ("203.0.113.7", bearer(token)),
                ("127.0.0.2", bearer(token)),
            ]
            for (peer, headers) in allowed {
                let reply = try await Self.send(world.app, "/metrics", from: peer, headers: headers)
                #expect(reply.status == .ok, "\(peer ?? "no peer") \(headers)")
                #expect(reply.body.contains("# TYPE zhengxin_audit_entries_appended_total counter"))
            }
            // A token too short to be safe is not used at all.
            world.app.zhengxin.config.metricsToken = "short"
            #expect(try await Self.send(world.app, "/metrics", from: "203.0.113.7", headers: bearer("short")).status == .notFound)
        }
    }

    @Test("one scrape over a real loopback connection")
    func overLoopback() async throws {
        try await TestWorld.with(.sqlite) { world in
            let reply = try await world.app.testing(method: .running(hostname: "127.0.0.1", port: 0)).sendRequest(.GET, "/metrics")
            #expect(reply.status == .ok)
            #expect(reply.headers.first(name: .contentType)?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(String(buffer: reply.body).contains("zhengxin_auth_logins_total{result=\"accepted\"}"))
        }
    }

    @Test("loopback addresses and the token comparison")
    func accessRules() throws {
        func loopback(_ address: String) throws -> Bool { MetricsAccess.isLoopback(try SocketAddress(ipAddress: address, port: 1)) }
        for address in ["127.0.0.1", "127.255.0.9", "::1", "::ffff:127.0.0.1"] { #expect(try loopback(address), "\(address)") }
        for address in ["10.0.0.1", "128.0.0.1", "0.0.0.0", "::", "::2", "::ffff:10.0.0.1", "2001:db8::1", "fe80::1"] {
            #expect(try !loopback(address), "\(address)")
        }
        #expect(!MetricsAccess.isLoopback(try SocketAddress(unixDomainSocketPath: "/tmp/zx.sock")))
        let token = "0123456789abcdef"
        #expect(MetricsAccess.tokenMatches(token, token))
        #expect(!MetricsAccess.tokenMatches(token + "0", token))
        #expect(!MetricsAccess.tokenMatches("0123456789abcdeF", token))
        #expect(!MetricsAccess.tokenMatches("012345678", "012345678"))  // too short to count
    }
}
