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
/// body first to read the form field, up to what the route takes (`bodyLimit`); GET and HEAD pass
/// untouched.
struct WebCSRFMiddleware: AsyncMiddleware {
    /// A route declared with `uploadForm` (a document, a batch workbook) up to the upload limit, any
    /// other form up to the API's limit (`defaultMaxBodySize`, 1 MB): once collected here a body is
    /// not measured again, and reading every form up to 20 MB let one signed-in user hold the event
    /// loop for seconds.
    static func bodyLimit(_ request: Request) -> Int {
        request.route?.userInfo[uploadFormKey] as? Bool == true
            ? uploadFormBytes(request.application.zhengxin.config.maxUploadBytes) : request.application.routes.defaultMaxBodySize.value
    }

    static let uploadFormKey = AnySendableHashable("zhengxin.uploadForm")

    /// The file and the form fields beside it.
    static func uploadFormBytes(_ maxUploadBytes: Int) -> Int { maxUploadBytes + 256 * 1024 }

    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        guard request.method != .GET, request.method != .HEAD else { return try await next.respond(to: request) }
        guard let session = WebSession.token(request) else { throw WebCSRF.refused }
        var submitted = request.headers.first(name: WebCSRF.headerName)
        if submitted == nil {
            _ = try await request.body.collect(max: Self.bodyLimit(request)).get()
            submitted = try? request.content.get(String.self, at: WebCSRF.fieldName)
        }
        guard let submitted, WebCSRF.matches(submitted, sessionToken: session) else { throw WebCSRF.refused }
        return try await next.respond(to: request)
    }
}

/// Every state-changing page request (anything but GET, HEAD and OPTIONS outside /api) must come
/// from a page of this site: an `Origin` header, when present, is this site's origin; without one, a
/// `Referer`, when present, is on this site. `Origin: null` (a sandboxed frame, a data: page, a
/// redirect across sites) is refused, so nobody can log a victim into an account of the attacker's
/// (login CSRF) or post a form from elsewhere; the CSRF value is the second lock for signed-in forms.
/// A request with neither header (a script, curl) passes: browsers send `Origin` on every POST.
/// The API is untouched: bearer tokens are not sent by browsers on their own.
struct SameOriginForms: AsyncMiddleware {
    static let refused = APIError(
        status: .forbidden, code: "CROSS_ORIGIN_REJECTED",
        message: "请求不是从本系统的页面提交的(来源不符),操作未执行。请打开本系统的页面重新提交")

    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        guard ![.GET, .HEAD, .OPTIONS].contains(request.method), !WebErrorPages.isAPI(request) else {
            return try await next.respond(to: request)
        }
        if let origin = request.headers.first(name: .origin) {
            guard Self.sameOrigin(origin, request) else { throw Self.refused }
        } else if let referer = request.headers.first(name: .referer) {
            guard Self.sameOrigin(referer, request) else { throw Self.refused }
        }
        return try await next.respond(to: request)
    }

    /// Whether `url` (an Origin or a Referer) is on this site: the configured public origin
    /// (ZHENGXIN_PUBLIC_URL) exactly, or else the request's own Host (name and port as the browser
    /// wrote them, which it does the same way in both headers).
    static func sameOrigin(_ url: String, _ request: Request) -> Bool {
        guard let given = AuthenticationSettings.origin(of: url) else { return false }  // "null", garbage
        if let expected = request.zhengxin.config.authentication.publicOrigin { return given == expected }
        guard let host = request.headers.first(name: .host)?.lowercased(), !host.isEmpty else { return false }
        return given.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) == host
    }
}

extension RoutesBuilder {
    /// A page form that carries a file, POSTed to `path`: its body is read up to the upload limit, by
    /// the route and by WebCSRFMiddleware, which reads it first.
    func uploadForm(
        _ path: PathComponent..., maxUploadBytes: Int, use closure: @escaping @Sendable (Request) async throws -> Response
    ) {
        let body = HTTPBodyStreamStrategy.collect(maxSize: ByteCount(value: WebCSRFMiddleware.uploadFormBytes(maxUploadBytes)))
        on(.POST, path, body: body, use: closure).userInfo[WebCSRFMiddleware.uploadFormKey] = true
    }
}
