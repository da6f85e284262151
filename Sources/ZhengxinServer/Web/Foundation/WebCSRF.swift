import Foundation
import Vapor
import ZhengxinCrypto

/// Cross-site request forgery protection for every web POST: each form carries a hidden `_csrf`
/// field (or a script sends `X-CSRF-Token`) whose value is HMAC-SM3 keyed by the session token, so
/// only a page served to that session can produce it. A POST without the right value gets the 403
/// page and changes nothing. The cookie is also SameSite=Strict; this is the second lock.
enum WebCSRF {
    static let fieldName = "_csrf"
    static let headerName = "X-CSRF-Token"
    static let refused = APIError(status: .forbidden, code: "CSRF_REJECTED", message: "表单已失效或来源不明(CSRF校验未通过),操作未执行。请刷新页面后重新提交")

    /// The value a page embeds for this session token.
    static func token(for sessionToken: String) -> String {
        HMACSM3.authenticationCode(for: Data("zhengxin-web-csrf-v1".utf8), key: Data(sessionToken.utf8)).hexString
    }

    /// The value for the request's session ("" when there is none).
    static func token(_ req: Request) -> String {
        WebSession.token(req).map(token(for:)) ?? ""
    }

    static func matches(_ submitted: String, sessionToken: String) -> Bool {
        let expected = Array(token(for: sessionToken).utf8), given = Array(submitted.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Checks the token on every state-changing web request of a signed-in session. It collects the
/// body first (up to the upload limit) to read the form field; GET and HEAD pass untouched.
struct WebCSRFMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        guard request.method != .GET, request.method != .HEAD else { return try await next.respond(to: request) }
        guard let session = WebSession.token(request) else { throw WebCSRF.refused }
        var submitted = request.headers.first(name: WebCSRF.headerName)
        if submitted == nil {
            _ = try await request.body.collect(max: request.application.zhengxin.config.maxUploadBytes + 256 * 1024).get()
            submitted = try? request.content.get(String.self, at: WebCSRF.fieldName)
        }
        guard let submitted, WebCSRF.matches(submitted, sessionToken: session) else { throw WebCSRF.refused }
        return try await next.respond(to: request)
    }
}

/// The login form has no session yet; it refuses a post whose Origin names another site.
struct SameOriginOnly: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        if let origin = request.headers.first(name: .origin), origin != "null",
           let host = request.headers.first(name: .host), URL(string: origin)?.host != URL(string: "http://" + host)?.host {
            throw WebCSRF.refused
        }
        return try await next.respond(to: request)
    }
}
