import Vapor
import ZhengxinCore

/// One entry of the header's navigation.
struct NavItem: Encodable, Sendable {
    var title: String
    var href: String
    var current: Bool
}

/// What every page template gets: `title`, `user` (nil on the login page), `nav`, `csrf`, `flash`,
/// and the page's own data under `page`. Templates extend "layout".
struct WebPage<Page: Encodable>: Encodable {
    var title: String
    var user: WebUser?
    var nav: [NavItem]
    var csrf: String
    var flash: String?
    var flashKind: String
    var page: Page
}

struct NoPageData: Encodable, Sendable {}

enum WebPages {
    /// Renders `template` with the common context around `page`.
    static func render<Page: Encodable>(
        _ template: String, title: String, page: Page, flash: String? = nil, flashKind: String = "info",
        status: HTTPResponseStatus = .ok, _ req: Request
    ) async throws -> Response {
        let context = WebPage(
            title: title, user: req.auth.get(WebUser.self), nav: nav(req), csrf: WebCSRF.token(req),
            flash: flash, flashKind: flashKind, page: page)
        let response = try await req.view.render(template, context).encodeResponse(for: req)
        response.status = status
        response.headers.replaceOrAdd(name: .contentType, value: "text/html; charset=utf-8")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// The navigation for the caller's role: business pages for business accounts, only the home
    /// page (which points to the admin API) for the three administrators.
    static func nav(_ req: Request) -> [NavItem] {
        guard let user = req.auth.get(WebUser.self) else { return [] }
        var items: [(String, String)] = [("首页", "/")]
        if !user.isAdministrator {
            items.append(("项目", "/projects"))
            if user.organisationType == OrganisationType.unit.rawValue && user.canAct { items.append(("申报项目", "/projects/new")) }
            if user.organisationType != OrganisationType.vendor.rawValue {
                items.append(("风险评级", "/risks"))
                items.append(("统计报表", "/reports"))
            }
        }
        let path = req.url.path
        let matches = { (href: String) in href == "/" ? path == "/" : (path == href || path.hasPrefix(href + "/")) }
        let current = items.map(\.1).filter(matches).max { $0.count < $1.count }
        return items.map { title, href in NavItem(title: title, href: href, current: href == current) }
    }
}
