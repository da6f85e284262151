import Foundation
import SQLKit
import ZhengxinCore

/// How ProjectListing reads one page: the window of the sort's index it reads (from the start or
/// the end), the SELECT with its cursor, reach and ORDER BY, and the index hint SQLite needs.
extension ProjectListing {
    /// How a page is read from its sort's index: forward from the start of the order, or backward
    /// from its end, past `offset` rows, `limit` of them.
    struct Window: Equatable {
        var reversed: Bool
        var offset: Int
        var limit: Int
    }

    /// A page by cursor starts at the cursor (no offset); a page by number nearer the end of the
    /// order than its start is read from the end, so the last page costs what the first does. Only a
    /// page in the middle, reached by number rather than by 下一页, still counts past rows with OFFSET.
    static func window(_ query: ProjectListQuery, total: Int?) -> Window {
        let per = query.perPage
        if query.after != nil { return Window(reversed: false, offset: 0, limit: per) }
        if query.before != nil { return Window(reversed: true, offset: 0, limit: per) }
        if let total, query.offset < total {
            let limit = min(per, total - query.offset)
            let fromEnd = total - query.offset - limit
            if fromEnd < query.offset { return Window(reversed: true, offset: fromEnd, limit: limit) }
        }
        return Window(reversed: false, offset: query.offset, limit: per)
    }

    /// The SELECT of one page: in the query's order, or (Window.reversed) in the opposite order,
    /// which the caller turns round. `total`: the rows the query matches, when counted already;
    /// `plan`: how its search reads (SearchPlan); `walkEnd`: where a walk that tests rows stops
    /// (walkEndQuery), nil for no end.
    static func pageQuery(
        _ query: ProjectListQuery, scope: Scope, actor: Actor, classifiedMatches: [UUID] = [], records: Bool = false, total: Int? = nil,
        plan: SearchPlan? = nil, walkEnd: ListCursor? = nil
    ) -> SQLQueryString {
        let window = window(query, total: total)
        let walks = plan?.pageTestsRows(window) ?? false
        let keysFirst = readsKeysFirst(query, window: window, scope: scope)
        var where_ = seeking(
            query,
            condition(
                query, scope: scope, actor: actor, classifiedMatches: classifiedMatches, ordered: true, testsRows: walks,
                reachByCode: keysFirst))
        if walks, let walkEnd {
            // Rows before the end, in the direction the page is read.
            where_ = where_ + " AND " + walkEnd.seek(sort: query.sort, greater: query.descending != window.reversed)
        }
        let from: SQLQueryString =
            "FROM projects\(CodeOrderHint(applies: query.sort == .code && reachOnly(query, scope: scope, actor: actor)))"
        let order = order(query, reversed: window.reversed)
        let limit: SQLQueryString = " LIMIT \(unsafeRaw: String(window.limit)) OFFSET \(unsafeRaw: String(window.offset))"
        guard keysFirst else {
            return "SELECT \(unsafeRaw: ProjectRow.select(record: records)) " + from + " WHERE " + where_ + " ORDER BY " + order + limit
        }
        // The page's codes from the order's index alone, then their rows by code.
        return "SELECT \(unsafeRaw: ProjectRow.select(record: records)) FROM (SELECT code AS page_code " + from + " WHERE " + where_
            + " ORDER BY " + order + limit + ") AS page_keys JOIN projects ON projects.code = page_keys.page_code ORDER BY " + order
    }

    /// A page by number past the start of its window reads its keys first: the rows it steps over are
    /// counted in the sort's index, which holds the key, `code` and `classified` but not `id`. Read
    /// whole, each skipped row was fetched from PostgreSQL's table to test the reach by `id` (page
    /// 1,000 of 100,000 projects: 51 ms against 7–9 ms for its keys alone). Only where the index can
    /// decide every condition: a search tests the row's text and the overdue filter its marks, which
    /// no order index holds. A page from the start, by cursor, or of a vendor's few contracts reads
    /// its rows at once.
    static func readsKeysFirst(_ query: ProjectListQuery, window: Window, scope: Scope) -> Bool {
        guard window.offset > 0, query.search == nil, !query.overdueOnly, case .rows = scope else { return false }
        return true
    }

    /// The condition with the query's cursor, if any: the rows after (下一页) or before (上一页) it.
    static func seeking(_ query: ProjectListQuery, _ condition: SQLQueryString) -> SQLQueryString {
        var where_ = condition
        if let after = query.after { where_ = where_ + " AND " + after.seek(sort: query.sort, greater: !query.descending) }
        if let before = query.before { where_ = where_ + " AND " + before.seek(sort: query.sort, greater: query.descending) }
        return where_
    }

    /// The query reads nothing but the caller's reach: an agency's unfiltered list (a vendor's few
    /// rows are found by id, not by walking an order).
    static func reachOnly(_ query: ProjectListQuery, scope: Scope, actor: Actor) -> Bool {
        guard case .rows = scope else { return false }
        return !filtered(query, actor: actor)
    }

    /// Whether the query filters the rows beyond the caller's reach (a unit's own rows included).
    static func filtered(_ query: ProjectListQuery, actor: Actor) -> Bool {
        actor.organisationType == .unit || query.search != nil || query.stage != nil || query.unitId != nil || query.tier != nil
            || query.planYear != nil || query.overdueOnly
    }

    /// SQLite: an unfiltered page in code order reads `projects_order_code (code, classified)`. Left
    /// to itself, the SQLite the server bundles takes the narrower unique index of `code` instead, and
    /// then looks up the table row of every row the page steps over to test the reach (75–95 ms for
    /// page 1,000 of 100,000 projects, against 7–9 ms for the other orders); PostgreSQL plans it well.
    struct CodeOrderHint: SQLExpression {
        var applies: Bool
        func serialize(to serializer: inout SQLSerializer) {
            if applies && serializer.dialect.name == "sqlite" { serializer.write(" INDEXED BY projects_order_code") }
        }
    }

    /// The ORDER BY of a page (turned round for a read from the end). Ties broken by code in the
    /// same direction, so an index (key, code) serves the whole order either way.
    static func order(_ query: ProjectListQuery, reversed: Bool = false) -> SQLQueryString {
        let direction: SQLQueryString = query.descending != reversed ? " DESC" : ""
        let key: SQLQueryString = "\(unsafeRaw: column(query.sort))" + direction
        return query.sort == .code ? key : key + ", code" + direction
    }

    /// The column a sort orders by (code, its tie-break, for every other sort too).
    static func column(_ sort: ProjectListQuery.SortKey) -> String {
        switch sort {
        case .code: return "code"
        case .name: return "name"
        case .updated: return "updated_at"
        case .investment: return "total_investment_fen"
        }
    }
}
