import Vapor
import ZhengxinCore

/// Who is signed in on a page: the caller's facts plus the names the header shows.
struct WebUser: Authenticatable, Sendable, Encodable {
    var username: String
    var displayName: String
    var organisationName: String
    var organisationType: String
    var organisationTypeTitle: String
    var roles: [String]
    var roleTitles: String
    /// 三权分立: administrators take no business action and see no business page.
    var isAdministrator: Bool
    var canAct: Bool
}

/// The web session: cookie `zx_session` holding an ordinary session token from `session_tokens`,
/// the same row, expiry, idle timeout (GB/T 22239-2019 8.1.4.1 b)) and audit as the API's bearer.
enum WebSession {
    static let cookieName = "zx_session"

    static func cookie(_ token: String, expiresAt: Int64, _ req: Request) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: token, expires: Date(timeIntervalSince1970: TimeInterval(expiresAt)), path: "/",
            isSecure: isHTTPS(req), isHTTPOnly: true, sameSite: .strict)
    }

    static func expired(_ req: Request) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/",
            isSecure: isHTTPS(req), isHTTPOnly: true, sameSite: .strict)
    }

    static func token(_ req: Request) -> String? {
        guard let value = req.cookies[cookieName]?.string, !value.isEmpty else { return nil }
        return value
    }

    /// The cookie is marked Secure when the configuration says the site is https (ZHENGXIN_PUBLIC_URL
    /// with https, or ZHENGXIN_COOKIE_SECURE=1), or behind a TLS-terminating proxy that says so.
    static func isHTTPS(_ req: Request) -> Bool {
        req.zhengxin.config.authentication.cookieSecure || req.url.scheme == "https"
            || req.headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https"
    }

    static func user(_ model: UserModel) -> WebUser {
        let type = model.organisation.organisationType
        let roles = model.roleSet
        return WebUser(
            username: model.username, displayName: model.displayName, organisationName: model.organisation.name,
            organisationType: type.rawValue, organisationTypeTitle: type.chinese,
            roles: roles.map(\.rawValue).sorted(), roleTitles: Role.allCases.filter(roles.contains).map(\.chinese).joined(separator: "、"),
            isAdministrator: roles.contains(where: \.isAdministrator), canAct: roles.contains(.staff))
    }

    /// 303 to the login page, saying why when a session has ended.
    static func toLogin(_ req: Request, expired: Bool) -> Response {
        let response = req.redirect(to: expired ? "/login?reason=expired" : "/login", redirectType: .normal)
        if expired { response.cookies[cookieName] = WebSession.expired(req) }
        return response
    }
}

/// Reads the cookie and signs the caller in with the same checks as the bearer token.
struct WebSessionAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        if let token = WebSession.token(request),
            let user = try await BearerSessionAuthenticator.user(forToken: token, request)
        {
            request.auth.login(AuthenticatedUser(actor: try ActorLoader.actor(for: user), username: user.username))
            request.auth.login(WebSession.user(user))
        }
        return try await next.respond(to: request)
    }
}

/// Pages need a signed-in caller: anonymous → 303 /login; a cookie whose session ended (expired,
/// idle too long, account disabled) → 303 /login with a message and the cookie cleared.
struct RequireWebCaller: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        guard request.auth.has(WebUser.self) else { return WebSession.toLogin(request, expired: WebSession.token(request) != nil) }
        return try await next.respond(to: request)
    }
}

/// Business pages (projects, reports): the three administrators take no business action and see
/// none (三权分立, GB/T 22239-2019 8.1.4.2); they get the 403 page.
struct RequireBusinessCaller: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        if request.auth.get(WebUser.self)?.isAdministrator == true {
            throw APIError.forbidden("系统管理员、安全管理员和审计管理员不办理业务,不能查看业务页面")
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    /// The signed-in page user; only behind RequireWebCaller.
    func webUser() throws -> WebUser {
        guard let user = auth.get(WebUser.self) else { throw APIError.unauthenticated }
        return user
    }
}
