import Vapor

/// Times every request and counts it under its route pattern (`/api/v1/projects/:id`), never the
/// raw path: ids and probes of paths that do not exist must not each make a series. A request that
/// matched no route is `unmatched`; a method outside HTTP's usual ones is `OTHER`.
struct RequestMetricsMiddleware: AsyncMiddleware {
    static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    /// The route's pattern as registered, or `unmatched` when the router found none.
    static func routeLabel(_ route: Route?) -> String {
        guard let route else { return "unmatched" }
        return "/" + route.path.map(\.description).joined(separator: "/")
    }

    static func methodLabel(_ method: HTTPMethod) -> String {
        methods.contains(method.rawValue) ? method.rawValue : "OTHER"
    }

    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next.respond(to: request)
            record(request, status: response.status.code, since: started)
            return response
        } catch {
            record(request, status: (error as? AbortError)?.status.code ?? 500, since: started)
            throw error
        }
    }

    private func record(_ request: Request, status: UInt, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let route = Self.routeLabel(request.route)
        request.application.operationsMetrics.request(
            route: route, method: Self.methodLabel(request.method), status: status, duration: elapsed)
        request.logger.debug(
            "\(request.method.rawValue) \(route) \(status)",
            metadata: ["duration_ms": .stringConvertible((elapsed / .microseconds(1)).rounded() / 1000)])
    }
}
