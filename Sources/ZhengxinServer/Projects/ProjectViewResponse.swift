import Vapor

extension Response {
    /// A JSON response written by RecordJSON (sorted keys, as records are stored), with the content
    /// type Vapor's own JSON has.
    static func recordJSON<T: Encodable>(_ value: T, status: HTTPResponseStatus = .ok) throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: status, headers: headers, body: .init(buffer: ByteBuffer(bytes: try RecordJSON.encode(value))))
    }
}

extension ProjectView {
    /// The project detail and every action's answer carry the whole record: an action has just
    /// encoded it to store it (`projectJSON`), so those bytes are spliced in rather than encoded again.
    func encodeResponse(for request: Request) async throws -> Response { try response() }

    func encodeResponse(for request: Request) -> EventLoopFuture<Response> {
        request.eventLoop.makeCompletedFuture { try response() }
    }

    /// The JSON of the view, its members in RecordJSON's sorted order (tests compare with the whole
    /// view encoded).
    private func response() throws -> Response {
        guard let projectJSON else { return try .recordJSON(self) }
        var bytes = Array(#"{"derived":"#.utf8)
        bytes.reserveCapacity(projectJSON.count + 2048)
        bytes.append(contentsOf: try RecordJSON.encode(derived))
        bytes.append(contentsOf: #","project":"#.utf8)
        bytes.append(contentsOf: projectJSON)
        if let summary {
            bytes.append(contentsOf: #","summary":"#.utf8)
            bytes.append(contentsOf: try RecordJSON.encode(summary))
        }
        bytes.append(UInt8(ascii: "}"))
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(buffer: ByteBuffer(bytes: bytes)))
    }
}
