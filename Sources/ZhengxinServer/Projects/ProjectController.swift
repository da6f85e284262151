import Fluent
import SQLKit
import Vapor
import ZhengxinCore

/// /api/v1/projects: list, create, read, the actions open now, and taking an action.
struct ProjectController {
    func register(_ routes: RoutesBuilder) {
        let projects = routes.grouped("projects")
        projects.get(use: list)
        projects.post(use: create)
        let project = projects.grouped(":projectId")
        project.get(use: show)
        project.get("actions", use: actions)
        project.post("actions", ":action", use: perform)
        project.get("audit", use: audit)
        ProjectImportController().register(routes)  // 批量申报: /projects/import
    }

    /// One page of the caller's projects (ProjectListQuery: q, stage, unitId, tier, planYear,
    /// overdue, sort, page, perPage, after, before), SQL only; the total is in `X-Total-Count`, the
    /// next and previous pages (by cursor, ListCursor) in `Link`.
    func list(_ req: Request) async throws -> Response {
        let actor = try req.caller()
        let page = try await ProjectListing.page(try ProjectListQuery.parse(req), for: actor, on: req)
        let response = try await page.rows.map(ProjectSummary.init(row:)).encodeResponse(for: req)
        response.headers.replaceOrAdd(name: "X-Total-Count", value: String(page.total))
        let links = Self.links(page)
        if !links.isEmpty { response.headers.replaceOrAdd(name: "Link", value: links) }
        return response
    }

    /// `Link` (RFC 8288): the next and previous pages, each by cursor from this page's last or
    /// first row (page 1 by number).
    static func links(_ page: ProjectListing.Page) -> String {
        var links: [String] = []
        if let next = page.nextParameters { links.append("</api/v1/projects?\(next)>; rel=\"next\"") }
        if let previous = page.previousParameters { links.append("</api/v1/projects?\(previous)>; rel=\"prev\"") }
        return links.joined(separator: ", ")
    }

    func create(_ req: Request) async throws -> Response {
        let actor = try req.caller()
        // A body that is not a draft is refused on the record, as an action's unreadable body is.
        let draft: ProjectDraft
        switch PayloadDecoding.decode(ProjectDraft.self, from: try JSONBody.limitedBytes(req)) {
        case .success(let decoded): draft = decoded
        case .failure(let invalid):
            await req.application.recordRefusal(
                AuditEvent(
                    actor: actor, action: "create", projectId: nil, result: .refused,
                    summary: "新建项目被拒绝(请求内容无效)", violations: invalid.violations,
                    clientAddress: req.clientAddress))
            throw invalid
        }
        let created = try await ProjectDeclaration.create(draft, by: actor, at: req.now, client: req.clientAddress, app: req.application)
        return try .recordJSON(
            ProjectView(created.record, policy: created.policy, today: req.now.beijingDate, summary: "项目已创建"), status: .created)
    }

    func show(_ req: Request) async throws -> ProjectView {
        let actor = try req.caller()
        let record = try await ProjectQueries.visibleRecord(try ProjectQueries.projectId(req), to: actor, on: req.db)
        let today = req.now.beijingDate
        return ProjectView(record, policy: try await PolicyStore.book(on: req.db).governing(record, today: today), today: today)
    }

    func actions(_ req: Request) async throws -> ActionsView {
        let actor = try req.caller()
        let record = try await ProjectQueries.visibleRecord(try ProjectQueries.projectId(req), to: actor, on: req.db)
        let policy = try await PolicyStore.book(on: req.db).governing(record, today: req.now.beijingDate)
        let ctx = DecisionContext(actor: actor, now: req.now, policy: policy)
        return ActionsView(
            projectId: record.id, stage: record.stage, stageTitle: record.stage.chinese,
            actions: Lifecycle.availableActions(record, ctx), suggestions: Suggestions.for(record, policy),
            sharing: SharingFigures.of(record))
    }

    func perform(_ req: Request) async throws -> ProjectView {
        let actor = try req.caller()
        let id = try ProjectQueries.projectId(req)
        let name = req.parameters.get("action") ?? ""
        guard Lifecycle.rule(named: name) != nil else {
            throw APIError(status: .notFound, code: "UNKNOWN_ACTION", message: "未知的操作: \(name)")
        }
        if DocumentBinding.uploadOnly.contains(name) {
            // Content is bound to a project only from its bytes (DocumentBinding): a body naming a
            // sha256 would attach whatever file has that hash, another unit's or a 涉密 one.
            // Scope first, as everywhere: another unit's project stays 404.
            _ = try await ProjectQueries.visibleRecord(id, to: actor, on: req.db)
            throw DocumentBinding.refusal(for: name, projectId: id)
        }
        let body = try JSONBody.limitedBytes(req)
        let now = req.now
        let grantee = try await ClassifiedGrantee.lookup(action: name, body: body, on: req.db)
        let similarity = try await ReviewSimilarityFacts.load(
            action: name, body: body, projectId: id, actor: actor, app: req.application, on: req.db)
        let outcome = try await ProjectActionRunner.run(name, on: id, by: actor, at: now, client: req.clientAddress, app: req.application) {
            record, ctx in
            ClassifiedGrantee.decision(Lifecycle.perform(action: name, body: body, on: record, ctx.with(similarity))!, grantee, on: record)
        }
        return ProjectView(
            outcome.record, policy: outcome.policy, today: now.beijingDate, summary: outcome.summary, projectJSON: outcome.recordJSON)
    }

    /// A page of the project's audit record, oldest first, read in order from (project_id, seq);
    /// the number of entries in `X-Total-Count`.
    func audit(_ req: Request) async throws -> Response {
        let actor = try req.caller()
        let paging = try PageRequest.collection(req)
        // Scope first: a project the caller may not see is 404 here as everywhere else.
        let record = try await ProjectQueries.visibleRecord(try ProjectQueries.projectId(req), to: actor, on: req.db)
        guard actor.organisationType != .vendor else { throw APIError.forbidden("承建/监理/咨询单位不能查看审计记录") }
        let entries = AuditEntryModel.query(on: req.db).filter(\.$projectId == record.id)
        let total = try await entries.copy().count()
        let items = try await entries.sort(\.$seq).range(paging.range).all().map { AuditEntryView($0).openingSealed() }
        return try await PageRequest.response(items, total: total, for: req)
    }

    static func result(_ refusal: ProjectCreation.CreationRefusal) -> AuditEvent.Result {
        if case .forbidden = refusal { return .forbidden }
        return .refused
    }

    static func violations(_ refusal: ProjectCreation.CreationRefusal) -> [Violation] {
        if case .refused(let v) = refusal { return v }
        return []
    }
}

/// Human-readable project codes, ZZ-<year>-<4 digits>, numbered within the write transaction.
enum ProjectCodes {
    static func next(year: Int, on db: Database) async throws -> String {
        let prefix = "ZZ-\(year)-"
        // Covered by the code index.
        let count =
            try await PlainRows.all(
                SQLQueryString("SELECT COUNT(*) FROM projects WHERE code >= \(bind: prefix) AND code < \(bind: "ZZ-\(year)-~")"), on: db
            ).first?.int(0) ?? 0
        return prefix + String(format: "%04d", count + 1)
    }
}
