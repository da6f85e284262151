import Vapor
import ZhengxinCore

/// Errors on pages become pages: 404 for anything the caller may not see (never a 403-vs-404
/// leak), 403 for what its role may not do, a generic page for the rest — in Chinese, never a
/// stack trace. An ended session goes back to /login. The API (/api/..., /healthz) keeps its JSON
/// errors: this middleware sits inside APIErrorMiddleware and passes those through.
struct WebErrorPages: AsyncMiddleware {
    struct ErrorPage: Encodable {
        var status: Int
        var heading: String
        var message: String
        var code: String
        var violations: [Violation]
        var hasViolations: Bool
    }

    static func isAPI(_ request: Request) -> Bool {
        let path = request.url.path
        return path.hasPrefix("/api/") || path == "/api" || path == "/healthz"
    }

    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        guard !Self.isAPI(request) else { return try await next.respond(to: request) }
        do {
            return try await next.respond(to: request)
        } catch {
            let api = APIErrorMiddleware.translate(error, request)
            if api.status == .unauthorized { return WebSession.toLogin(request, expired: WebSession.token(request) != nil) }
            return try await Self.page(for: api, request)
        }
    }

    static func page(for api: APIError, _ req: Request) async throws -> Response {
        let heading: String
        switch api.status {
        case .notFound: heading = "页面不存在或无权查看"
        case .forbidden: heading = "无权办理"
        case .badRequest, .unprocessableEntity, .conflict: heading = "请求未被接受"
        case .payloadTooLarge: heading = "内容过大"
        default: heading = api.status.code >= 500 ? "系统暂时无法处理" : "请求未被接受"
        }
        let page = ErrorPage(
            status: Int(api.status.code), heading: heading, message: api.message, code: api.code, violations: api.violations,
            hasViolations: !api.violations.isEmpty)
        return try await WebPages.render("error", title: heading, page: page, status: api.status, req)
    }
}
