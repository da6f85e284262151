import Fluent
import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// GB/T 22239-2019 8.1.4.1 身份鉴别 over HTTP: lockout, idle timeout, the TOTP second factor, and
/// the audit entries for login, logout and lockout.
@Suite("Authentication")
struct AuthenticationTests {
    /// The standard settings, idle timeout included (the harness default stretches it).
    static let standard = AuthenticationSettings()

    func login(_ world: TestWorld, _ username: String, password: String? = nil, totp: String? = nil) async throws -> JSONReply {
        var body: [String: Any] = ["username": username, "password": password ?? TestWorld.password(username)]
        if let totp { body["totp"] = totp }
        return try await world.call(.POST, "/api/v1/auth/login", json: body)
    }

    func audit(_ world: TestWorld, action: String, user: String? = nil) async throws -> [AuditEntryModel] {
        var query = AuditEntryModel.query(on: world.app.db).filter(\.$action == action)
        if let user { query = query.filter(\.$actorUserId == world.userIds[user]!) }
        return try await query.sort(\.$seq).all()
    }

    @Test("a session token is stored as its SHA-256 in lower-case hex (FIPS 180-2 test vectors)")
    func tokenDigest() {
        #expect(TokenDigest.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(TokenDigest.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test(
        "the 5th consecutive failure from one address locks that username there for 30 minutes, to the second; the lock is audited",
        arguments: Backend.all)
    func lockout(_ backend: Backend) async throws {
        try await TestWorld.with(backend, authentication: Self.standard) { world in
            for attempt in 1...4 {
                let reply = try await login(world, "unitA", password: "Wrong-pass\(attempt)")
                #expect(reply.status == .unauthorized)
                #expect(reply.errorCode == "LOGIN_FAILED")
            }
            let fifth = try await login(world, "unitA", password: "Wrong-pass5")
            #expect(fifth.status == .locked)
            #expect(fifth.errorCode == "ACCOUNT_LOCKED")
            let message = (fifth["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(message.contains("2026-03-02 10:30:00"))
            #expect(try await login(world, "unitA").status == .locked)  // even the right password
            world.clock.set(CivilDate(2026, 3, 2), hour: 10, minute: 29, second: 59)
            #expect(try await login(world, "unitA").errorCode == "ACCOUNT_LOCKED")
            world.clock.set(CivilDate(2026, 3, 2), hour: 10, minute: 30, second: 0)
            #expect(try await login(world, "unitA").status == .ok)
            let locks = try await audit(world, action: "lock-account", user: "unitA")
            #expect(locks.count == 1)
            let refused = try await audit(world, action: "login", user: "unitA").filter { $0.result == "refused" }
            #expect(refused.count == 5)  // five failures; attempts while locked write nothing (the lock is recorded)
        }
    }

    @Test("a success resets the count; wrong TOTP codes count towards the lockout too", arguments: Backend.all)
    func counting(_ backend: Backend) async throws {
        // Thirteen failures from the harness's one address: more than the address's free ones (LoginLimitsAndLockoutTests).
        try await TestWorld.with(backend, authentication: AuthenticationSettings(addressFreeFailures: 20)) { world in
            for _ in 1...4 { _ = try await login(world, "unitB", password: "Wrong-pass1") }
            #expect(try await login(world, "unitB").status == .ok)
            for _ in 1...4 { #expect(try await login(world, "unitB", password: "Wrong-pass1").errorCode == "LOGIN_FAILED") }
            for attempt in 1...4 {
                #expect(
                    try await login(world, "fin", totp: world.totpCode("fin", stepOffset: 5 + Int64(attempt))).errorCode == "TOTP_INVALID")
            }
            #expect(try await login(world, "fin", totp: world.totpCode("fin", stepOffset: 10)).errorCode == "ACCOUNT_LOCKED")
        }
    }

    @Test("idle timeout: 30 minutes idle still works, 30 minutes and 1 second does not; use moves the clock", arguments: Backend.all)
    func idleTimeout(_ backend: Backend) async throws {
        try await TestWorld.with(backend, authentication: Self.standard) { world in
            // Everyone logged in at 10:00:00.
            world.clock.set(CivilDate(2026, 3, 2), hour: 10, minute: 30, second: 0)
            #expect(try await world.call(.GET, "/api/v1/me", as: "unitA").status == .ok)
            world.clock.set(CivilDate(2026, 3, 2), hour: 10, minute: 30, second: 1)
            #expect(try await world.call(.GET, "/api/v1/me", as: "unitB").status == .unauthorized)
            world.clock.set(CivilDate(2026, 3, 2), hour: 11, minute: 0, second: 0)
            #expect(try await world.call(.GET, "/api/v1/me", as: "unitA").status == .ok)  // last used 10:30:00
            world.clock.set(CivilDate(2026, 3, 2), hour: 11, minute: 30, second: 1)
            let idle = try await world.call(.GET, "/api/v1/me", as: "unitA")
            #expect(idle.status == .unauthorized)
            #expect(idle.errorCode == "UNAUTHENTICATED")
        }
    }

    @Test("TOTP: required, invalid, valid, replayed, adjacent steps", arguments: Backend.all)
    func totp(_ backend: Backend) async throws {
        try await TestWorld.with(backend, authentication: Self.standard) { world in
            // The harness logged drc in at 10:00:00 with the code of this step.
            let missing = try await login(world, "drc")
            #expect(missing.status == .unauthorized)
            #expect(missing.errorCode == "TOTP_REQUIRED")
            #expect(try await login(world, "drc", totp: world.totpCode("drc", stepOffset: 5)).errorCode == "TOTP_INVALID")
            #expect(try await login(world, "drc", totp: world.totpCode("drc")).errorCode == "TOTP_INVALID")  // replayed
            #expect(
                try await login(world, "drc", password: "Wrong-pass1", totp: world.totpCode("drc", stepOffset: 1)).errorCode
                    == "LOGIN_FAILED")
            world.clock.set(CivilDate(2026, 3, 2), hour: 10, minute: 0, second: 30)  // next step
            #expect(try await login(world, "drc", totp: world.totpCode("drc", stepOffset: -1)).errorCode == "TOTP_INVALID")  // used
            #expect(try await login(world, "drc", totp: world.totpCode("drc")).status == .ok)
            #expect(try await login(world, "drc", totp: world.totpCode("drc")).errorCode == "TOTP_INVALID")  // no reuse in its window
            #expect(try await login(world, "drc", totp: world.totpCode("drc", stepOffset: 1)).status == .ok)  // one step ahead
            #expect(try await login(world, "drc", totp: world.totpCode("drc", stepOffset: 2)).errorCode == "TOTP_INVALID")
            world.clock.set(CivilDate(2026, 3, 2), hour: 10, minute: 1, second: 0)
            #expect(try await login(world, "fin", totp: world.totpCode("fin", stepOffset: -1)).status == .ok)  // one step behind
            #expect(try await login(world, "fin", totp: world.totpCode("fin", stepOffset: -2)).errorCode == "TOTP_INVALID")
            #expect(try await login(world, "unitA").status == .ok)  // units need none
            #expect(try await login(world, "vendor").status == .ok)
        }
    }

    @Test("an agency account without an enrolled secret cannot log in", arguments: Backend.all)
    func notEnrolled(_ backend: Backend) async throws {
        try await TestWorld.with(backend, authentication: Self.standard) { world in
            try await UserModel(
                username: "aud2", displayName: "aud2", passwordHash: try world.app.password.hash(TestWorld.password("aud2")),
                organisationId: world.orgId(of: "aud"), roles: [.staff]
            ).create(on: world.app.db)
            let reply = try await login(world, "aud2", totp: "123456")
            #expect(reply.errorCode == "TOTP_REQUIRED")
        }
    }

    @Test("login, refused login and logout are on the audit record; a logged-out token is dead", arguments: Backend.all)
    func audited(_ backend: Backend) async throws {
        try await TestWorld.with(backend, authentication: Self.standard) { world in
            let logins = try await audit(world, action: "login", user: "drc")
            #expect(logins.map(\.result) == ["accepted"])
            _ = try await login(world, "nobody", password: "Wrong-pass1")
            let unknown = try await audit(world, action: "login").filter { $0.actorUserId == nil }
            #expect(unknown.count == 1)
            #expect(unknown.first?.result == "refused")
            #expect(unknown.first?.summary.contains("nobody") == true)
            #expect(try await world.call(.POST, "/api/v1/auth/logout", as: "unitA").status == .noContent)
            #expect(try await world.call(.GET, "/api/v1/me", as: "unitA").status == .unauthorized)
            let logouts = try await audit(world, action: "logout", user: "unitA")
            #expect(logouts.count == 1)
            #expect(logouts.first?.result == "accepted")
        }
    }
}
