import Vapor

/// The site's stylesheets and scripts (`Public/css`, `Public/js`), served by Vapor's FileMiddleware.
/// A path it cannot even look up (a component longer than the file system's 255 bytes made `stat`
/// fail with ENAMETOOLONG, answered as a 500 to anyone) names no file: it goes on to the router,
/// which answers 404 like any other unknown path.
struct StaticFiles: AsyncMiddleware {
    let files: FileMiddleware

    static func isStatic(_ path: String) -> Bool { path.hasPrefix("/css/") || path.hasPrefix("/js/") }

    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        guard request.url.path.split(separator: "/").allSatisfy({ $0.utf8.count <= 255 }) else {
            return try await next.respond(to: request)
        }
        return try await files.respond(to: request, chainingTo: next)
    }
}
