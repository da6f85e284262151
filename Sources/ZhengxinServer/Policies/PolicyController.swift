import Fluent
import Vapor
import ZhengxinCore

extension Policy: Content {}

/// /api/v1/policies: the versions of the Measures (R-POL-1). Anyone signed in reads them; only a
/// security administrator (安全管理员, who holds policy settings) adds one.
struct PolicyController {
    func register(_ routes: RoutesBuilder) {
        routes.get("policies", use: list)
        routes.post("policies", use: add)
    }

    /// A page of the versions by jurisdiction and effective date (`page`, `perPage`); how many there
    /// are in `X-Total-Count`. The book is held in memory (PolicyStore), so the page is cut from it.
    func list(_ req: Request) async throws -> Response {
        _ = try req.caller()
        let paging = try PageRequest.collection(req)
        let versions = try await PolicyStore.book(on: req.db).versions.sorted {
            ($0.jurisdiction, $0.effectiveFrom) < ($1.jurisdiction, $1.effectiveFrom)
        }
        return try await PageRequest.response(paging.slice(versions), total: versions.count, for: req)
    }

    func add(_ req: Request) async throws -> Response {
        let actor = try req.caller()
        guard actor.roles.contains(.securityAdmin) else { throw APIError.forbidden("政策参数由安全管理员维护") }
        let policy = try JSONBody.decode(Policy.self, req)
        let now = req.now
        try await req.application.writeTransaction { db in
            let problems = try await PolicyStore.book(on: db).problems(adding: policy)
            guard problems.isEmpty else { throw APIError.invalid(problems) }
            try await PolicyVersionModel(policy).create(on: db)
            try await AuditRecorder.append(
                AuditEvent(
                    actor: actor, action: "add-policy-version", projectId: nil, result: .accepted,
                    summary: "新增政策版本「\(policy.title)」(\(policy.jurisdiction),自\(policy.effectiveFrom.chinese)起施行)",
                    after: (try? RecordJSON.text(policy)) ?? "{}", clientAddress: req.clientAddress), at: now, on: db)
        }
        let response = Response(status: .created)
        try response.content.encode(policy)
        return response
    }
}
