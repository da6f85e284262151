import Vapor
import ZhengxinCore

/// 批量申报 as a page: the template link and an upload form; the upload goes through the API's path
/// (ProjectImportController.run → ProjectDeclaration.createAll), so it is checked, numbered and
/// audited identically. A refused batch shows every failing row and field in a table.
struct ProjectImportPage {
    func register(_ business: RoutesBuilder, maxUploadBytes: Int) {
        let batch = business.grouped("projects", "import")
        batch.get(use: form)
        batch.get("template.xlsx", use: ProjectImport.templateResponse)
        batch.uploadForm(maxUploadBytes: maxUploadBytes, use: upload)
    }

    struct Failure: Encodable {
        var row: Int
        var column: String
        var message: String
        var article: String
        var rule: String
    }

    struct Created: Encodable {
        var code: String
        var name: String
        var href: String
    }

    struct Page: Encodable {
        var maxRows = ProjectBatch.maxRows
        var failures: [Failure] = []
        var hasFailures: Bool { !failures.isEmpty }
        var failedRows = ""
        var failureCount: Int { failures.count }
        var created: [Created] = []
        var hasCreated: Bool { !created.isEmpty }

        enum CodingKeys: String, CodingKey { case maxRows, failures, hasFailures, failedRows, failureCount, created, hasCreated }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(maxRows, forKey: .maxRows)
            try c.encode(failures, forKey: .failures)
            try c.encode(hasFailures, forKey: .hasFailures)
            try c.encode(failedRows, forKey: .failedRows)
            try c.encode(failureCount, forKey: .failureCount)
            try c.encode(created, forKey: .created)
            try c.encode(hasCreated, forKey: .hasCreated)
        }
    }

    struct UploadForm: Content {
        var file: File?
    }

    func form(_ req: Request) async throws -> Response {
        try await render(Page(), req)
    }

    func upload(_ req: Request) async throws -> Response {
        let actor = try req.caller()
        try await ProjectImportController.requireDeclarer(actor, req)
        guard let file = (try? req.content.decode(UploadForm.self))?.file, file.data.readableBytes > 0 else {
            return try await render(Page(), flash: "请选择填好的模板文件(.xlsx)", status: .badRequest, req)
        }
        let limit = req.zhengxin.config.maxUploadBytes
        guard file.data.readableBytes <= limit else { throw DocumentController.tooLarge(limit) }
        do {
            let result = try await ProjectImportController.run(Data(buffer: file.data), by: actor, req)
            let created = result.projects.map { Created(code: $0.code, name: $0.name, href: "/projects/\($0.id.uuidString)") }
            return try await render(Page(created: created), flash: "\(result.summary),已记入审计记录", flashKind: "ok", req)
        } catch let error as APIError where error.code == ProjectImportError.code {
            let failures = error.violations.map {
                Failure(
                    row: ProjectImportError.row(of: $0.field) ?? 0, column: ProjectImportError.columnTitle(of: $0.field),
                    message: Self.reason($0.message), article: $0.article ?? "", rule: $0.rule.hasPrefix("R-") ? $0.rule : "")
            }
            return try await render(
                Page(failures: failures, failedRows: ProjectImportError.rowList(error.violations)), flash: "未导入任何项目,请查看下方原因",
                status: .unprocessableEntity, req)
        } catch let error as APIError where [.badRequest, .payloadTooLarge, .unsupportedMediaType].contains(error.status) {
            return try await render(Page(), flash: "未导入任何项目: \(error.message)", status: error.status, req)
        }
    }

    private func render(
        _ page: Page, flash: String? = nil, flashKind: String = "error", status: HTTPResponseStatus = .ok, _ req: Request
    ) async throws -> Response {
        try await WebPages.render("project-import", title: "批量申报项目", page: page, flash: flash, flashKind: flashKind, status: status, req)
    }

    /// The reason without the 「第N行「列」: 」 the API's message starts with: the table's own row and
    /// column cells say it.
    static func reason(_ message: String) -> String {
        guard message.hasPrefix("第"), let colon = message.range(of: ": ") else { return message }
        let head = message[..<colon.lowerBound]
        guard head.contains("行"), head.count <= 40 else { return message }
        return String(message[colon.upperBound...])
    }
}
