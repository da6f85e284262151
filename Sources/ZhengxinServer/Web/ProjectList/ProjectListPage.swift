import Fluent
import SQLKit
import Vapor
import ZhengxinCore

/// GET /projects: the caller's projects with search, filters, sort and paging — the same
/// ProjectListQuery and ProjectListing as GET /api/v1/projects. A bad parameter shows its Chinese
/// message above the form and no rows (400).
struct ProjectListPage {
    func register(_ business: RoutesBuilder) {
        business.get("projects", use: list)
    }

    func list(_ req: Request) async throws -> Response {
        let actor = try req.caller()
        let query: ProjectListQuery
        do {
            query = try ProjectListQuery.parse(req)
        } catch let invalid as APIError {
            let view = try await ProjectListView(query: ProjectListQuery(), listing: nil, actor: actor, problems: invalid.violations, req)
            return try await WebPages.render("projects-list", title: "项目", page: view, status: .badRequest, req)
        }
        let listing = try await ProjectListing.page(query, for: actor, on: req)
        let view = try await ProjectListView(query: query, listing: listing, actor: actor, problems: [], req)
        return try await WebPages.render("projects-list", title: "项目", page: view, req)
    }
}

/// What projects-list.leaf shows.
struct ProjectListView: Encodable {
    struct Option: Encodable { var value: String; var title: String; var selected: Bool }
    struct Link: Encodable { var title: String; var href: String?; var current: Bool }
    struct Line: Encodable {
        var id: String, code: String, name: String, unitName: String, stageTitle: String, tier: Int, planYear: Int
        var investment: String, approved: String, planned: String, disbursed: String
        var overdue: Bool, classified: Bool
    }

    var search: String
    var overdueOnly: Bool
    var stages: [Option], units: [Option], tiers: [Option], years: [Option], sorts: [Option]
    var showUnitFilter: Bool
    var lines: [Line]
    var total: Int
    var pageNumber: Int
    var pageCount: Int
    var pages: [Link]
    var problems: [Violation]
    var hasProblems: Bool
    /// The list under the same filters and sort as an .xlsx file (XLSXExports).
    var xlsxHref: String

    init(query: ProjectListQuery, listing: ProjectListing.Page?, actor: Actor, problems: [Violation], _ req: Request) async throws {
        let units = try await Organisations.units(on: req.db)
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0.name) })
        search = query.search ?? ""
        overdueOnly = query.overdueOnly
        stages = Stage.allCases.map { Option(value: $0.rawValue, title: $0.chinese, selected: $0 == query.stage) }
        showUnitFilter = actor.organisationType.seesAllProjects
        self.units = units.map { Option(value: $0.id.uuidString, title: $0.name, selected: $0.id == query.unitId) }
        tiers = Tier.allCases.map { Option(value: String($0.rawValue), title: $0.name, selected: $0 == query.tier) }
        years = try await Self.planYears(req.db).map { Option(value: String($0), title: "\($0)年", selected: $0 == query.planYear) }
        sorts = ProjectListQuery.SortKey.allCases.flatMap { key in
            [
                Option(value: key.rawValue, title: key.chinese + "(升序)", selected: key == query.sort && !query.descending),
                Option(value: "-" + key.rawValue, title: key.chinese + "(降序)", selected: key == query.sort && query.descending),
            ]
        }
        lines = (listing?.rows ?? []).map { row in
            let m = row.project
            return Line(
                id: m.id.uuidString, code: m.code, name: row.name, unitName: unitNames[m.unitId] ?? "—",
                stageTitle: Stage(rawValue: m.stage)?.chinese ?? m.stage, tier: m.tier, planYear: m.planYear,
                investment: MoneyText.wan(m.totalInvestmentFen), approved: m.approvedFen.map(MoneyText.wan) ?? "—",
                planned: MoneyText.wan(m.plannedFen), disbursed: MoneyText.wan(m.disbursedFen),
                overdue: row.overdue, classified: m.classified)
        }
        total = listing?.total ?? 0
        pageNumber = listing?.query.page ?? query.page
        pageCount = listing?.pageCount ?? 1
        pages = listing.map(Self.links) ?? []
        self.problems = problems
        hasProblems = !problems.isEmpty
        xlsxHref = "/projects.xlsx?" + query.parameters(page: 1)
    }

    /// Years that have projects, for the year filter, newest first.
    static func planYears(_ db: Database) async throws -> [Int] {
        try await PlainRows.all(planYearsQuery, on: db).map { try $0.int(0) }
    }

    /// One probe of a (plan_year, …) index per year — the next lower year is the MAX below the last —
    /// rather than `SELECT DISTINCT plan_year`, which walked all 100,000 entries of that index on
    /// PostgreSQL (it has no skip scan) on every list page.
    static let planYearsQuery: SQLQueryString = """
        WITH RECURSIVE years (year) AS (
          SELECT MAX(plan_year) FROM projects
          UNION ALL
          SELECT (SELECT MAX(plan_year) FROM projects WHERE plan_year < years.year) FROM years WHERE years.year IS NOT NULL)
        SELECT year FROM years WHERE year IS NOT NULL ORDER BY year DESC
        """

    /// 上一页, the first, a window of five around the current, the last, 下一页. 上一页 and 下一页 go
    /// by cursor from this page's first and last rows (ListCursor), so stepping through a long list
    /// never pays an OFFSET; the numbers go by number.
    static func links(_ listing: ProjectListing.Page) -> [Link] {
        let (query, current, pageCount) = (listing.query, listing.query.page, listing.pageCount)
        let href = { (page: Int) in "/projects?" + query.parameters(page: page) }
        let (low, high) = (max(1, current - 2), min(pageCount, current + 2))
        let numbers = Set([1, pageCount]).union(low <= high ? Array(low...high) : [])
        let previous = listing.previousParameters.map { "/projects?" + $0 }
        var links = [Link(title: "上一页", href: previous, current: false)]
        var shown = 0
        for n in numbers.sorted() {
            if n > shown + 1 { links.append(Link(title: "…", href: nil, current: false)) }
            links.append(Link(title: String(n), href: n == current ? nil : href(n), current: n == current))
            shown = n
        }
        links.append(Link(title: "下一页", href: listing.nextParameters.map { "/projects?" + $0 }, current: false))
        return links
    }
}

/// Amounts in 万元 with two decimals, rounded half up ("—" for a sum too large to hold).
enum MoneyText {
    static func wan(_ fen: Int64) -> String {
        guard fen != Int64.max else { return "—" }
        let rounded = fen >= 0 ? (fen + 5_000) / 10_000 : (fen - 5_000) / 10_000
        return String(Fen(rounded).yuanText.dropLast()) + "万元"
    }
}
