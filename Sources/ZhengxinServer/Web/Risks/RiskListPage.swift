import Vapor
import ZhengxinCore

/// GET /risks — 风险评级: the caller's projects ranked by risk (RiskListing, as GET /api/v1/risks),
/// filtered by level, unit and 计划年度, paged. Vendors get 403 as on the reports. A bad parameter shows its
/// Chinese message above the form and no rows (400).
struct RiskListPage {
    func register(_ business: RoutesBuilder) {
        business.get("risks", use: list)
    }

    func list(_ req: Request) async throws -> Response {
        let actor = try req.caller()
        try RiskListing.requireReader(actor)
        let query: RiskListQuery
        do {
            query = try RiskListQuery.parse(req)
        } catch let invalid as APIError {
            let view = try await RiskListView(query: RiskListQuery(), listing: nil, actor: actor, problems: invalid.violations, req)
            return try await WebPages.render("risks", title: "风险评级", page: view, status: .badRequest, req)
        }
        let listing = try await RiskListing.page(query, for: actor, on: req)
        let view = try await RiskListView(query: query, listing: listing, actor: actor, problems: [], req)
        return try await WebPages.render("risks", title: "风险评级", page: view, req)
    }
}

/// What risks.leaf shows.
struct RiskListView: Encodable {
    struct Line: Encodable {
        var id: String, code: String, name: String, unitName: String, stageTitle: String
        var level: Int, levelTitle: String, points: Int, ratedOn: String
        /// The reasons with the most points, at most three, and how many more there are.
        var reasons: [String], more: Int, noReasons: Bool
        /// 较高 or 高: marked as the list marks an overdue project.
        var high: Bool
    }

    /// 等级分布: each level's count under the scope and unit filter, highest first, linking to its filter.
    struct Share: Encodable { var title: String, count: Int, href: String, high: Bool }

    var levels: [ProjectListView.Option], units: [ProjectListView.Option]
    var distribution: [Share]
    var showUnitFilter: Bool
    /// 计划年度 filter as typed ("" for every year).
    var year: String
    var lines: [Line]
    var total: Int
    var pageNumber: Int
    var pageCount: Int
    var pages: [ProjectListView.Link]
    var problems: [Violation]
    var hasProblems: Bool

    init(query: RiskListQuery, listing: RiskListing.Page?, actor: Actor, problems: [Violation], _ req: Request) async throws {
        let units = try await Organisations.units(on: req.db)
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0.name) })
        levels = (1...5).reversed().map {
            ProjectListView.Option(value: String($0), title: "\($0)级 \(RiskAssessment.levelTitles[$0 - 1])", selected: $0 == query.level)
        }
        showUnitFilter = actor.organisationType.seesAllProjects
        year = query.planYear.map(String.init) ?? ""
        self.units = units.map { ProjectListView.Option(value: $0.id.uuidString, title: $0.name, selected: $0.id == query.unitId) }
        lines = (listing?.rows ?? []).map { row in
            let top = row.rating.reasons.enumerated().sorted { ($1.element.points, $0.offset) < ($0.element.points, $1.offset) }.map(
                \.element)
            return Line(
                id: row.projectId.uuidString, code: row.code, name: row.name, unitName: unitNames[row.unitId] ?? "—",
                stageTitle: Stage(rawValue: row.stage)?.chinese ?? row.stage, level: row.rating.level, levelTitle: row.rating.chinese,
                points: row.rating.points, ratedOn: CivilDate(iso: row.ratedOn)?.chinese ?? row.ratedOn,
                reasons: top.prefix(3).map(\.text), more: max(0, top.count - 3), noReasons: top.isEmpty, high: row.rating.level >= 4)
        }
        distribution = (1...5).reversed().map { level in
            var filtered = query
            filtered.level = level
            return Share(
                title: "\(level)级 \(RiskAssessment.levelTitles[level - 1])", count: listing?.byLevel[level - 1] ?? 0,
                href: "/risks?" + filtered.parameters(page: 1), high: level >= 4)
        }
        total = listing?.total ?? 0
        pageNumber = query.paging.page
        pageCount = listing?.pageCount ?? 1
        pages = Self.links(query, pageCount: pageCount)
        self.problems = problems
        hasProblems = !problems.isEmpty
    }

    /// 上一页, the first, a window of five around the current, the last, 下一页.
    static func links(_ query: RiskListQuery, pageCount: Int) -> [ProjectListView.Link] {
        let current = query.paging.page
        let href = { (page: Int) in "/risks?" + query.parameters(page: page) }
        let (low, high) = (max(1, current - 2), min(pageCount, current + 2))
        let numbers = Set([1, pageCount]).union(low <= high ? Array(low...high) : [])
        var links = [ProjectListView.Link(title: "上一页", href: current > 1 ? href(current - 1) : nil, current: false)]
        var previous = 0
        for n in numbers.sorted() {
            if n > previous + 1 { links.append(ProjectListView.Link(title: "…", href: nil, current: false)) }
            links.append(ProjectListView.Link(title: String(n), href: n == current ? nil : href(n), current: n == current))
            previous = n
        }
        links.append(ProjectListView.Link(title: "下一页", href: current < pageCount ? href(current + 1) : nil, current: false))
        return links
    }
}
