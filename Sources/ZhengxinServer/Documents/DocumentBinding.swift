import Foundation
import NIOConcurrencyHelpers
import Vapor
import ZhengxinCore

/// The one way content is bound to a project: from the bytes themselves. The type is named from
/// the content (DocumentSniffer), the bytes are stored (sealed for a 涉密 project) and found in
/// the store again, and only then does an `attach-document` payload carry their SHA-256, type and
/// size. A digest sent by a client is never taken: knowing a file's hash (shown in audit diffs and
/// the `Digest` header) must not give access to its bytes, and a hash of nothing must not become a
/// document that cannot be downloaded. The upload routes (API and page) and the demo and bench
/// seeding all come through here; the generic action route refuses `attach-document`.
enum DocumentBinding {
    /// What the uploader says about the document; everything about the bytes is read from them.
    struct Facts: Sendable {
        var kind: DocumentKind
        var filename: String
        var sharingChapter: Set<SharingChapterPart>?
        var evaluates: DocumentKind?
        var sharingChapterOpinion: Bool?
    }

    /// The content type of `data`, or 415 saying why it is not accepted.
    static func contentType(of data: Data, digest: String) throws -> String {
        if let known = typeCache.withLockedValue({ $0[digest] }) { return known }
        switch DocumentSniffer.verdict(of: data) {
        case .success(let type):
            // Content-addressed: the same digest is the same bytes, so their type is kept for the
            // repeated small texts of demo and bench seeding.
            if data.count <= 64 * 1024 {
                typeCache.withLockedValue { cache in
                    if cache.count >= 256 { cache.removeAll() }
                    cache[digest] = type
                }
            }
            return type
        case .failure(let refusal):
            throw APIError(
                status: .unsupportedMediaType, code: "UNSUPPORTED_DOCUMENT_TYPE",
                message: "不支持的文件类型: 仅接受 PDF、Office(docx/xlsx/pptx)/OFD、PNG/JPEG 图片和 UTF-8 纯文本,不接受可执行文件、脚本或网页",
                violations: [Violation(rule: refusal.code, article: nil, message: refusal.reason, field: "file")])
        }
    }

    private static let typeCache = NIOLockedValueBox<[String: String]>([:])

    /// Checks the type, stores the bytes and reads back that they are there: the payload to attach.
    /// For the demo and bench seeding, which decide on their own records; the upload routes store
    /// only once the rules accepted (`payload`, then `persist` inside the decision).
    static func store(_ data: Data, _ facts: Facts, sealed: Bool, in store: DocumentStore) throws -> AttachDocument.Payload {
        let digest = DocumentStore.sha256Hex(data)
        let payload = try payload(data, facts, digest: digest)
        try persist(data, digest: digest, sealed: sealed, in: store)
        return payload
    }

    /// The payload the bytes make (type checked, 415 when refused); nothing is stored yet.
    static func payload(_ data: Data, _ facts: Facts, digest: String) throws -> AttachDocument.Payload {
        let type = try contentType(of: data, digest: digest)
        return AttachDocument.Payload(
            kind: facts.kind, filename: DocumentFilename.fitted(facts.filename, contentType: type), contentType: type,
            sizeBytes: Int64(data.count), sha256: digest,
            sharingChapter: facts.sharingChapter, evaluates: facts.evaluates, sharingChapterOpinion: facts.sharingChapterOpinion)
    }

    /// Stores the bytes (sealed for a 涉密 project) and reads back that they are there.
    static func persist(_ data: Data, digest: String, sealed: Bool, in store: DocumentStore) throws {
        _ = try store.put(data, digest: digest, sealed: sealed)
        guard store.contains(digest) else { throw notStored }
    }

    static let notStored = APIError(status: .internalServerError, code: "DOCUMENT_NOT_STORED", message: "文档内容未能写入文档库,文档未上传,请重试或联系系统管理员")

    /// Actions whose content comes only through an upload route: the generic action route refuses them.
    static let uploadOnly: Set<String> = [AttachDocument.spec.name]

    static func refusal(for action: String, projectId: UUID) -> APIError {
        APIError(
            status: .badRequest, code: "UPLOAD_REQUIRED",
            message:
                "「\(AttachDocument.spec.title)」只能上传文件本身: POST /api/v1/projects/\(projectId.uuidString)/documents?kind=…&filename=…,请求体为文件内容;不接受以 sha256 引用已存储的内容",
            violations: [.input("action", "\(action) 不能通过通用操作接口办理")])
    }
}
