import NIOConcurrencyHelpers
import Vapor

/// Requests in progress, so that a shutdown (SIGTERM, a rolling deploy behind a load balancer) lets
/// them finish before the databases close. A client that went away leaves its request running; when
/// the databases closed under it, Fluent's `req.db` trapped and the process died with SIGILL instead
/// of exiting (seen under benchmark load). Outermost middleware, so it counts every request.
final class RequestDrain: AsyncMiddleware, LifecycleHandler, Sendable {
    /// How long a shutdown waits for requests still running.
    static let patience: Duration = .seconds(15)
    private let inFlight = NIOLockedValueBox(0)

    var running: Int { inFlight.withLockedValue { $0 } }

    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        inFlight.withLockedValue { $0 += 1 }
        defer { inFlight.withLockedValue { $0 -= 1 } }
        return try await next.respond(to: request)
    }

    func shutdownAsync(_ application: Application) async {
        let deadline = ContinuousClock.now + Self.patience
        while running > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if running > 0 { application.logger.warning("关闭时仍有\(running)个请求未完成") }
    }
}
