import Vapor
import ZhengxinCore

/// Request bodies go through the core's decoder so a wrong type or a missing field is named the
/// same way everywhere.
enum JSONBody {
    /// JSON requests are small; anything larger is refused before it is parsed.
    static let maxBytes = 1024 * 1024

    static func decode<T: Decodable>(_ type: T.Type, _ req: Request) throws -> T {
        switch PayloadDecoding.decode(T.self, from: try limitedBytes(req)) {
        case .success(let value): return value
        case .failure(let invalid): throw invalid
        }
    }

    /// The body of a JSON request, refused with 413 past `maxBytes`.
    static func limitedBytes(_ req: Request) throws -> Data {
        let data = bytes(req)
        if data.count > maxBytes { throw APIError(status: .payloadTooLarge, code: "PAYLOAD_TOO_LARGE", message: "请求内容过大(不超过1MB)") }
        return data
    }

    static func bytes(_ req: Request) -> Data {
        guard var buffer = req.body.data else { return Data() }
        return buffer.readData(length: buffer.readableBytes) ?? Data()
    }
}
