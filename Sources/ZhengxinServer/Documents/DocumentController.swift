import Fluent
import Vapor
import ZhengxinCore

/// /api/v1/projects/{id}/documents: upload (raw body, facts in the query), list, download.
struct DocumentController {
    struct UploadQuery: Content {
        var kind: String?
        var filename: String?
        var sharingChapter: String?
        var evaluates: String?
        var sharingChapterOpinion: Bool?
    }

    func register(_ routes: RoutesBuilder, maxUploadBytes: Int) {
        let docs = routes.grouped("projects", ":projectId", "documents")
        docs.on(.POST, body: .collect(maxSize: ByteCount(value: maxUploadBytes)), use: upload)
        docs.get(use: list)
        docs.get(":number", use: download)
    }

    func upload(_ req: Request) async throws -> Response {
        let actor = try req.caller()
        let id = try ProjectQueries.projectId(req)
        // Scope before anything else: another unit's project is 404 whatever the query says.
        _ = try await ProjectQueries.visibleRecord(id, to: actor, on: req.db)
        let q = try req.query.decode(UploadQuery.self)
        let outcome = try await Self.attach(q, data: JSONBody.bytes(req), to: id, by: actor, req)
        return try .streamingJSON(ProjectView(outcome.record, policy: outcome.policy, today: req.now.beijingDate, summary: outcome.summary), status: .created)
    }

    /// The upload path the API and the project page share: scope, size limit, type by content,
    /// filename checks, bytes stored, then `attach-document` through ProjectActionRunner.
    static func attach(_ q: UploadQuery, data: Data, to id: UUID, by actor: Actor, _ req: Request) async throws -> ProjectActionRunner.Outcome {
        let current = try await ProjectQueries.visibleRecord(id, to: actor, on: req.db)
        // The route collects at most this much off the wire; a body handed over already collected
        // (tests, proxies) is held to the same limit here.
        let limit = req.zhengxin.config.maxUploadBytes
        if data.count > limit {
            throw APIError(status: .payloadTooLarge, code: "PAYLOAD_TOO_LARGE", message: "文件过大: 不超过 \(limit) 字节")
        }
        let payload = try Self.payload(q, data: data)
        // Bytes before the transaction (content-addressed, so a refused upload leaves at most an
        // unreferenced blob), but only for a caller who may attach: the runner refuses the others.
        let mayAttach = Lifecycle.forbiddenReason(AttachDocument.spec, actor, on: current) == nil
        let digest = mayAttach ? try req.zhengxin.documents.put(data, sealed: current.classified) : String(repeating: "0", count: 64)
        var attach = payload
        attach.sha256 = digest
        let final = attach
        return try await ProjectActionRunner.run(AttachDocument.spec.name, on: id, by: actor, at: req.now, client: req.clientAddress, app: req.application) { record, ctx in
            Lifecycle.perform(AttachDocument.self, final, on: record, ctx)
        }
    }

    static func payload(_ q: UploadQuery, data: Data) throws -> AttachDocument.Payload {
        var v: [Violation] = []
        let kind = q.kind.flatMap(DocumentKind.init(rawValue:))
        if kind == nil { v.append(.input("kind", "请指定文档类型 kind,可选: " + DocumentKind.allCases.map(\.rawValue).joined(separator: ", "))) }
        let filename = (q.filename ?? "").trimmingCharacters(in: .whitespaces)
        // No path separators or control characters: the name goes into Content-Disposition and exports.
        if filename.isEmpty || filename.count > 255 || filename.contains("/") || filename.contains("\\")
            || filename.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || PayloadScreening.isForbidden($0) }) || filename == "." || filename == ".." {
            v.append(.input("filename", "请提供有效的文件名 filename"))
        }
        var parts: Set<SharingChapterPart> = []
        for raw in (q.sharingChapter ?? "").split(separator: ",") {
            guard let part = SharingChapterPart(rawValue: raw.trimmingCharacters(in: .whitespaces)) else {
                v.append(.input("sharingChapter", "未知的共享分析篇(章)部分: \(raw)"))
                continue
            }
            parts.insert(part)
        }
        var evaluates: DocumentKind?
        if let e = q.evaluates {
            evaluates = DocumentKind(rawValue: e)
            if evaluates == nil { v.append(.input("evaluates", "未知的文档类型: \(e)")) }
        }
        if data.isEmpty { v.append(.input("file", "文件内容为空")) }
        guard v.isEmpty, let kind else { throw APIError.invalid(v) }
        guard let type = DocumentSniffer.contentType(of: data) else {
            throw APIError(status: .unsupportedMediaType, code: "UNSUPPORTED_DOCUMENT_TYPE",
                           message: "不支持的文件类型: 仅接受 PDF、Office/OFD、图片和纯文本文件,不接受可执行文件或网页")
        }
        return AttachDocument.Payload(kind: kind, filename: filename, contentType: type, sizeBytes: Int64(data.count),
                                      sha256: String(repeating: "0", count: 64), sharingChapter: parts, evaluates: evaluates,
                                      sharingChapterOpinion: q.sharingChapterOpinion)
    }

    func list(_ req: Request) async throws -> [DocumentRef] {
        let actor = try req.caller()
        let record = try await ProjectQueries.visibleRecord(try ProjectQueries.projectId(req), to: actor, on: req.db)
        return record.documents
    }

    func download(_ req: Request) async throws -> Response {
        let actor = try req.caller()
        return try await Self.download(req.parameters.get("number").flatMap(Int.init), of: try ProjectQueries.projectId(req), by: actor, req)
    }

    /// The download the API and the project page share: scoped, always an attachment, never active content.
    static func download(_ number: Int?, of id: UUID, by actor: Actor, _ req: Request) async throws -> Response {
        let record = try await ProjectQueries.visibleRecord(id, to: actor, on: req.db)
        guard let number, let doc = record.documents.first(where: { $0.number == number }) else { throw APIError.notFound("文档") }
        let data = try req.zhengxin.documents.get(doc.sha256)
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: doc.contentType)
        let encoded = doc.filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "document"
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename*=UTF-8''\(encoded)")
        // Never rendered as active content in a browser.
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: "sandbox; default-src 'none'")
        response.headers.replaceOrAdd(name: "Digest", value: "sha-256=\(doc.sha256)")
        return response
    }
}
