import Foundation
import Vapor
import ZhengxinCore

/// GET /reports — 项目组合报表: projects by stage, unit, plan year and tier, money
/// requested / approved / planned / disbursed, each as SVG charts beside a table, the 风险等级分布
/// and the overdue list;
/// GET /reports/{by-stage|by-unit|by-year|by-tier|overdue}.csv — the same tables as CSV for Excel.
/// Filters: `year` (计划年度), `unit` (agencies only; a unit always sees its own). Scope and 涉密
/// handling are `PortfolioQuery`'s. Vendors get 403; the administrators never get here (三权分立).
struct ReportPages {
    func register(_ business: RoutesBuilder) {
        business.get("reports", use: page)
        registerDownloads(business)
    }

    /// The CSV and .xlsx files, on the pages and (DownloadRoutes) on the API alike.
    func registerDownloads(_ routes: RoutesBuilder) {
        for dimension in PortfolioDimension.allCases {
            routes.get("reports", "\(dimension.csvName).csv") { try await csv($0, dimension) }
        }
        routes.get("reports", "overdue.csv") { try await csv($0, nil) }
        // The same tables, the overdue list and the project list as .xlsx workbooks.
        XLSXExports().register(routes)
    }

    func page(_ req: Request) async throws -> Response {
        let query = try Self.query(req)
        return try await WebPages.render("reports", title: "统计报表", page: try await Self.model(query, req), req)
    }

    private struct BodyContext: Encodable { var page: ReportPageModel }

    /// The page's figures, charts (laid out), tables and overdue list, read for every view from the
    /// tallies and marks the writes keep (PortfolioQuery). `reports.leaf` draws them.
    static func model(_ query: PortfolioQuery, _ req: Request) async throws -> ReportPageModel {
        try await query.pageModel(
            unitNames: try await PortfolioQuery.unitNames(on: req.db),
            risks: try await RiskDistribution.read(query.filter, actor: query.actor, on: req))
    }

    /// The page's content without the layout, as `reports-body.leaf` draws it.
    static func body(_ query: PortfolioQuery, _ req: Request) async throws -> String {
        let model = try await model(query, req)
        return String(buffer: try await req.view.render("reports-body", BodyContext(page: model)).get().data)
    }

    /// One table as CSV; `dimension` nil is the overdue list.
    func csv(_ req: Request, _ dimension: PortfolioDimension?) async throws -> Response {
        let query = try Self.query(req)
        let document: CSVDocument
        if let dimension {
            document = try await query.report(of: dimension).csv(dimension)
        } else {
            document = PortfolioQuery.OverdueItem.csv(
                try await query.overdue(
                    unitNames: try await PortfolioQuery.unitNames(on: req.db),
                    limit: PortfolioQuery.overdueInFile
                ).items)
        }
        let day = req.now.beijingDate.description
        let response = Response(status: .ok, body: .init(data: Data(document.bytes)))
        response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        // ASCII name for old clients, the Chinese one per RFC 6266 / 5987.
        let ascii = "zhengxin-\(dimension?.csvName ?? "overdue")-\(day).csv"
        let chinese = "政信报表-\(dimension?.chinese ?? "逾期清单")-\(day).csv"
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let encoded = chinese.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ascii
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)")
        return response
    }

    /// The caller and the filters; vendors 403, bad filters 400 with every fault named, nothing read.
    static func query(_ req: Request) throws -> PortfolioQuery {
        let actor = try req.caller()
        guard actor.organisationType != .vendor else {
            throw APIError.forbidden("统计报表仅向项目单位和市发展改革委、市财政局、市大数据局、市审计局提供")
        }
        return PortfolioQuery(actor: actor, filter: try filter(req), db: req.db)
    }

    static func filter(_ req: Request) throws -> PortfolioQuery.Filter {
        var faults: [Violation] = []
        var filter = PortfolioQuery.Filter()
        if let text = req.query[String.self, at: "year"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            if let year = Int(text), (2000...2100).contains(year) {
                filter.planYear = year
            } else {
                faults.append(.input("year", "计划年度应为2000至2100之间的四位年份"))
            }
        }
        if let text = req.query[String.self, at: "unit"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            if let unit = UUIDText.parse(text) { filter.unitId = unit } else { faults.append(.input("unit", "项目单位参数无效")) }
        }
        guard faults.isEmpty else { throw APIError.invalid(faults) }
        return filter
    }
}
