import Foundation
import Vapor
import ZhengxinCore

/// The .xlsx twins of the CSV downloads, with the same callers, scope and 涉密 handling:
/// GET /reports/{by-stage|by-unit|by-year|by-tier}.xlsx and /reports/overdue.xlsx (the report's
/// `PortfolioQuery`), and GET /projects.xlsx, the project list under its current filters and sort
/// (the list's `ProjectListQuery` and `ProjectListing`: a unit sees its own projects, a 涉密 one only
/// those named on it, as the list shows it).
struct XLSXExports {
    /// The most projects one file holds; a note row says when the list was cut.
    static let projectsInFile = 5_000

    func register(_ business: RoutesBuilder) {
        for dimension in PortfolioDimension.allCases {
            business.get("reports", "\(dimension.csvName).xlsx") { try await report($0, dimension) }
        }
        business.get("reports", "overdue.xlsx", use: overdue)
        business.get("projects.xlsx", use: projects)
    }

    func report(_ req: Request, _ dimension: PortfolioDimension) async throws -> Response {
        let query = try ReportPages.query(req)
        let sheet = try await query.report(of: dimension).xlsx(dimension)
        return try await download(sheet, ascii: dimension.csvName, chinese: dimension.chinese, req)
    }

    func overdue(_ req: Request) async throws -> Response {
        let query = try ReportPages.query(req)
        let listed = try await query.overdue(
            unitNames: try await PortfolioQuery.unitNames(on: req.db), limit: PortfolioQuery.overdueInFile)
        let sheet = PortfolioQuery.OverdueItem.xlsx(listed.items, total: listed.total)
        return try await download(sheet, ascii: "overdue", chinese: "逾期清单", req)
    }

    func projects(_ req: Request) async throws -> Response {
        let actor = try req.caller()
        var query = try ProjectListQuery.parse(req)
        // The whole filtered list from its first row, up to the cap, in the page's order.
        (query.page, query.after, query.before) = (1, nil, nil)
        query.perPage = Self.projectsInFile
        let listing = try await ProjectListing.page(query, for: actor, on: req)
        let units = try await Organisations.units(on: req.db)
        let names = Dictionary(units.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let sheet = Self.projectSheet(listing, unitNames: names)
        let day = req.now.beijingDate.description
        return try await XLSXWorkbook.response(
            [sheet], asciiName: "zhengxin-projects-\(day).xlsx", chineseName: "政信项目清单-\(day).xlsx", req)
    }

    static func projectSheet(_ listing: ProjectListing.Page, unitNames: [UUID: String]) -> XLSXSheet {
        func money(_ fen: Int64?) -> XLSXCell {
            // Int64.max is a saturated sum, not an amount.
            guard let fen, fen != Int64.max else { return .empty }
            return .money(Fen(fen))
        }
        let rows = listing.rows.map { row -> [XLSXCell] in
            let p = row.project
            return [
                .text(p.code), .text(row.name), .text(unitNames[p.unitId] ?? "—"), .text(Stage(rawValue: p.stage)?.chinese ?? p.stage),
                .text(Tier(rawValue: p.tier)?.name ?? "第\(p.tier)类"), .integer(p.planYear), money(p.totalInvestmentFen),
                money(p.approvedFen), money(p.plannedFen), money(p.disbursedFen), .text(row.overdue ? "有逾期事项" : ""),
            ]
        }
        let note =
            listing.total > rows.count
            ? "共\(listing.total)个项目,本文件只含前\(rows.count)个;请加筛选条件后分批下载。" : nil
        return XLSXSheet(
            name: "项目清单",
            columns: [
                .init(title: "项目编号", width: 16), .init(title: "项目名称", width: 36), .init(title: "项目单位", width: 20),
                .init(title: "阶段", width: 12), .init(title: "类别", width: 22), .init(title: "计划年度", width: 10),
                .init(title: "总投资(元)", width: 18), .init(title: "批复概算(元)", width: 18), .init(title: "资金计划(元)", width: 18),
                .init(title: "已拨付(元)", width: 18), .init(title: "提示", width: 12),
            ],
            rows: rows, note: note)
    }

    private func download(_ sheet: XLSXSheet, ascii: String, chinese: String, _ req: Request) async throws -> Response {
        let day = req.now.beijingDate.description
        return try await XLSXWorkbook.response(
            [sheet], asciiName: "zhengxin-\(ascii)-\(day).xlsx", chineseName: "政信报表-\(chinese)-\(day).xlsx", req)
    }
}

extension PortfolioReport {
    /// One table of the report as a sheet: the CSV's columns, money in 元 as numbers, 拨付率 as a share.
    func xlsx(_ d: PortfolioDimension) -> XLSXSheet {
        let rows = (rows(d) + [total]).map { r -> [XLSXCell] in
            let share: XLSXCell =
                r.money.approved.value > 0 ? .percent(Double(r.money.disbursed.value) / Double(r.money.approved.value)) : .text("—")
            return [
                .text(r.label), .integer(r.projects), .integer(r.classifiedProjects), .money(r.money.requested), .money(r.money.approved),
                .money(r.money.planned), .money(r.money.disbursed), share,
            ]
        }
        return XLSXSheet(
            name: "项目\(d.chinese)",
            columns: [
                .init(title: d.groupHeading, width: 24), .init(title: "项目数", width: 10), .init(title: "其中涉密项目数(金额不计入)", width: 16),
                .init(title: "申报总投资(元)", width: 20), .init(title: "批复概算(元)", width: 20), .init(title: "资金计划(元)", width: 20),
                .init(title: "已拨付(元)", width: 20), .init(title: "拨付率(占批复概算)", width: 14),
            ],
            rows: rows)
    }
}

extension PortfolioQuery.OverdueItem {
    /// The overdue list as a sheet (the CSV's columns, 期限 as a date); a note when the list was cut.
    static func xlsx(_ items: [PortfolioQuery.OverdueItem], total: Int) -> XLSXSheet {
        let rows = items.map { i -> [XLSXCell] in
            [
                .text(i.code), .text(i.name), .text(i.unitName), .text(i.kindTitle),
                CivilDate(iso: i.dueOn).map(XLSXCell.date) ?? .text(i.dueOn),
                .text(i.rule), .text(i.article), .text(i.message),
            ]
        }
        return XLSXSheet(
            name: "逾期清单",
            columns: [
                .init(title: "项目编号", width: 16), .init(title: "项目名称", width: 32), .init(title: "项目单位", width: 20),
                .init(title: "逾期事项", width: 20), .init(title: "期限", width: 12), .init(title: "规则", width: 12),
                .init(title: "依据条款", width: 12), .init(title: "说明", width: 48),
            ],
            rows: rows, note: total > items.count ? "共\(total)项,本文件只含期限最早的\(items.count)项。" : nil)
    }
}
