import Vapor
import ZhengxinCore

/// The project pages: the project page, every action as a form, the
/// declaration form, and document upload and download. Each goes through the same functions as
/// the API (ProjectActionRunner, ProjectDeclaration, DocumentController), so it is scoped,
/// audited, signed and locked identically.
struct ProjectPages {
    func register(_ business: RoutesBuilder, maxUploadBytes: Int) {
        business.get("projects", "new", use: newProject)
        business.post("projects", use: declare)
        let project = business.grouped("projects", ":projectId")
        project.get(use: show)
        project.post("actions", ":action", use: act)
        project.uploadForm("documents", maxUploadBytes: maxUploadBytes, use: upload)
        project.get("documents", ":number", use: download)
        ProjectImportPage().register(business, maxUploadBytes: maxUploadBytes)  // 批量申报
    }

    func show(_ req: Request) async throws -> Response {
        let actor = try req.caller()
        let record = try await ProjectQueries.visibleRecord(try ProjectQueries.projectId(req), to: actor, on: req.db)
        return try await render(record, actor: actor, req, flash: Self.doneMessage(req.query[String.self, at: "done"]))
    }

    /// Form → JSON body → ProjectActionRunner. Success: 303 back with a message. Refused: the page
    /// again with 422 (400 for input errors), the conditions at the top of the form, the typed values kept.
    func act(_ req: Request) async throws -> Response {
        let actor = try req.caller()
        let id = try ProjectQueries.projectId(req)
        _ = try await ProjectQueries.visibleRecord(id, to: actor, on: req.db)  // 404 before anything else
        let name = req.parameters.get("action") ?? ""
        guard Lifecycle.rule(named: name) != nil, name != AttachDocument.spec.name else {
            throw APIError(status: .notFound, code: "UNKNOWN_ACTION", message: "未知的操作: \(name)")
        }
        let values = try WebForm.fields(req)
        let body: Data
        switch FormBody.json(name, values) {
        case .failure(let invalid):
            return try await refused(
                id, actor: actor, ProjectPageModel.Submission(action: name, values: values, violations: invalid.violations), req)
        case .success(let data): body = data
        }
        let grantee = try await ClassifiedGrantee.lookup(action: name, body: body, on: req.db)
        let similarity = try await ReviewSimilarityFacts.load(
            action: name, body: body, projectId: id, actor: actor, app: req.application, on: req.db)
        do {
            _ = try await ProjectActionRunner.run(name, on: id, by: actor, at: req.now, client: req.clientAddress, app: req.application) {
                record, ctx in
                ClassifiedGrantee.decision(
                    Lifecycle.perform(action: name, body: body, on: record, ctx.with(similarity))!, grantee, on: record)
            }
        } catch let error as APIError where error.status == .unprocessableEntity || error.status == .badRequest {
            return try await refused(
                id, actor: actor, ProjectPageModel.Submission(action: name, values: values, violations: error.violations), req)
        }
        return req.redirect(to: "/projects/\(id.uuidString)?done=\(name)", redirectType: .normal)
    }

    func newProject(_ req: Request) async throws -> Response {
        try await declarationPage(values: nil, violations: [], status: .ok, req)
    }

    /// The declaration form (ProjectDraft) → ProjectDeclaration.create, as POST /api/v1/projects.
    func declare(_ req: Request) async throws -> Response {
        let actor = try req.caller()
        let values = try WebForm.fields(req)
        switch FormBody.json(Self.draftForm, values) {
        case .failure(let invalid):
            return try await declarationPage(values: values, violations: invalid.violations, status: .badRequest, req)
        case .success(let body):
            switch PayloadDecoding.decode(ProjectDraft.self, from: body) {
            case .failure(let invalid):
                return try await declarationPage(values: values, violations: invalid.violations, status: .badRequest, req)
            case .success(let draft):
                do {
                    let created = try await ProjectDeclaration.create(
                        draft, by: actor, at: req.now, client: req.clientAddress, app: req.application)
                    return req.redirect(to: "/projects/\(created.record.id.uuidString)?done=create", redirectType: .normal)
                } catch let error as APIError where error.status == .unprocessableEntity || error.status == .badRequest {
                    return try await declarationPage(values: values, violations: error.violations, status: error.status, req)
                }
            }
        }
    }

    struct UploadForm: Content {
        var kind: String?
        var file: File?
        var sharingChapter: [String]?
        var evaluates: String?
        var sharingChapterOpinion: String?
    }

    /// Multipart upload → DocumentController.attach (same limits, type sniffing, filename checks).
    func upload(_ req: Request) async throws -> Response {
        let actor = try req.caller()
        let id = try ProjectQueries.projectId(req)
        let record = try await ProjectQueries.visibleRecord(id, to: actor, on: req.db)
        // Whose action it is before what the form says, audited as the API's refusals are.
        if let reason = Lifecycle.forbiddenReason(AttachDocument.spec, actor, on: record) {
            await req.application.recordRefusal(
                AuditEvent(
                    actor: actor, action: AttachDocument.spec.name, projectId: id, result: .forbidden,
                    summary: reason, clientAddress: req.clientAddress))
            throw APIError.forbidden(reason)
        }
        guard let form = try? req.content.decode(UploadForm.self) else {
            throw APIError.invalid([.input("file", "请选择要上传的文件")])
        }
        let query = DocumentController.UploadQuery(
            kind: form.kind, filename: form.file?.filename,
            sharingChapter: form.sharingChapter?.joined(separator: ","),
            evaluates: form.evaluates.flatMap { $0.isEmpty ? nil : $0 },
            sharingChapterOpinion: form.sharingChapterOpinion.map { $0 == "true" })
        let data = form.file.map { Data(buffer: $0.data) } ?? Data()
        _ = try await DocumentController.attach(query, data: data, to: id, by: actor, req)
        return req.redirect(to: "/projects/\(id.uuidString)?done=\(AttachDocument.spec.name)", redirectType: .normal)
    }

    func download(_ req: Request) async throws -> Response {
        try await DocumentController.download(
            req.parameters.get("number").flatMap(Int.init), of: try ProjectQueries.projectId(req), by: try req.caller(), req)
    }

    // MARK: rendering

    /// The ProjectDraft form: the `update` action's body is exactly a ProjectDraft.
    static let draftForm = "update"

    func render(
        _ record: ProjectRecord, actor: Actor, _ req: Request, submission: ProjectPageModel.Submission? = nil,
        status: HTTPResponseStatus = .ok, flash: String? = nil
    ) async throws -> Response {
        let model = try await ProjectPageModel.load(record, for: actor, req, submission: submission)
        return try await WebPages.render(
            "project", title: "\(record.code) \(record.name)", page: model,
            flash: flash ?? (submission == nil ? nil : "「\(Lifecycle.rule(named: submission!.action)?.spec.title ?? "")」未办理,请查看下方原因"),
            flashKind: submission == nil ? "ok" : "error", status: status, req)
    }

    func refused(_ id: UUID, actor: Actor, _ submission: ProjectPageModel.Submission, _ req: Request) async throws -> Response {
        let record = try await ProjectQueries.visibleRecord(id, to: actor, on: req.db)
        let inputOnly = submission.violations.allSatisfy(\.isInputError)
        return try await render(record, actor: actor, req, submission: submission, status: inputOnly ? .badRequest : .unprocessableEntity)
    }

    struct DeclarationPage: Encodable {
        var form: ActionForm
        var violations: [Violation]
        var hasViolations: Bool
    }

    func declarationPage(values: [String: String]?, violations: [Violation], status: HTTPResponseStatus, _ req: Request) async throws
        -> Response
    {
        let form = ActionForm.of(
            Self.draftForm, title: "申报项目", choices: FormChoices(today: req.now.beijingDate), values: values, errors: violations)
        return try await WebPages.render(
            "project-new", title: "申报项目", page: DeclarationPage(form: form, violations: violations, hasViolations: !violations.isEmpty),
            flash: violations.isEmpty ? nil : "项目未创建,请查看下方原因", flashKind: "error", status: status, req)
    }

    static func doneMessage(_ action: String?) -> String? {
        guard let action else { return nil }
        if action == "create" { return "项目已创建(草稿)。请上传申报材料后办理「申报」" }
        if action == AttachDocument.spec.name { return "文档已上传" }
        return Lifecycle.rule(named: action).map { "「\($0.spec.title)」已办理,已记入审计记录" }
    }
}

/// An url-encoded form body as field → value, without `_csrf`. A field sent twice is refused (which
/// value was meant would be the parser's guess), except a checkbox's hidden "false" followed by its
/// "true"; at most `maxFields` fields of at most `maxKeyBytes` each.
enum WebForm {
    static let maxFields = 2_000
    static let maxKeyBytes = 200

    static func fields(_ req: Request) throws -> [String: String] {
        guard let text = req.body.string else { return [:] }
        return try fields(text)
    }

    static func fields(_ text: String) throws -> [String: String] {
        var out: [String: String] = [:]
        var count = 0
        for pair in text.split(separator: "&") {
            count += 1
            guard count <= maxFields else { throw APIError.invalid([.input("form", "表单字段过多(不超过\(maxFields)个)")]) }
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (s: Substring) in String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            let key = decode(parts[0])
            guard !key.isEmpty, key != WebCSRF.fieldName else { continue }
            guard key.utf8.count <= maxKeyBytes else { throw APIError.invalid([.input("form", "表单字段名过长")]) }
            let value = parts.count > 1 ? decode(parts[1]) : ""
            if let earlier = out[key] {
                guard earlier == "false" && value == "true" else { throw APIError.invalid([.input(String(key.prefix(100)), "表单字段重复提交")]) }
            }
            out[key] = value
        }
        return out
    }
}
