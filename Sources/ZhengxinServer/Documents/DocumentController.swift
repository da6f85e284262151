import Fluent
import NIOConcurrencyHelpers
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
        // Streamed and counted here: Vapor's collect(maxSize:) refuses a body of exactly maxSize
        // bytes (it compares with >=), which turned a file of exactly the stated limit into a 413.
        docs.on(.POST, body: .stream, use: upload)
        docs.get(use: list)
        docs.get(":number", use: download)
    }

    func upload(_ req: Request) async throws -> Response {
        let actor = try req.caller()
        let id = try ProjectQueries.projectId(req)
        // Scope before anything else: another unit's project is 404 whatever the query says.
        _ = try await ProjectQueries.visibleRecord(id, to: actor, on: req.db)
        let q = try req.query.decode(UploadQuery.self)
        let data = try await Self.body(req, limit: req.zhengxin.config.maxUploadBytes)
        let outcome = try await Self.attach(q, data: data, to: id, by: actor, req)
        return try .recordJSON(
            ProjectView(outcome.record, policy: outcome.policy, today: req.now.beijingDate, summary: outcome.summary), status: .created)
    }

    static func tooLarge(_ limit: Int) -> APIError {
        let readable = limit % (1024 * 1024) == 0 ? "(\(limit / (1024 * 1024)) MiB)" : limit % 1024 == 0 ? "(\(limit / 1024) KiB)" : ""
        return APIError(status: .payloadTooLarge, code: "PAYLOAD_TOO_LARGE", message: "文件过大: 不超过 \(limit) 字节\(readable)")
    }

    /// The request body, at most `limit` bytes: exactly `limit` is accepted, one byte more is 413.
    /// A declared Content-Length over the limit is refused before anything is read.
    static func body(_ req: Request, limit: Int) async throws -> Data {
        if let declared = req.headers.first(name: .contentLength).flatMap(Int.init), declared > limit { throw tooLarge(limit) }
        if let collected = req.body.data {
            guard collected.readableBytes <= limit else { throw tooLarge(limit) }
            return Data(buffer: collected)
        }
        var buffer = ByteBuffer()
        for try await chunk in req.body {
            guard buffer.readableBytes + chunk.readableBytes <= limit else { throw tooLarge(limit) }
            var chunk = chunk
            buffer.writeBuffer(&chunk)
        }
        return Data(buffer: buffer)
    }

    /// The upload path the API and the project page share: scope, size limit, filename checks,
    /// type by content (DocumentBinding), then `attach-document` through ProjectActionRunner, which
    /// stores the bytes only when it accepts.
    static func attach(_ q: UploadQuery, data: Data, to id: UUID, by actor: Actor, _ req: Request) async throws
        -> ProjectActionRunner.Outcome
    {
        _ = try await ProjectQueries.visibleRecord(id, to: actor, on: req.db)
        // A body handed over already collected (the project page's multipart form, tests) is held
        // to the same limit here.
        let limit = req.zhengxin.config.maxUploadBytes
        if data.count > limit { throw tooLarge(limit) }
        let facts = try Self.facts(q, data: data)
        // Hashing and typing up to the upload limit's bytes, on the blocking-work pool: not on an event loop,
        // whose other connections would wait meanwhile.
        let (digest, payload) = try await req.application.blockingWork.runIfActive {
            let digest = DocumentStore.sha256Hex(data)
            return (digest, try DocumentBinding.payload(data, facts, digest: digest))
        }
        let store = req.zhengxin.documents
        let storeFailure = NIOLockedValueBox<Error?>(nil)
        do {
            return try await ProjectActionRunner.run(
                AttachDocument.spec.name, on: id, by: actor, at: req.now, client: req.clientAddress, app: req.application
            ) { record, ctx in
                // The bytes are written only once the rules accepted the upload on the fresh read
                // the runner decides on: an upload refused for the caller's role, the stage or any
                // rule leaves no file behind (content-addressed, so writing again on the runner's
                // second decision is harmless; a commit failing after an acceptance leaves the
                // file unreferenced, the same bytes a retried upload writes).
                let decision = Lifecycle.perform(AttachDocument.self, payload, on: record, ctx)
                guard case .accepted = decision else { return decision }
                do {
                    try DocumentBinding.persist(data, digest: digest, sealed: record.classified, in: store)
                } catch {
                    storeFailure.withLockedValue { $0 = error }
                    return .refused([.input("file", "文档内容未能写入文档库")])
                }
                return decision
            }
        } catch {
            if let failure = storeFailure.withLockedValue({ $0 }) {
                req.logger.error("document of project \(id) not stored: \(failure)")
                throw DocumentBinding.notStored
            }
            throw error
        }
    }

    /// What the uploader says about the document, checked (400); the bytes speak for themselves.
    static func facts(_ q: UploadQuery, data: Data) throws -> DocumentBinding.Facts {
        var v: [Violation] = []
        let kind = q.kind.flatMap(DocumentKind.init(rawValue:))
        if kind == nil { v.append(.input("kind", "请指定文档类型 kind,可选: " + DocumentKind.allCases.map(\.rawValue).joined(separator: ", "))) }
        let filename = (q.filename ?? "").trimmingCharacters(in: .whitespaces)
        // No path separators or control characters: the name goes into Content-Disposition and exports.
        if filename.isEmpty || filename.count > 255 || filename.contains("/") || filename.contains("\\")
            || filename.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || PayloadScreening.isForbidden($0) })
            || filename == "." || filename == ".."
        {
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
        return DocumentBinding.Facts(
            kind: kind, filename: filename, sharingChapter: parts, evaluates: evaluates, sharingChapterOpinion: q.sharingChapterOpinion)
    }

    /// A page of the project's documents in the order they were attached (`page`, `perPage`); how
    /// many it has in `X-Total-Count`. They live in the record, so the page is cut from it.
    func list(_ req: Request) async throws -> Response {
        let actor = try req.caller()
        let paging = try PageRequest.collection(req)
        let record = try await ProjectQueries.visibleRecord(try ProjectQueries.projectId(req), to: actor, on: req.db)
        return try await PageRequest.response(paging.slice(record.documents), total: record.documents.count, for: req)
    }

    func download(_ req: Request) async throws -> Response {
        let actor = try req.caller()
        return try await Self.download(
            req.parameters.get("number").flatMap(Int.init), of: try ProjectQueries.projectId(req), by: actor, req)
    }

    /// The download the API and the project page share: scoped, always an attachment, never active content.
    static func download(_ number: Int?, of id: UUID, by actor: Actor, _ req: Request) async throws -> Response {
        let record = try await ProjectQueries.visibleRecord(id, to: actor, on: req.db)
        guard let number, let doc = record.documents.first(where: { $0.number == number }) else { throw APIError.notFound("文档") }
        let data: Data, servedType: String
        do {
            let store = req.zhengxin.documents
            // Read, checked, unsealed and (for a document stored before libmagic typed them) typed again, off the loop.
            (data, servedType) = try await req.application.blockingWork.runIfActive {
                let data = try store.get(doc.sha256)
                return (data, DocumentFilename.servedType(doc.contentType, bytes: data))
            }
        } catch let missing as DocumentStore.Missing {
            // The record names bytes the store no longer has (removed behind the server's back):
            // said plainly, with the document named, never a 500.
            req.logger.error("document \(number) of project \(id): \(missing)")
            throw APIError(
                status: .gone, code: "DOCUMENT_CONTENT_MISSING",
                message: "文档「\(doc.filename)」的内容已不在文档库中,请联系系统管理员从备份恢复,或重新上传")
        } catch let altered as DocumentStore.Altered {
            // The file under the record's digest holds other bytes now: never served as the
            // document the record names.
            req.logger.error("document \(number) of project \(id): \(altered)")
            throw APIError(
                status: .gone, code: "DOCUMENT_CONTENT_ALTERED",
                message: "文档「\(doc.filename)」在文档库中的内容与上传时的 SHA-256 不符,已被改动,不予下载;请联系系统管理员从备份恢复,或重新上传")
        }
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: doc.contentType)
        // Fitted again: a name stored before names were fitted to their type is served fitted too.
        let served = DocumentFilename.fitted(doc.filename, contentType: servedType)
        let encoded = served.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "document"
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename*=UTF-8''\(encoded)")
        // Never rendered as active content in a browser.
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: "sandbox; default-src 'none'")
        response.headers.replaceOrAdd(name: "Digest", value: "sha-256=\(doc.sha256)")
        return response
    }
}
