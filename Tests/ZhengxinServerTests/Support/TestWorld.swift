import Fluent
import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting
import ZhengxinCore

@testable import ZhengxinServer

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let value: NIOLockedValueBox<Instant>
    init(_ instant: Instant) { value = NIOLockedValueBox(instant) }
    var now: Instant { value.withLockedValue { $0 } }
    func set(_ date: CivilDate, hour: Int = 10, minute: Int = 0, second: Int = 0) {
        value.withLockedValue { $0 = Instant(beijing: date, hour: hour, minute: minute, second: second) }
    }
}

/// A response body as loose JSON, for assertions.
struct JSONReply: @unchecked Sendable {
    var status: HTTPStatus
    var object: [String: Any]
    var array: [Any]
    var raw: ByteBuffer
    var headers: HTTPHeaders = [:]

    subscript(_ key: String) -> Any? { object[key] }
    var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
    var violations: [[String: Any]] { ((object["error"] as? [String: Any])?["violations"] as? [[String: Any]]) ?? [] }
    var ruleIds: [String] { violations.compactMap { $0["rule"] as? String } }
    var project: [String: Any] { object["project"] as? [String: Any] ?? [:] }
    var stage: String? { project["stage"] as? String }
}

/// One application on a fresh database with one account per agency, two units (unitA with two
/// users) and a vendor, each logged in. Every test gets its own world.
struct TestWorld: Sendable {
    let app: Application
    let clock: TestClock
    let backend: Backend
    let tokens: [String: String]
    let orgIds: [String: UUID]
    let userIds: [String: UUID]

    static let accounts: [(username: String, org: String, type: OrganisationType, roles: Set<Role>)] = [
        ("drc", "市发展改革委", .drc, [.staff]), ("fin", "市财政局", .fin, [.staff]), ("bdb", "市大数据局", .bdb, [.staff]),
        ("aud", "市审计局", .aud, [.staff]), ("unitA", "市卫生健康委", .unit, [.staff]), ("unitA2", "市卫生健康委", .unit, [.staff]),
        ("unitB", "市教育局", .unit, [.staff]), ("vendor", "某科技公司", .vendor, [.staff]), ("drcViewer", "市发展改革委", .drc, [.viewer]),
        // 三权分立: one account per administrator role, in the organisation that runs the system.
        ("adminSys", "市大数据局", .bdb, [.systemAdmin]), ("adminSec", "市大数据局", .bdb, [.securityAdmin]),
        ("adminAud", "市大数据局", .bdb, [.auditAdmin]),
    ]

    /// Every harness password meets the default rules (≥10 characters, 3 of 4 classes).
    static func password(_ username: String) -> String { "Passw0rd-\(username)" }

    /// A fixed TOTP secret per test account, so a test can compute any account's code.
    static func totpSecret(_ username: String) -> [UInt8] { Array("zhengxin-test-\(username)".utf8) }

    /// `authentication` defaults to the standard rules with an idle timeout of 20 years, because
    /// most tests jump the clock by days between calls; the authentication tests pass their own.
    static func with(
        _ backend: Backend, at date: CivilDate = CivilDate(2026, 3, 2),
        authentication: AuthenticationSettings = AuthenticationSettings(idleTimeoutSeconds: 20 * 365 * 86_400),
        _ body: (TestWorld) async throws -> Void
    ) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zx-test-\(UUID().uuidString)").path
        let database: AppConfig.DatabaseChoice
        var pgName: String?
        switch backend {
        case .sqlite:
            database = .sqliteFile(dir + "/test.sqlite")
        case .postgres:
            let name = "zx_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            try await PostgresDatabases.run("CREATE DATABASE \(name)")
            pgName = name
            database = .postgres(url: PostgresDatabases.url(for: name))
        }
        let clock = TestClock(Instant(beijing: date, hour: 10))
        let app = try await Application.make(.testing)
        do {
            try await configure(
                app,
                config: AppConfig(
                    database: database, dataDirectory: dir, sessionLifetimeSeconds: 20 * 365 * 86_400, bcryptCost: 4,
                    authentication: authentication), now: { clock.now })
            try await app.autoMigrate()
            var orgIds: [String: UUID] = [:]
            var userIds: [String: UUID] = [:]
            var tokens: [String: String] = [:]
            for account in accounts {
                if orgIds[account.org] == nil {
                    let org = OrganisationModel(name: account.org, type: account.type)
                    try await org.create(on: app.db)
                    orgIds[account.org] = org.id!
                }
                let user = UserModel(
                    username: account.username, displayName: account.username,
                    passwordHash: try app.password.hash(password(account.username)),
                    organisationId: orgIds[account.org]!, roles: account.roles)
                try await user.create(on: app.db)
                userIds[account.username] = user.id!
                if RoleRules.requiresSecondFactor(organisation: account.type, roles: account.roles) {
                    try await enrolTOTP(user.id!, username: account.username, on: app.db)
                }
            }
            let world0 = TestWorld(app: app, clock: clock, backend: backend, tokens: [:], orgIds: orgIds, userIds: userIds)
            for account in accounts {
                tokens[account.username] =
                    try await world0.login(account.username, password: password(account.username))["token"] as? String
            }
            let world = TestWorld(app: app, clock: clock, backend: backend, tokens: tokens, orgIds: orgIds, userIds: userIds)
            try await body(world)
        } catch {
            try? await app.asyncShutdown()
            if let pgName { try? await PostgresDatabases.run("DROP DATABASE IF EXISTS \(pgName) WITH (FORCE)") }
            try? FileManager.default.removeItem(atPath: dir)
            throw error
        }
        try await app.asyncShutdown()
        if let pgName { try await PostgresDatabases.run("DROP DATABASE IF EXISTS \(pgName) WITH (FORCE)") }
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Gives an account its test TOTP secret (`totpSecret`), as `enroll-totp` would a random one.
    static func enrolTOTP(_ userId: UUID, username: String, on db: Database) async throws {
        let security = AccountSecurityModel(userId: userId)
        try TOTPEnrolment.enrol(security, secretBase32: TOTPCode.base32(totpSecret(username)), demo: false)
        try await security.create(on: db)
    }

    /// The account's current TOTP code at the test clock (`stepOffset` steps away).
    func totpCode(_ username: String, stepOffset: Int64 = 0) -> String {
        TOTPCode.code(secret: Self.totpSecret(username), step: TOTPCode.step(at: clock.now.secondsSinceEpoch) + stepOffset)
    }

    /// Logs in, adding the current TOTP code when the account has enrolled one.
    func login(_ username: String, password: String) async throws -> JSONReply {
        var body: [String: Any] = ["username": username, "password": password]
        if let user = try await UserModel.query(on: app.db).filter(\.$username == username).first(),
            try await AccountSecurityModel.query(on: app.db).filter(\.$user.$id == user.requireID()).first()?.totpSecret != nil
        {
            body["totp"] = totpCode(username)
        }
        return try await call(.POST, "/api/v1/auth/login", json: body)
    }

    func orgId(of username: String) -> UUID { orgIds[Self.accounts.first { $0.username == username }!.org]! }

    /// Sends a request as `user` (nil: anonymous) with a JSON body or raw bytes.
    func call(
        _ method: HTTPMethod, _ path: String, as user: String? = nil, json: Any? = nil, raw: Data? = nil,
        contentType: String = "application/json"
    ) async throws -> JSONReply {
        var headers = HTTPHeaders()
        if let user, let token = tokens[user] { headers.bearerAuthorization = BearerAuthorization(token: token) }
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
            headers.contentType = .json
        } else if let raw {
            body = ByteBuffer(data: raw)
            headers.replaceOrAdd(name: .contentType, value: contentType)
        }
        let response = try await app.testing().sendRequest(method, path, headers: headers, body: body)
        let data = Data(buffer: response.body)
        let parsed = (try? JSONSerialization.jsonObject(with: data)) ?? [:]
        return JSONReply(
            status: response.status, object: parsed as? [String: Any] ?? [:], array: parsed as? [Any] ?? [], raw: response.body,
            headers: response.headers)
    }

    /// Takes a project action and returns the reply.
    func act(_ projectId: String, _ action: String, as user: String, _ body: [String: Any] = [:]) async throws -> JSONReply {
        try await call(.POST, "/api/v1/projects/\(projectId)/actions/\(action)", as: user, json: body)
    }

    /// Takes an action that must succeed.
    @discardableResult
    func must(
        _ projectId: String, _ action: String, as user: String, _ body: [String: Any] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> JSONReply {
        let reply = try await act(projectId, action, as: user, body)
        #expect(reply.status == .ok, "\(action) as \(user): \(reply.status) \(reply.violations)", sourceLocation: sourceLocation)
        return reply
    }
}
