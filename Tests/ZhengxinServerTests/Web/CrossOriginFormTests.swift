import Fluent
import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// Page forms are accepted only from this site's pages: `Origin: null` (a sandboxed frame) and any
/// other origin get the 403 page, and so does a Referer from elsewhere when there is no Origin; the
/// login form included (login CSRF). The API is not touched.
@Suite("Cross-origin page forms")
struct CrossOriginFormTests {
    static let host = ("Host", "127.0.0.1:8080")

    static func loginForm(_ username: String = "unitA") -> [(String, String)] {
        [("username", username), ("password", TestWorld.password(username))]
    }

    @Test(
        "POST /login: Origin null, another origin or a foreign Referer get the 403 page and no session; this site's origin logs in",
        arguments: Backend.all)
    func loginCSRF(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let logins = { try await AuditEntryModel.query(on: world.app.db).filter(\.$action == "login").count() }
            let before = try await logins()
            for headers in [
                [("Origin", "null"), Self.host], [("Origin", "https://evil.example"), Self.host],
                [("Origin", "http://127.0.0.1:8081"), Self.host], [("Referer", "https://evil.example/frame.html"), Self.host],
                [("Origin", "null")],
            ] {
                let reply = try await world.page(.POST, "/login", form: Self.loginForm(), headers: headers)
                #expect(reply.status == .forbidden && reply.sessionCookie == nil, "\(headers)")
                #expect(reply.html.contains("CROSS_ORIGIN_REJECTED") && reply.html.contains("<html lang=\"zh-CN\">"))
            }
            #expect(try await logins() == before, "a refused form is not a login attempt")
            for headers in [
                [("Origin", "http://127.0.0.1:8080"), Self.host], [("Referer", "http://127.0.0.1:8080/login"), Self.host], [],
            ] {
                let reply = try await world.page(.POST, "/login", form: Self.loginForm(), headers: headers)
                #expect(reply.status == .seeOther && reply.sessionCookie?.isEmpty == false, "\(headers)")
            }
        }
    }

    @Test("signed-in forms: a valid CSRF value from another origin is still refused; the API ignores Origin", arguments: Backend.all)
    func signedInForms(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let session = try await world.webLogin("unitA")
            let csrf = try #require(try await world.page("/", session: session).csrf)
            let refused = try await world.page(
                .POST, "/logout", session: session, form: [("_csrf", csrf)], headers: [("Origin", "null"), Self.host])
            #expect(refused.status == .forbidden && refused.html.contains("CROSS_ORIGIN_REJECTED"))
            #expect(try await world.page("/", session: session).status == .ok, "still signed in")
            let api = try await world.send(
                from: nil, .POST, "/api/v1/auth/login", json: ["username": "unitB", "password": TestWorld.password("unitB")],
                headers: [("Origin", "null")])
            #expect(api.status == .ok)
            let out = try await world.page(
                .POST, "/logout", session: session, form: [("_csrf", csrf)], headers: [("Origin", "http://127.0.0.1:8080"), Self.host])
            #expect(out.status == .seeOther)
        }
    }

    @Test("with ZHENGXIN_PUBLIC_URL the origin must be exactly it (scheme and port too); the cookie is Secure")
    func publicURL() async throws {
        let settings = AuthenticationSettings(idleTimeoutSeconds: 86_400, publicURL: "https://ZX.example.gov.cn/")
        try await TestWorld.with(.sqlite, authentication: settings) { world in
            for origin in ["http://zx.example.gov.cn", "https://zx.example.gov.cn:8443", "https://evil.example"] {
                let reply = try await world.page(
                    .POST, "/login", form: Self.loginForm(), headers: [("Origin", origin), ("Host", "zx.example.gov.cn")])
                #expect(reply.status == .forbidden, "\(origin)")
            }
            let reply = try await world.page(
                .POST, "/login", form: Self.loginForm(), headers: [("Origin", "https://zx.example.gov.cn"), ("Host", "10.0.0.5:8080")])
            #expect(reply.status == .seeOther)
            let cookie = reply.headers[.setCookie].first { $0.hasPrefix("zx_session=") } ?? ""
            #expect(cookie.contains("Secure"))
        }
    }

    @Test("the cookie is Secure with ZHENGXIN_COOKIE_SECURE=1 or X-Forwarded-Proto: https, not on plain http otherwise")
    func secureCookie() async throws {
        #expect(AuthenticationSettings.fromEnvironment(["ZHENGXIN_COOKIE_SECURE": "1"]).cookieSecure)
        #expect(AuthenticationSettings.fromEnvironment(["ZHENGXIN_PUBLIC_URL": "https://zx.example.gov.cn"]).cookieSecure)
        #expect(!AuthenticationSettings.fromEnvironment(["ZHENGXIN_PUBLIC_URL": "http://zx.example.gov.cn"]).cookieSecure)
        #expect(
            AuthenticationSettings.fromEnvironment(["ZHENGXIN_PUBLIC_URL": "https://zx.example.gov.cn:8443/x"]).publicOrigin
                == "https://zx.example.gov.cn:8443")
        let cookie = { (reply: PageReply) in reply.headers[.setCookie].first { $0.hasPrefix("zx_session=") } ?? "" }
        try await TestWorld.with(.sqlite) { world in
            let plain = try await world.page(.POST, "/login", form: Self.loginForm())
            let proxied = try await world.page(.POST, "/login", form: Self.loginForm(), headers: [("X-Forwarded-Proto", "https")])
            #expect(!cookie(plain).contains("Secure") && cookie(proxied).contains("Secure"))
        }
        try await TestWorld.with(.sqlite, authentication: AuthenticationSettings(idleTimeoutSeconds: 86_400, cookieSecure: true)) { world in
            let forced = try await world.page(.POST, "/login", form: Self.loginForm())
            #expect(cookie(forced).contains("Secure"))
        }
    }
}
