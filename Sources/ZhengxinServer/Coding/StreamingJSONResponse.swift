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
    /// encoder (Foundation's, on the whole record, was a large part of a lifecycle action's time).
    func encodeResponse(for request: Request) async throws -> Response { try response() }

    func encodeResponse(for request: Request) -> EventLoopFuture<Response> {
        request.eventLoop.makeCompletedFuture { try response() }
    }

    /// The JSON of the view; with `projectJSON`, those bytes stand for the record, and only the rest is
    /// encoded. The members are those the synthesized encoding writes, in its order (tests compare).
    private func response() throws -> Response {
        guard let projectJSON else { return try .streamingJSON(self) }
        let encoder = StreamingJSONEncoder()
        var bytes = Array(#"{"project":"#.utf8)
        bytes.reserveCapacity(projectJSON.count + 2048)
        bytes.append(contentsOf: projectJSON)
        bytes.append(contentsOf: #","derived":"#.utf8)
        bytes.append(contentsOf: try encoder.encode(derived))
        if let summary {
            bytes.append(contentsOf: #","summary":"#.utf8)
            bytes.append(contentsOf: try encoder.encode(summary))
        }
        bytes.append(UInt8(ascii: "}"))
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(buffer: ByteBuffer(bytes: bytes)))
    }
}
