import Foundation
import Vapor
import ZhengxinCore

/// The one project-list query behind `GET /api/v1/projects` and the `/projects` page: search,
/// filters, sort and page, read from URL parameters and checked field by field. A bad value is
/// refused naming its field (400 INVALID_INPUT on the API, a Chinese message on the page).
struct ProjectListQuery: Sendable, Equatable {
    enum SortKey: String, Sendable, CaseIterable {
        case code, name, updated, investment

        var chinese: String {
            switch self {
            case .code: return "项目编号"
            case .name: return "项目名称"
            case .updated: return "最近更新"
            case .investment: return "总投资"
            }
        }
    }

    static let defaultPerPage = 50
    static let maxPerPage = 200
    static let maxSearchLength = 100

    /// Name or code contains.
    var search: String?
    var stage: Stage?
    var unitId: UUID?
    var tier: Tier?
    var planYear: Int?
    /// Only projects with an unresolved overdue mark from the deadline scan.
    var overdueOnly = false
    var sort = SortKey.code
    var descending = false
    /// 1-based. With a cursor it only names the page shown (the cursor says where it starts).
    var page = 1
    var perPage = defaultPerPage
    /// Keyset paging (ListCursor): the page right after, or right before, the row a cursor names.
    var after: ListCursor?
    var before: ListCursor?

    var offset: Int { (page - 1) * perPage }
    /// "-investment" style, as the `sort` parameter takes it.
    var sortParameter: String { (descending ? "-" : "") + sort.rawValue }

    /// Reads the parameters; empty values (as a form submits them) count as absent. Every bad field
    /// is named at once.
    static func parse(_ req: Request) throws -> ProjectListQuery {
        let parameters = URLParameters(req)
        let text = { (name: String) -> String? in
            guard let value = parameters[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        var query = ProjectListQuery()
        var problems: [Violation] = []
        func number(_ name: String, _ range: ClosedRange<Int>, _ what: String) -> Int? {
            guard let value = text(name) else { return nil }
            guard let n = Int(value), range.contains(n) else {
                problems.append(.input(name, "\(what)应为\(range.lowerBound)至\(range.upperBound)之间的整数: \(value.prefix(40))"))
                return nil
            }
            return n
        }
        if let q = text("q") {
            if q.count > maxSearchLength {
                problems.append(.input("q", "搜索内容不超过\(maxSearchLength)个字"))
            } else if q.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                // No name or code holds a control character; PostgreSQL refuses NUL in text.
                problems.append(.input("q", "搜索内容不能含有控制字符"))
            } else {
                query.search = q
            }
        }
        if let value = text("stage") {
            query.stage = Stage(rawValue: value)
            if query.stage == nil { problems.append(.input("stage", "未知的阶段: \(value.prefix(40))")) }
        }
        if let value = text("unitId") {
            query.unitId = UUIDText.parse(value)
            if query.unitId == nil { problems.append(.input("unitId", "单位编号格式不正确: \(value.prefix(40))")) }
        }
        query.tier = number("tier", 1...3, "项目类别").flatMap(Tier.init(rawValue:))
        query.planYear = number("planYear", 2000...2100, "计划年度")
        if let value = text("overdue") {
            switch value.lowercased() {
            case "true", "1", "on": query.overdueOnly = true
            case "false", "0", "off": query.overdueOnly = false
            default: problems.append(.input("overdue", "overdue 应为 true 或 false"))
            }
        }
        if let value = text("sort") {
            let descending = value.hasPrefix("-")
            if let key = SortKey(rawValue: String(value.dropFirst(descending ? 1 : 0))) {
                (query.sort, query.descending) = (key, descending)
            } else {
                problems.append(.input("sort", "排序方式应为 code、name、updated、investment 之一(前加 - 为降序)"))
            }
        }
        query.page = number("page", 1...1_000_000, "页码") ?? 1
        query.perPage = number("perPage", 1...maxPerPage, "每页条数") ?? defaultPerPage
        for name in ["after", "before"] {
            guard let token = text(name) else { continue }
            guard let cursor = ListCursor.parse(token, sort: query.sort) else {
                problems.append(.input(name, "翻页位置无效(请从列表的翻页链接进入)"))
                continue
            }
            if name == "after" { query.after = cursor } else { query.before = cursor }
        }
        if query.after != nil && query.before != nil { problems.append(.input("before", "after 与 before 只能给出一个")) }
        guard problems.isEmpty else { throw APIError.invalid(problems) }
        return query
    }

    /// The URL parameters that reproduce this query at another page (for page links), reached by
    /// number or, when a cursor is given, from it.
    func parameters(page: Int, after: ListCursor? = nil, before: ListCursor? = nil) -> String {
        var items: [(String, String)] = []
        if let search { items.append(("q", search)) }
        if let stage { items.append(("stage", stage.rawValue)) }
        if let unitId { items.append(("unitId", unitId.uuidString)) }
        if let tier { items.append(("tier", String(tier.rawValue))) }
        if let planYear { items.append(("planYear", String(planYear))) }
        if overdueOnly { items.append(("overdue", "true")) }
        if sort != .code || descending { items.append(("sort", sortParameter)) }
        if perPage != Self.defaultPerPage { items.append(("perPage", String(perPage))) }
        items.append(("page", String(page)))
        if let after { items.append(("after", after.token)) }
        if let before { items.append(("before", before.token)) }
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return items.map { $0 + "=" + ($1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") }.joined(separator: "&")
    }
}
