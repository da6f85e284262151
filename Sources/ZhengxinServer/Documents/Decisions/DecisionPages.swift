import Fluent
import Vapor
import ZhengxinCore

/// The signed decision as an official document (第十条: the 批复文件 is the main basis of
/// implementation) and its public check.
/// GET /projects/{projectId}/decisions/{decisionId}.pdf — the PDF, to whoever may see the project page.
/// GET /verify/{decisionId} — no login: whether the document is authentic and unchanged, checked
/// against the agency key registry. The id is the signature row's random UUID, so the address
/// cannot be guessed from another. A 涉密 project's decision, a project the caller may not see and
/// an unknown id all get one and the same answer.
struct DecisionPages {
    static let unknown = APIError.notFound("决定")

    func register(public web: RoutesBuilder, business: RoutesBuilder) {
        business.get("projects", ":projectId", "decisions", ":file", use: pdf)
        web.get("verify", ":decisionId", use: verify)
    }

    func pdf(_ req: Request) async throws -> Response {
        let actor = try req.caller()
        guard let file = req.parameters.get("file"), file.hasSuffix(".pdf"), let id = UUIDText.parse(String(file.dropLast(4))),
            let projectId = UUIDText.parse(req.parameters.get("projectId") ?? "")
        else { throw Self.unknown }
        let record: ProjectRecord
        do {
            record = try await ProjectQueries.visibleRecord(projectId, to: actor, on: req.db)
        } catch let error as APIError where error.status == .notFound { throw Self.unknown }
        guard let row = try await DecisionSignatureModel.query(on: req.db).filter(\.$id == id).filter(\.$projectId == record.id).first()
        else { throw Self.unknown }
        let export = try SignedDecisionExport(row)
        let document = try await Self.document(row, export: export, unitId: record.unitId, req)
        let response = Response(status: .ok, body: .init(data: try DecisionPDF.render(document)))
        response.headers.replaceOrAdd(name: .contentType, value: "application/pdf")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"decision-\(id.uuidString.lowercased()).pdf\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    func verify(_ req: Request) async throws -> Response {
        guard let id = UUIDText.parse(req.parameters.get("decisionId") ?? ""),
            let row = try await DecisionSignatureModel.find(id, on: req.db),
            let project = try await ProjectRow.find(row.projectId, record: false, on: req.db),
            !project.classified, !AtRest.isSealed(row.document)
        else { throw Self.unknown }
        let export = try SignedDecisionExport(row)
        let registry = try await SigningKeyRegistry.load(on: req.db, at: req.now)
        let verdict = DecisionVerification.verify(export, against: registry)
        var page = VerifyPageModel(authentic: verdict.failures.isEmpty && verdict.key != nil, document: nil)
        // What the page shows of a decision is only what its signed document says, and only once it verifies.
        if page.authentic { page.document = try await Self.document(row, export: export, unitId: project.unitId, req) }
        return try await WebPages.render("verify", title: page.authentic ? "文件核验: 真实有效" : "文件核验: 不一致", page: page, req)
    }

    static func document(_ row: DecisionSignatureModel, export: SignedDecisionExport, unitId: UUID, _ req: Request) async throws
        -> DecisionDocument
    {
        let agency = try await OrganisationModel.find(row.organisationId, on: req.db)?.name ?? ""
        let unit = try await OrganisationModel.find(unitId, on: req.db)?.name ?? ""
        return try DecisionDocument(
            document: export.document, signature: row.signature, decisionId: try row.requireID(), agency: agency, addressee: unit,
            verifyURL: verifyURL(try row.requireID(), req))
    }

    /// `<public base URL>/verify/<id>`: the configured public URL (ZHENGXIN_PUBLIC_URL), else the
    /// address the server listens on (a demo's; a deployment behind a proxy sets the public URL): the
    /// bound socket's, since `serve --port` does not change the configuration read before it.
    /// Never the request's Host header: anyone who may download a decision sent their own and got a
    /// genuine document whose QR code led its readers to a "verification" site of theirs.
    static func verifyURL(_ id: UUID, _ req: Request) -> String {
        let server = req.application.http.server
        let bound = server.shared.localAddress
        let host = bound?.ipAddress ?? server.configuration.hostname
        let port = bound?.port ?? server.configuration.port
        let base = req.zhengxin.config.authentication.publicOrigin ?? "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        return base + "/verify/" + id.uuidString.lowercased()
    }
}

/// The verification page: the verdict, and the document's own words when it holds.
struct VerifyPageModel: Encodable {
    var authentic: Bool
    var document: DecisionDocument?
}
