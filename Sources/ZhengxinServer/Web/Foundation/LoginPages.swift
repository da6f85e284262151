import Vapor
import ZhengxinCore

/// GET/POST /login and POST /logout: the login form runs the API's LoginFlow (the same password,
/// lockout, TOTP checks and audit entries) and keeps its token in the `zx_session` cookie.
struct LoginPages {
    struct LoginPage: Encodable {
        var username: String
        var error: String?
    }

    func register(public web: RoutesBuilder, signedIn: RoutesBuilder) {
        web.get("login", use: form)
        // Same origin only (SameOriginForms, for every page form): no login CSRF from another site or a sandboxed frame.
        web.post("login", use: login)
        signedIn.post("logout", use: logout)
    }

    func form(_ req: Request) async throws -> Response {
        if req.auth.has(WebUser.self) { return req.redirect(to: "/", redirectType: .normal) }
        let flash: String?
        switch req.query[String.self, at: "reason"] {
        case "expired": flash = "登录已过期或长时间未操作(超过\(req.zhengxin.config.authentication.idleTimeoutSeconds / 60)分钟),请重新登录"
        case "logout": flash = "已退出登录"
        default: flash = nil
        }
        return try await WebPages.render("login", title: "登录", page: LoginPage(username: "", error: nil), flash: flash, req)
    }

    func login(_ req: Request) async throws -> Response {
        let field = { (name: String) in (try? req.content.get(String.self, at: name)) ?? "" }
        let credentials = LoginFlow.Request(
            username: field("username").trimmingCharacters(in: .whitespaces),
            password: field("password"), totp: field("totp").trimmingCharacters(in: .whitespaces))
        do {
            let (_, token, expiresAt) = try await LoginFlow.run(req, credentials: credentials)
            let response = req.redirect(to: "/", redirectType: .normal)
            response.cookies[WebSession.cookieName] = WebSession.cookie(token, expiresAt: expiresAt, req)
            return response
        } catch let refusal as APIError {
            return try await refused(refusal, credentials, req)
        } catch let refusal as LoginFlow.Refusal {
            let response = try await refused(refusal.error, credentials, req)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(refusal.retryAfterSeconds))
            return response
        }
    }

    /// The form again with the refusal. What the user typed stays, except the password and the
    /// one-time code, and only a username the check would pass: an oversized or unprintable one is never echoed.
    private func refused(_ refusal: APIError, _ credentials: LoginFlow.Request, _ req: Request) async throws -> Response {
        let username = LoginFlow.usernameFault(credentials.username) == nil ? credentials.username : ""
        return try await WebPages.render(
            "login", title: "登录", page: LoginPage(username: username, error: refusal.message),
            status: refusal.status, req)
    }

    /// Deletes the session row (audited as `logout`, like the API) and clears the cookie.
    func logout(_ req: Request) async throws -> Response {
        if let token = WebSession.token(req) { try await AuthController.endSession(token: token, of: try req.caller(), req) }
        let response = req.redirect(to: "/login?reason=logout", redirectType: .normal)
        response.cookies[WebSession.cookieName] = WebSession.expired(req)
        return response
    }
}
