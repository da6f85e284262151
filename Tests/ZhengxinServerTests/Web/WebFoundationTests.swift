import Fluent
import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// The web foundation: login form → cookie → pages; CSRF on every web POST; logout; an
/// ended session goes back to /login; HTML error pages outside /api, JSON inside.
@Suite("Web foundation")
struct WebFoundationTests {
    @Test(
        "the login form sets an HttpOnly SameSite cookie; the home page greets the user; logout needs CSRF and ends the session",
        arguments: Backend.all)
    func loginHomeLogout(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let anonymous = try await world.page("/")
            #expect(anonymous.status == .seeOther && anonymous.location == "/login")
            let form = try await world.page("/login")
            #expect(form.status == .ok && form.html.contains(#"<label for="username">"#) && form.html.contains(#"<label for="totp">"#))

            let reply = try await world.page(.POST, "/login", form: [("username", "unitA"), ("password", TestWorld.password("unitA"))])
            #expect(reply.status == .seeOther && reply.location == "/")
            let setCookie = reply.headers[.setCookie].first { $0.hasPrefix("zx_session=") } ?? ""
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/"))
            let session = try #require(reply.sessionCookie)
            // The same token works as a bearer for the API: one session table.
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: session)
            #expect(try await world.app.testing().sendRequest(.GET, "/api/v1/me", headers: headers).status == .ok)

            let home = try await world.page("/", session: session)
            #expect(home.status == .ok && home.html.contains("市卫生健康委") && home.html.contains("退出登录"))
            #expect(home.headers.first(name: .contentType)?.hasPrefix("text/html") == true)
            let csrf = try #require(home.csrf)

            // Logout without the token, or with another session's token: 403, still signed in.
            let other = try await world.webLogin("unitB")
            let otherCSRF = try #require(try await world.page("/", session: other).csrf)
            for fields in [[(String, String)](), [("_csrf", "0000")], [("_csrf", otherCSRF)]] {
                let refused = try await world.page(.POST, "/logout", session: session, form: fields)
                #expect(refused.status == .forbidden && refused.html.contains("CSRF"))
                #expect(try await world.page("/", session: session).status == .ok)
            }
            let out = try await world.page(.POST, "/logout", session: session, form: [("_csrf", csrf)])
            #expect(out.status == .seeOther && out.location == "/login?reason=logout" && out.sessionCookie == "")
            let after = try await world.page("/", session: session)
            #expect(after.status == .seeOther && after.location == "/login?reason=expired")
            let audit = try await AuditEntryModel.query(on: world.app.db).filter(\.$action == "logout").count()
            #expect(audit == 1)
        }
    }

    @Test(
        "a wrong password keeps the username, counts towards the lockout and sets no cookie; agencies need the TOTP code",
        arguments: [Backend.sqlite])
    func refusedLogin(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let wrong = try await world.page(.POST, "/login", form: [("username", "unitA"), ("password", "nope")])
            #expect(wrong.status == .unauthorized && wrong.sessionCookie == nil)
            #expect(wrong.html.contains("用户名或密码错误") && wrong.html.contains(#"value="unitA""#))
            let counted = try await LoginThrottleModel.query(on: world.app.db).filter(
                \.$usernameDigest == LoginThrottle.usernameDigest("unitA")
            ).first()
            #expect(counted?.failures == 1)
            let noCode = try await world.page(.POST, "/login", form: [("username", "drc"), ("password", TestWorld.password("drc"))])
            #expect(noCode.status == .unauthorized && noCode.html.contains("动态口令") && noCode.sessionCookie == nil)
            _ = try await world.webLogin("drc")
            let foreign = try await world.page(
                .POST, "/login", form: [("username", "unitA"), ("password", TestWorld.password("unitA"))],
                headers: [("Origin", "https://evil.example"), ("Host", "127.0.0.1:8080")])
            #expect(foreign.status == .forbidden && foreign.sessionCookie == nil)
        }
    }

    @Test("an idle session goes back to the login page with a message and the cookie cleared", arguments: Backend.all)
    func idleTimeout(_ backend: Backend) async throws {
        try await TestWorld.with(backend, authentication: AuthenticationSettings(idleTimeoutSeconds: 1800)) { world in
            let session = try await world.webLogin("unitA")
            world.clock.set(CivilDate(2026, 3, 2), hour: 10, minute: 29)
            #expect(try await world.page("/", session: session).status == .ok)
            world.clock.set(CivilDate(2026, 3, 2), hour: 11, minute: 0)
            let back = try await world.page("/", session: session)
            #expect(back.status == .seeOther && back.location == "/login?reason=expired" && back.sessionCookie == "")
            let login = try await world.page("/login?reason=expired")
            #expect(login.html.contains("登录已过期"))
        }
    }

    @Test(
        "pages outside /api get HTML error pages in Chinese; the API keeps its JSON errors; administrators see no business page",
        arguments: [Backend.sqlite])
    func errorPages(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let session = try await world.webLogin("unitA")
            let missing = try await world.page("/no-such-page", session: session)
            #expect(missing.status == .notFound && missing.html.contains("页面不存在或无权查看") && !missing.html.contains("Abort"))
            let api = try await world.call(.GET, "/api/v1/no-such-thing", as: "unitA")
            #expect(api.status == .notFound && api.errorCode == "NOT_FOUND")
            let admin = try await world.webLogin("adminSys")
            let home = try await world.page("/", session: admin)
            #expect(home.status == .ok && home.html.contains("/api/v1/admin/users"))
            let css = try await world.page("/css/zhengxin.css")
            #expect(css.status == .ok && css.html.contains("PingFang SC"))
        }
    }
}
