import Fluent
import Foundation
import NIOCore
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// A reply with its headers, from a request sent as if from a given client address.
struct AddressedReply: @unchecked Sendable {
    var status: HTTPStatus
    var headers: HTTPHeaders
    var text: String
    var object: [String: Any]

    var error: NSDictionary? { object["error"] as? NSDictionary }
    var errorCode: String? { error?["code"] as? String }
    var retryAfter: String? { headers.first(name: .retryAfter) }
    var violationFields: [String] { (error?["violations"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String } }
}

extension TestWorld {
    /// Sends a request with `address` as the peer (the in-memory tester has none: "unknown").
    func send(
        from address: String?, _ method: HTTPMethod, _ path: String, json: Any? = nil, form: [(String, String)]? = nil,
        headers extra: [(String, String)] = []
    ) async throws -> AddressedReply {
        var headers = HTTPHeaders(extra)
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
            headers.contentType = .json
        } else if let form {
            body = ByteBuffer(string: Self.urlEncoded(form))
            headers.contentType = .urlEncodedForm
        }
        headers.replaceOrAdd(name: .contentLength, value: String(body?.readableBytes ?? 0))
        let request = Request(
            application: app, method: method, url: URI(string: path), headers: headers, collectedBody: body,
            remoteAddress: try address.map { try SocketAddress(ipAddress: $0, port: 40_000) }, logger: app.logger,
            on: app.eventLoopGroup.next())
        let response = try await app.responder.respond(to: request).get()
        let buffer = try await response.body.collect(on: request.eventLoop).get() ?? ByteBuffer()
        let data = Data(buffer: buffer)
        return AddressedReply(
            status: response.status, headers: response.headers, text: String(decoding: data, as: UTF8.self),
            object: (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
    }

    func login(from address: String, _ username: String, password: String, totp: String? = nil) async throws -> AddressedReply {
        var body: [String: Any] = ["username": username, "password": password]
        if let totp { body["totp"] = totp }
        return try await send(from: address, .POST, "/api/v1/auth/login", json: body)
    }

    /// Moves the test clock by `seconds`.
    func advance(_ seconds: Int64) {
        let next = clock.now.secondsSinceEpoch + seconds
        let date = Instant(secondsSinceEpoch: next).beijingDate
        let inDay = next + Instant.beijingOffsetSeconds - Int64(date.daysSinceEpoch) * 86_400
        clock.set(date, hour: Int(inDay / 3600), minute: Int(inDay % 3600 / 60), second: Int(inDay % 60))
    }
}

/// Logins: every field has a limit checked before anything is looked up, stored or logged; failures
/// are counted per client address (progressive delay, 429) and per (username, address) (lock, 423),
/// in the database; known and unknown usernames get the same answers; nobody can lock someone
/// else out from their own address; the security administrator's unlock lifts every lock.
@Suite("Login limits and lockout per address")
struct LoginLimitsAndLockoutTests {
    static let standard = AuthenticationSettings()

    /// Audit entries, throttle rows, bcrypt verifications: what a login may cost.
    static func costs(_ world: TestWorld) async throws -> [Int] {
        [
            try await AuditEntryModel.query(on: world.app.db).count(), try await LoginThrottleModel.query(on: world.app.db).count(),
            world.app.loginTimingState.verifications.withLockedValue { $0 },
        ]
    }

    @Test("an IPv6 client is counted per /64, an IPv4 one per address (mapped or not)")
    func addressScope() {
        #expect(LoginThrottle.scope("2001:db8:1:2:3:4:5:6") == LoginThrottle.scope("2001:db8:1:2::9"))
        #expect(LoginThrottle.scope("2001:db8:1:2::9") != LoginThrottle.scope("2001:db8:1:3::9"))
        #expect(LoginThrottle.scope("::ffff:10.0.0.1") == "10.0.0.1" && LoginThrottle.scope("10.0.0.1") == "10.0.0.1")
        #expect(LoginThrottle.addressKey("2001:db8:1:2:3:4:5:6") == "*@2001:db8:1:2::/64")
    }

    @Test(
        "oversized username, password or TOTP, or a username with control characters: 400 before any lookup, bcrypt, audit or row",
        arguments: Backend.all)
    func oversizedFields(_ backend: Backend) async throws {
        try await TestWorld.with(backend, authentication: Self.standard) { world in
            let huge = String(repeating: "x", count: 1_000_000)
            let before = try await Self.costs(world)
            let cases: [([String: Any], String)] = [
                (["username": huge, "password": "Wrong-pass1"], "username"),
                (["username": String(repeating: "名", count: 65), "password": "Wrong-pass1"], "username"),
                (["username": "unitA", "password": String(repeating: "p", count: 257)], "password"),
                (["username": "drc", "password": TestWorld.password("drc"), "totp": "1234567"], "totp"),
                (["username": "drc", "password": TestWorld.password("drc"), "totp": "12345a"], "totp"),
                (["username": "drc", "password": TestWorld.password("drc"), "totp": String(repeating: "1", count: 100_000)], "totp"),
            ]
            for (body, field) in cases {
                let reply = try await world.send(from: "10.1.0.1", .POST, "/api/v1/auth/login", json: body)
                #expect(
                    reply.status == .badRequest && reply.errorCode == "INVALID_INPUT" && reply.violationFields == [field],
                    "\(field): \(reply.status)")
                #expect(reply.text.count < 1_000, "the answer does not echo the field")
            }
            let page = try await world.send(from: "10.1.0.1", .POST, "/login", form: [("username", huge), ("password", "Wrong-pass1")])
            #expect(page.status == .badRequest && page.text.contains("用户名不超过64个字符"))
            #expect(!page.text.contains(String(repeating: "x", count: 65)) && page.text.count < 20_000)
            // The page's form is no JSON body: its username is screened here as a body's strings are.
            // NUL reached PostgreSQL's lookup (500); ESC and U+202E the failed login's audit summary.
            for hostile in ["nobody\u{0}x", "ghost\u{1B}[31m\u{202E}nimda", "a\u{85}b", "a\nforged", "a\tb"] {
                let form = try await world.send(
                    from: "10.1.0.1", .POST, "/login", form: [("username", hostile), ("password", "Wrong-pass1")])
                #expect(form.status == .badRequest && form.text.contains("用户名含有不允许的控制字符"), "\(hostile.debugDescription)")
                let api = try await world.send(
                    from: "10.1.0.1", .POST, "/api/v1/auth/login", json: ["username": hostile, "password": "Wrong-pass1"])
                #expect(api.status == .badRequest && api.errorCode == "INVALID_INPUT")
            }
            #expect(try await Self.costs(world) == before, "nothing looked up, hashed, audited or stored")
            // At the limits the login goes on as usual.
            let longest = try await world.login(
                from: "10.1.0.1", String(repeating: "名", count: 64), password: String(repeating: "p", count: 256))
            #expect(longest.status == .unauthorized && longest.errorCode == "LOGIN_FAILED")
            let entry = try await AuditEntryModel.query(on: world.app.db).sort(\.$seq, .descending).first()
            #expect(entry?.summary.contains(String(repeating: "名", count: 64)) == true && entry?.clientAddress == "10.1.0.1")
        }
    }

    @Test(
        "one address: 10 failures free, then waits of 1, 2, 4 … 60 s (429 with Retry-After), nothing written while waiting; others unaffected",
        arguments: Backend.all)
    func addressSlowedDown(_ backend: Backend) async throws {
        try await TestWorld.with(backend, authentication: Self.standard) { world in
            let attacker = "10.2.0.66"
            for n in 1...10 {
                #expect(try await world.login(from: attacker, "guess\(n)", password: "Wrong-pass1").errorCode == "LOGIN_FAILED")
            }
            var waits: [String] = []
            for n in 11...19 {
                #expect(try await world.login(from: attacker, "guess\(n)", password: "Wrong-pass1").errorCode == "LOGIN_FAILED")
                let before = try await Self.costs(world)
                let refused = try await world.login(from: attacker, "guess\(n)", password: "Wrong-pass1")
                #expect(refused.status == .tooManyRequests && refused.errorCode == "TOO_MANY_ATTEMPTS")
                let right = try await world.login(from: attacker, "unitA", password: TestWorld.password("unitA"))
                #expect(right.status == .tooManyRequests, "the right password waits too: the wait says nothing")
                #expect(try await Self.costs(world) == before, "a refused attempt is not hashed, audited or stored")
                waits.append(refused.retryAfter ?? "none")
                world.advance(Int64(refused.retryAfter ?? "") ?? 0)
            }
            #expect(waits == ["1", "2", "4", "8", "16", "32", "60", "60", "60"])
            // Another address is not slowed down by the attacker's failures.
            #expect(try await world.login(from: "10.2.0.1", "unitA", password: TestWorld.password("unitA")).status == .ok)
            // Failures are forgotten after the lockout period; the rows of the past are deleted.
            #expect(try await LoginThrottleModel.query(on: world.app.db).count() == 20)  // the address and 19 pairs
            world.advance(Self.standard.lockoutSeconds + 61)
            #expect(try await world.login(from: attacker, "guess1", password: "Wrong-pass1").errorCode == "LOGIN_FAILED")
            #expect(try await world.login(from: attacker, "guess2", password: "Wrong-pass1").errorCode == "LOGIN_FAILED")
            #expect(try await LoginThrottleModel.query(on: world.app.db).count() == 3)
        }
    }

    @Test("known and unknown usernames: same status, code, message, Retry-After and cost, lock included", arguments: Backend.all)
    func knownAndUnknownAlike(_ backend: Backend) async throws {
        try await TestWorld.with(backend, authentication: Self.standard) { world in
            var statuses: [UInt] = []
            for attempt in 1...7 {
                let start = try await Self.costs(world)[2]
                let known = try await world.login(from: "10.3.0.1", "unitA", password: "Wrong-pass\(attempt)")
                let middle = try await Self.costs(world)[2]
                let unknown = try await world.login(from: "10.3.0.2", "no-such-user", password: "Wrong-pass\(attempt)")
                let end = try await Self.costs(world)[2]
                #expect(
                    known.status == unknown.status && known.error == unknown.error && known.retryAfter == unknown.retryAfter,
                    "attempt \(attempt)")
                #expect(middle - start == end - middle, "the same bcrypt work (attempt \(attempt))")
                statuses.append(known.status.code)
            }
            #expect(statuses == [401, 401, 401, 401, 423, 423, 423])
            let locked = try await world.login(from: "10.3.0.1", "unitA", password: TestWorld.password("unitA"))
            #expect(locked.status == .locked && locked.errorCode == "ACCOUNT_LOCKED" && locked.retryAfter == "1800")
            #expect((locked.error?["message"] as? String)?.contains("2026-03-02 10:30:00") == true)
            // Both locks are on the audit record; attempts while locked add nothing.
            let locks = try await AuditEntryModel.query(on: world.app.db).filter(\.$action == "lock-account").all()
            #expect(locks.count == 2 && locks.allSatisfy { $0.summary.contains("10.3.0.") })
        }
    }

    @Test(
        "a lock holds for one (username, address): the right password elsewhere works, the security administrator too",
        arguments: Backend.all)
    func lockIsPerAddress(_ backend: Backend) async throws {
        try await TestWorld.with(backend, authentication: Self.standard) { world in
            for _ in 1...5 { _ = try await world.login(from: "10.4.0.66", "adminSec", password: "Wrong-pass1") }
            let attacker = try await world.login(
                from: "10.4.0.66", "adminSec", password: TestWorld.password("adminSec"), totp: world.totpCode("adminSec", stepOffset: 1))
            #expect(attacker.status == .locked)
            let own = try await world.login(
                from: "10.4.0.1", "adminSec", password: TestWorld.password("adminSec"), totp: world.totpCode("adminSec", stepOffset: 1))
            #expect(own.status == .ok, "the security administrator logs in from its own address")
            let lock = try await AuditEntryModel.query(on: world.app.db).filter(\.$action == "lock-account").first()
            #expect(lock?.actorUserId == world.userIds["adminSec"] && lock?.summary.contains("10.4.0.66") == true)
            let security = try await AccountSecurityModel.load(world.userIds["adminSec"]!, on: world.app.db)
            #expect(security.lockedUntil != nil, "the administrators' user list shows the lock")
        }
    }

    @Test(
        "the security administrator's unlock lifts the locks from every address, and a later lock does not bring them back",
        arguments: Backend.all)
    func unlockLiftsEveryLock(_ backend: Backend) async throws {
        try await TestWorld.with(backend, authentication: Self.standard) { world in
            for address in ["10.5.0.1", "10.5.0.2"] {
                for _ in 1...5 { _ = try await world.login(from: address, "unitB", password: "Wrong-pass1") }
                #expect(try await world.login(from: address, "unitB", password: TestWorld.password("unitB")).status == .locked)
            }
            let unitB = world.userIds["unitB"]!.uuidString
            #expect(try await world.call(.POST, "/api/v1/admin/users/\(unitB)/unlock", as: "adminSec").status == .ok)
            #expect(try await world.login(from: "10.5.0.1", "unitB", password: TestWorld.password("unitB")).status == .ok)
            for _ in 1...5 { _ = try await world.login(from: "10.5.0.3", "unitB", password: "Wrong-pass1") }
            #expect(try await world.login(from: "10.5.0.3", "unitB", password: TestWorld.password("unitB")).status == .locked)
            #expect(
                try await world.login(from: "10.5.0.2", "unitB", password: TestWorld.password("unitB")).status == .ok,
                "the lifted lock of 10.5.0.2 stays lifted")
            #expect(try await AuditEntryModel.query(on: world.app.db).filter(\.$action == "lock-account").count() == 3)
        }
    }

    @Test("the login page answers 423 and 429 as pages with Retry-After and never echoes an oversized name", arguments: [Backend.sqlite])
    func pageRefusals(_ backend: Backend) async throws {
        try await TestWorld.with(backend, authentication: Self.standard) { world in
            for _ in 1...5 {
                _ = try await world.send(from: "10.6.0.1", .POST, "/login", form: [("username", "unitA"), ("password", "nope")])
            }
            let locked = try await world.send(
                from: "10.6.0.1", .POST, "/login", form: [("username", "unitA"), ("password", TestWorld.password("unitA"))])
            #expect(locked.status == .locked && locked.retryAfter == "1800" && locked.text.contains("锁定至2026-03-02 10:30:00"))
            #expect(locked.text.contains(#"value="unitA""#) && locked.headers[.setCookie].isEmpty)
        }
    }

    @Test("behind a trusted proxy the client is the X-Forwarded-For hop; from anyone else the header is ignored")
    func trustedProxy() async throws {
        try await TestWorld.with(.sqlite, authentication: AuthenticationSettings(trustedProxies: ["127.0.0.1"])) { world in
            let viaProxy = try await world.send(
                from: "127.0.0.1", .POST, "/api/v1/auth/login", json: ["username": "x", "password": "y"],
                headers: [("X-Forwarded-For", "203.0.113.9, 127.0.0.1")])
            #expect(viaProxy.status == .unauthorized)
            let spoofed = try await world.send(
                from: "198.51.100.7", .POST, "/api/v1/auth/login", json: ["username": "x", "password": "y"],
                headers: [("X-Forwarded-For", "203.0.113.10")])
            #expect(spoofed.status == .unauthorized)
            let garbage = try await world.send(
                from: "127.0.0.1", .POST, "/api/v1/auth/login", json: ["username": "x", "password": "y"],
                headers: [("X-Forwarded-For", String(repeating: "9", count: 5000))])
            #expect(garbage.status == .unauthorized)
            let addresses = try await AuditEntryModel.query(on: world.app.db).filter(\.$action == "login").filter(\.$result == "refused")
                .sort(\.$seq).all().map(\.clientAddress)
            #expect(addresses == ["203.0.113.9", "198.51.100.7", "127.0.0.1"])
        }
    }
}
