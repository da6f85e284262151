import Vapor

extension Response {
    /// A JSON response written by StreamingJSONEncoder, with the content type Vapor's own JSON has.
    static func streamingJSON<T: Encodable>(_ value: T, status: HTTPResponseStatus = .ok) throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: status, headers: headers, body: .init(buffer: ByteBuffer(bytes: try StreamingJSONEncoder().encode(value))))
    }
}

extension ProjectView {
    /// The project detail and every action's answer carry the whole record: written by the streaming
    /// encoder (issue 6: Foundation's took a sixth of a lifecycle action's time on this alone).
    func encodeResponse(for request: Request) async throws -> Response { try .streamingJSON(self) }

    func encodeResponse(for request: Request) -> EventLoopFuture<Response> {
        request.eventLoop.makeCompletedFuture { try .streamingJSON(self) }
    }
}
