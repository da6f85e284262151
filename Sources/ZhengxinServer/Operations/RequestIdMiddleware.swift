import Vapor

/// Gives every request an id, returned in `X-Request-Id` and carried by the request's logger as
/// `request-id`, so a log line, an answer and a report from the client can be matched.
///
/// Vapor already names each request (`Request.id`, and `request-id` in `req.logger`): the incoming
/// `X-Request-Id` as it came, else a fresh UUID. As it came is the trouble: 10 kB of text or control
/// characters would go into every log line of the request. An incoming id is kept only when it is
/// sane (`RequestId.accepts`); otherwise a fresh one replaces it, in the logger and in the header
/// code further in reads.
struct RequestIdMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let incoming = request.headers[.xRequestId]
        let id: String
        if incoming.count == 1, RequestId.accepts(incoming[0]) {
            id = request.id  // Vapor took it from the header
        } else if incoming.isEmpty {
            id = request.id  // Vapor made a UUID
        } else {
            id = UUID().uuidString
            request.logger[metadataKey: "request-id"] = .string(id)
            request.headers.replaceOrAdd(name: .xRequestId, value: id)
        }
        request.storage[RequestId.Key.self] = id
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: .xRequestId, value: id)
        return response
    }
}

enum RequestId {
    struct Key: StorageKey { typealias Value = String }

    static let maxBytes = 64

    /// 1 to 64 printable ASCII characters, no space: what tracing systems and proxies send
    /// (UUIDs, hex, base64), and nothing that could break a log line or a header.
    static func accepts(_ candidate: String) -> Bool {
        let bytes = candidate.utf8
        return !bytes.isEmpty && bytes.count <= maxBytes && bytes.allSatisfy { (0x21...0x7E).contains($0) }
    }
}

extension Request {
    /// This request's id as answered in `X-Request-Id` (RequestIdMiddleware), else Vapor's.
    var requestId: String { storage[RequestId.Key.self] ?? id }
}
