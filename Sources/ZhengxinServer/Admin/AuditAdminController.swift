import Fluent
import Vapor
import ZhengxinCore

/// 审计管理员 (GB/T 22239-2019 8.1.4.4 b)): reads the whole audit record, paged and
/// filtered. Reading it is itself recorded, so the auditor is audited too.
struct AuditAdminController {
    struct Page: Content { var items: [AuditEntryView]; var page: Int; var per: Int; var total: Int }

    func register(_ routes: RoutesBuilder) {
        routes.get("admin", "audit", use: list)
    }

    func list(_ req: Request) async throws -> Page {
        let actor = try await req.administrator([.auditAdmin], action: "view-audit", refusal: "仅审计管理员可查看全部审计记录")
        let paging = try PageRequest.parse(req, defaultPer: 50, maxPer: 500)
        let (page, per) = (paging.page, paging.per)
        var query = AuditEntryModel.query(on: req.db)
        var filters: [String] = []
        if let text = req.query[String.self, at: "projectId"] {
            guard let id = UUID(uuidString: text) else { throw APIError.invalid([.input("projectId", "projectId 须为 UUID")]) }
            query = query.filter(\.$projectId == id)
            filters.append("项目 \(id)")
        }
        if let text = req.query[String.self, at: "actorUserId"] {
            guard let id = UUID(uuidString: text) else { throw APIError.invalid([.input("actorUserId", "actorUserId 须为 UUID")]) }
            query = query.filter(\.$actorUserId == id)
            filters.append("操作人 \(id)")
        }
        if let action = req.query[String.self, at: "action"] {
            guard action.count <= 100 else { throw APIError.invalid([.input("action", "操作名称不超过100个字符")]) }
            query = query.filter(\.$action == action)
            filters.append("操作 \(action)")
        }
        let total = try await query.copy().count()
        let items = try await query.sort(\.$seq, .descending).range(paging.range).all().map { AuditEntryView($0).withholdingSealed() }
        let (now, client) = (req.now, req.clientAddress)
        let summary = "查看审计记录(第\(page)页\(filters.isEmpty ? "" : ",筛选: " + filters.joined(separator: "、")))"
        try await req.application.writeTransaction { db in
            try await AuditRecorder.append(AuditEvent(actor: actor, action: "view-audit", result: .accepted, summary: summary,
                                                      clientAddress: client), at: now, on: db)
        }
        return Page(items: items, page: page, per: per, total: total)
    }
}
