import Vapor

/// The browser-side protections on every response — pages, the API, static files and every error
/// (404s included): it sits outside the error middlewares, so it sees their answers too.
/// - `Content-Security-Policy`: scripts, styles, images and fonts from this site only (the pages
///   have no inline script or style: Public/js, Public/css), no plugins, no `<base>`, forms post
///   only here, and no framing (`frame-ancestors 'none'`, with `X-Frame-Options: DENY` for old
///   browsers) against clickjacking;
/// - `X-Content-Type-Options: nosniff`: a download is never run as a script or a page;
/// - `Referrer-Policy: same-origin`: links out carry no URL with ids in it, while this site's own
///   forms keep a Referer for SameOriginForms.
/// - `Cache-Control: no-store` on everything but the static files, where the answer sets none.
/// Strict-Transport-Security belongs to the TLS proxy in front, which alone knows the site is https.
struct SecurityHeaders: AsyncMiddleware {
    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
        "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    static let headers: [(String, String)] = [
        ("Content-Security-Policy", contentSecurityPolicy),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
    ]

    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            // Only if an error got past APIErrorMiddleware: answered in the one shape, headers and all.
            let api = APIErrorMiddleware.translate(error, request)
            response = Response(status: api.status)
            try response.content.encode(ErrorBody(error: .init(code: api.code, message: api.message, violations: api.violations)))
        }
        // A response that set its own policy keeps it: a document download's `sandbox; default-src
        // 'none'` is stricter than the pages' and must not be replaced by theirs.
        for (name, value) in Self.headers where !response.headers.contains(name: name) { response.headers.add(name: name, value: value) }
        // Kept by no cache, unless the answer says otherwise: a page, an API answer or a download may
        // hold what only its signed-in caller may see (a 涉密 project's opened document, a holder's
        // 身份证号). The site's own stylesheets and scripts may be cached.
        if !response.headers.contains(name: .cacheControl), !StaticFiles.isStatic(request.url.path) {
            response.headers.add(name: .cacheControl, value: "no-store")
        }
        return response
    }
}
