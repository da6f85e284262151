import Foundation
import NIOConcurrencyHelpers
import Testing
import Vapor

@testable import ZhengxinServer

/// A shutdown waits for the requests still running before the databases close (a request whose
/// client went away used to find its database closed and trap the process).
@Suite("Request drain")
struct RequestDrainTests {
    struct Slow: AsyncResponder {
        let finished: NIOLockedValueBox<Bool>
        let started: AsyncStream<Void>.Continuation
        func respond(to request: Request) async throws -> Response {
            started.yield()
            try await Task.sleep(for: .milliseconds(300))
            finished.withLockedValue { $0 = true }
            return Response(status: .ok)
        }
    }

    @Test("shutdown returns only after a running request has finished")
    func waitsForRunningRequests() async throws {
        let app = try await Application.make(.testing)
        let drain = RequestDrain()
        let finished = NIOLockedValueBox(false)
        let request = Request(application: app, on: app.eventLoopGroup.next())
        let started = AsyncStream<Void>.makeStream()
        let running = Task { try await drain.respond(to: request, chainingTo: Slow(finished: finished, started: started.continuation)) }
        // Awaited, not polled: a poll could miss the whole 300 ms on a loaded machine and wait forever.
        for await _ in started.stream { break }
        await drain.shutdownAsync(app)
        #expect(finished.withLockedValue { $0 })
        #expect(drain.running == 0)
        #expect(try await running.value.status == .ok)
        try await app.asyncShutdown()
    }
}
