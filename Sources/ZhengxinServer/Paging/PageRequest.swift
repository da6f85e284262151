import SQLKit
import Vapor
import ZhengxinCore

/// A page asked for in the query string (`page`, and `per` or `perPage`), bounded before any
/// arithmetic: a page number or size from outside never reaches `(page - 1) * per` unchecked, so no
/// request can trap the process. Out of range or not a number is a 400 naming the field.
struct PageRequest: Sendable, Equatable {
    static let maxPage = 1_000_000

    var page: Int
    var per: Int

    /// Rows to skip; cannot overflow: page ≤ 1,000,000 and per ≤ the route's maximum (≤ 1,000).
    var offset: Int { (page - 1) * per }
    var range: Range<Int> { offset..<(offset + per) }

    static func parse(_ req: Request, perKey: String = "perPage", defaultPer: Int, maxPer: Int) throws -> PageRequest {
        try parse(
            page: req.query[String.self, at: "page"], per: req.query[String.self, at: perKey], perKey: perKey,
            defaultPer: defaultPer, maxPer: maxPer)
    }

    static func parse(page pageText: String?, per perText: String?, perKey: String = "perPage", defaultPer: Int, maxPer: Int) throws
        -> PageRequest
    {
        precondition(maxPer <= 1_000 && (1...maxPer).contains(defaultPer))
        var problems: [Violation] = []
        func number(_ text: String?, _ field: String, _ range: ClosedRange<Int>, _ title: String) -> Int? {
            guard let text else { return nil }
            guard text.count <= 20, let n = Int(text), range.contains(n) else {
                problems.append(.input(field, "\(title)应为\(range.lowerBound)至\(range.upperBound)之间的整数"))
                return nil
            }
            return n
        }
        let page = number(pageText, "page", 1...maxPage, "页码") ?? 1
        let per = number(perText, perKey, 1...maxPer, "每页条数") ?? defaultPer
        guard problems.isEmpty else { throw APIError.invalid(problems) }
        return PageRequest(page: page, per: per)
    }
}

extension PageRequest {
    /// The page size of a collection route when `perPage` is not given, and the most it may ask for.
    static let defaultPerPage = 50
    static let maxPerPage = 200

    /// A collection route's `page` and `perPage`, bounded like every other page.
    static func collection(_ req: Request) throws -> PageRequest {
        try parse(req, perKey: "perPage", defaultPer: defaultPerPage, maxPer: maxPerPage)
    }

    /// This page of a collection held in memory (empty past its end).
    func slice<Item>(_ items: [Item]) -> [Item] {
        items.count > offset ? Array(items[offset..<min(items.count, offset + per)]) : []
    }

    /// `LIMIT … OFFSET …` for this page; both numbers are bounded by `parse`, so they go in as text.
    var sqlLimit: SQLQueryString { " LIMIT \(unsafeRaw: String(per)) OFFSET \(unsafeRaw: String(offset))" }

    /// The page's items as JSON with the size of the whole collection in `X-Total-Count`.
    static func response<Item: Encodable & Sendable>(_ items: [Item], total: Int, for req: Request) async throws -> Response {
        let response = Response(status: .ok)
        try response.content.encode(items, as: .json)
        response.headers.replaceOrAdd(name: "X-Total-Count", value: String(total))
        return response
    }
}
