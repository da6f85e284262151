import Fluent
import SQLKit
import Vapor
import ZhengxinCore

/// 审计管理员 (GB/T 22239-2019 8.1.4.4 b)): reads the whole audit record, newest first, paged and
/// filtered. Reading it is itself recorded, so the auditor is audited too.
///
/// Paged without OFFSET over the ~2,000,000 entries: the chain numbers its entries 1, 2, 3, … with no
/// gap (audit-verify checks it), so page N of the whole record is the entries at or below
/// head − (N − 1)·perPage, and the total is the head's number, read from the seq index, not counted.
/// `before=<seq>` (the `nextBefore` of the previous page) continues from an entry, filtered or not.
struct AuditAdminController {
    struct Page: Content {
        var items: [AuditEntryView]
        var page: Int
        var perPage: Int
        var total: Int
        /// The `before` that reads the next page, nil on the last one.
        var nextBefore: Int64?
    }

    /// What the entries are filtered on (each indexed with seq).
    struct Filter: Sendable {
        var projectId: UUID?
        var actorUserId: UUID?
        var action: String?
        var isEmpty: Bool { projectId == nil && actorUserId == nil && action == nil }
    }

    static let defaultPerPage = 50
    static let maxPerPage = 500

    func register(_ routes: RoutesBuilder) {
        routes.get("admin", "audit", use: list)
    }

    func list(_ req: Request) async throws -> Response {
        let actor = try await req.administrator([.auditAdmin], action: "view-audit", refusal: "仅审计管理员可查看全部审计记录")
        let paging = try PageRequest.parse(req, defaultPer: Self.defaultPerPage, maxPer: Self.maxPerPage)
        let before = try Self.before(req, page: paging.page)
        var filter = Filter()
        var filters: [String] = []
        // Read as every list reads its query (URLParameters): a malformed escape is kept as written, so
        // `action=%FF` filters by that text, where Vapor's decoding dropped it and answered unfiltered.
        let query = URLParameters(req)
        if let text = query["projectId"] {
            guard let id = UUIDText.parse(text) else { throw APIError.invalid([.input("projectId", "projectId 须为 UUID")]) }
            filter.projectId = id
            filters.append("项目 \(id)")
        }
        if let text = query["actorUserId"] {
            guard let id = UUIDText.parse(text) else { throw APIError.invalid([.input("actorUserId", "actorUserId 须为 UUID")]) }
            filter.actorUserId = id
            filters.append("操作人 \(id)")
        }
        if let action = query["action"] {
            guard action.count <= 100, action.utf8.count <= 400 else {
                throw APIError.invalid([.input("action", "操作名称不超过100个字符")])
            }
            // Written into the filter's SQL and the audit summary of this read: NUL is refused by PostgreSQL's text.
            guard PayloadScreening.isPrintableLine(action) else {
                throw APIError.invalid([PayloadScreening.refusal(field: "action", name: "操作名称")])
            }
            filter.action = action
            filters.append("操作 \(action)")
        }
        let sql = req.db as! any SQLDatabase
        let head = try await AuditChainHead.read(on: req.db)?.seq ?? 0
        let total = filter.isEmpty ? Int(head) : try await PlainRows.all(Self.countQuery(filter), on: req.db).first?.int(0) ?? 0
        let items = try await sql.raw(Self.pageQuery(filter, head: head, before: before, paging: paging))
            .all(decodingFluent: AuditEntryModel.self).map { AuditEntryView($0).withholdingSealed() }
        let (now, client) = (req.now, req.clientAddress)
        let position = before.map { "第\($0)条之前" } ?? "第\(paging.page)页"
        let summary = "查看审计记录(\(position)\(filters.isEmpty ? "" : ",筛选: " + filters.joined(separator: "、")))"
        try await req.application.writeTransaction { db in
            try await AuditRecorder.append(
                AuditEvent(
                    actor: actor, action: "view-audit", result: .accepted, summary: summary,
                    clientAddress: client), at: now, on: db)
        }
        let page = Page(
            items: items, page: paging.page, perPage: paging.per, total: total,
            nextBefore: items.count == paging.per && (items.last?.seq ?? 0) > 1 ? items.last?.seq : nil)
        let response = try await page.encodeResponse(for: req)
        response.headers.replaceOrAdd(name: "X-Total-Count", value: String(total))
        return response
    }

    /// `before`, a sequence number from 1 to 2^63 − 1; with it the page is counted from that entry, so `page` must be 1.
    static func before(_ req: Request, page: Int) throws -> Int64? {
        guard let text = req.query[String.self, at: "before"] else { return nil }
        guard text.count <= 20, let seq = Int64(text), seq >= 1 else {
            throw APIError.invalid([.input("before", "before 应为审计记录序号(正整数)")])
        }
        guard page == 1 else { throw APIError.invalid([.input("page", "使用 before 时不再指定页码")]) }
        return seq
    }

    static func conditions(_ filter: Filter) -> [SQLQueryString] {
        var conditions: [SQLQueryString] = []
        if let id = filter.projectId { conditions.append("project_id = \(bind: id)") }
        if let id = filter.actorUserId { conditions.append("actor_user_id = \(bind: id)") }
        if let action = filter.action { conditions.append("action = \(bind: action)") }
        return conditions
    }

    /// The page's entries, newest first. Unfiltered: a range of seq, no OFFSET. Filtered: after
    /// `before` if given, else the filter's index walked to the page (a filter's entries are a
    /// small part of the record).
    static func pageQuery(_ filter: Filter, head: Int64, before: Int64?, paging: PageRequest) -> SQLQueryString {
        var conditions = conditions(filter)
        var offset = 0
        if let before {
            conditions.append("seq < \(bind: before)")
        } else if filter.isEmpty {
            conditions.append("seq <= \(bind: head - Int64(paging.offset))")
        } else {
            offset = paging.offset
        }
        var query: SQLQueryString = "SELECT * FROM audit_entries"
        for (i, condition) in conditions.enumerated() { query += (i == 0 ? " WHERE " : " AND ") + condition }
        query += " ORDER BY seq DESC LIMIT \(unsafeRaw: String(paging.per))"
        if offset > 0 { query += " OFFSET \(unsafeRaw: String(offset))" }
        return query
    }

    /// How many entries a filter matches, from its index.
    static func countQuery(_ filter: Filter) -> SQLQueryString {
        var query: SQLQueryString = "SELECT COUNT(*) FROM audit_entries"
        for (i, condition) in conditions(filter).enumerated() { query += (i == 0 ? " WHERE " : " AND ") + condition }
        return query
    }
}
