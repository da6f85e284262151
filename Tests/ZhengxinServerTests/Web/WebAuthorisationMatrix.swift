import Foundation
import Vapor

/// One row per page route: who gets what. Callers are the
/// TestWorld accounts below plus anonymous; a signed-in caller sends its session as the
/// `zx_session` cookie and, on POST, the page's CSRF value. Paths use {project} (unitA's project
/// under construction, vendor contracted, as in AuthorisationMatrix).
/// W2 and W3: add a row for every page route you add; the coverage test in
/// AuthorisationMatrixTests fails for any route of the app without a row here or there.
struct WebMatrixRow: Sendable {
    let method: HTTPMethod
    let path: String
    /// Form fields sent with a POST (the CSRF value is added for signed-in callers).
    let form: [(String, String)]
    /// One expectation per caller, in `WebAuthorisationMatrix.callers` order.
    let expect: [HTTPStatus]
    /// Whether the route is a signed-in POST that must refuse a missing CSRF value with 403.
    var needsCSRF: Bool { method == .POST && path != "/login" }

    func expectation(for caller: String?) -> HTTPStatus { expect[WebAuthorisationMatrix.callers.firstIndex(of: caller)!] }
}

enum WebAuthorisationMatrix {
    static let callers: [String?] = ["drc", "fin", "unitA", "unitB", "vendor", "drcViewer", "adminSys", "adminAud", nil]

    private static let ok = HTTPStatus.ok, toLogin = HTTPStatus.seeOther, e401 = HTTPStatus.unauthorized
    private static let e403 = HTTPStatus.forbidden, e404 = HTTPStatus.notFound, e400 = HTTPStatus.badRequest

    static func row(_ method: HTTPMethod, _ path: String, form: [(String, String)] = [], _ expect: [HTTPStatus]) -> WebMatrixRow {
        precondition(expect.count == callers.count, "\(path): one expectation per caller")
        return WebMatrixRow(method: method, path: path, form: form, expect: expect)
    }

    /// Business pages: every business account; administrators get the 403 page (三权分立).
    static let business: [HTTPStatus] = [ok, ok, ok, ok, ok, ok, e403, e403, toLogin]
    /// A page of unitA's project: another unit gets the 404 page, never a 403.
    static let seesProject: [HTTPStatus] = [ok, ok, ok, e404, ok, ok, e403, e403, toLogin]

    static let rows: [WebMatrixRow] =
        [
            //                                                            drc  fin  unitA unitB vendor viewer adminSys adminAud anon
            row(.GET, "/login", [toLogin, toLogin, toLogin, toLogin, toLogin, toLogin, toLogin, toLogin, ok]),
            // Every caller in turn from one address: the 5th failure of one name there locks the pair (423).
            row(
                .POST, "/login", form: [("username", "nobody"), ("password", "wrong")],
                [e401, e401, e401, e401, .locked, .locked, .locked, .locked, .locked]),
            row(.GET, "/", [ok, ok, ok, ok, ok, ok, ok, ok, toLogin]),
            // Prometheus metrics only from loopback or with the token (MetricsAccess): the in-memory
            // tester has no peer, so everyone gets the page of a path that does not exist.
            row(.GET, "/metrics", [e404, e404, e404, e404, e404, e404, e404, e404, e404]),
        ] + accountRows + reportRows + [
            row(.GET, "/projects", business),
            row(.GET, "/projects.xlsx?planYear=2027", business),
            row(
                .GET, "/projects?q=%E9%A1%B9%E7%9B%AE&stage=constructing&tier=2&planYear=2027&overdue=true&sort=-investment&page=1",
                business),
            // A bad filter is a 400 page with its Chinese message, never a 500 — for anyone who may see the list.
            row(.GET, "/projects?stage=nope&tier=9&page=0", [e400, e400, e400, e400, e400, e400, e403, e403, toLogin]),
            // 风险评级: as the reports (vendors 403); a bad filter is the 400 page with its message.
            row(.GET, "/risks?level=5&page=1", [ok, ok, ok, ok, e403, ok, e403, e403, toLogin]),
            row(.GET, "/risks?level=9&page=0", [e400, e400, e400, e400, e403, e400, e403, e403, toLogin]),
        ] + projectPageRows + adminRows

    /// The administrators' pages (三权分立): each open only to the role that acts there; an unknown
    /// proposal or account is the 404 page to that role, and 403 to everyone else.
    static let adminRows: [WebMatrixRow] = {
        let none = "00000000-0000-4000-8000-000000000000"
        let others: [HTTPStatus] = [e403, e403, e403, e403, e403, e403]
        return [
            //                                                    adminSys adminAud anon
            row(.GET, "/admin/proposals/\(none)", others + [e404, e403, toLogin]),
            row(.POST, "/admin/proposals/\(none)/approve", others + [e403, e403, toLogin]),
            row(.POST, "/admin/proposals/\(none)/reject", others + [e403, e403, toLogin]),
            row(.GET, "/admin/users/\(none)", others + [e404, e403, toLogin]),
            row(.POST, "/admin/users/\(none)/unlock", others + [e403, e403, toLogin]),
            row(.POST, "/admin/users/\(none)/disable", others + [e404, e403, toLogin]),
            row(.POST, "/admin/users/\(none)/enable", others + [e404, e403, toLogin]),
            row(.POST, "/admin/users/\(none)/reset-totp", others + [e403, e403, toLogin]),
            row(.GET, "/admin/events", others + [e403, ok, toLogin]),
            row(.POST, "/admin/events/review", form: [("through", "999999999")], others + [e403, .conflict, toLogin]),
        ]
    }()

    /// The project page, its action forms, the declaration form and documents (W2).
    static let projectPageRows: [WebMatrixRow] = [
        //                                                            drc  fin  unitA unitB vendor viewer adminSys adminAud anon
        row(.GET, "/projects/new", business),
        // Units declare (303 to the new project); agencies, vendors and viewers are refused by ProjectCreation.
        row(
            .POST, "/projects",
            form: [
                ("name", "矩阵页面项目"), ("source", "unitDeclaration"), ("planYear", "2027"), ("category", "businessSystem"),
                ("totalInvestmentFen", "1000.00"), ("content", "建设内容"), ("goals", "建设目标"),
            ],
            [e403, e403, toLogin, toLogin, e403, e403, e403, e403, toLogin]),
        // 批量申报: the form and template for every business account; the upload is the units' (without a file, 400).
        row(.GET, "/projects/import", business),
        row(.GET, "/projects/import/template.xlsx", business),
        row(.POST, "/projects/import", [e403, e403, e400, e400, e403, e403, e403, e403, toLogin]),
        row(.GET, "/projects/{project}", seesProject),
        // Under construction: 申报 is the unit's (409 wrong stage), another agency's is 403, another unit 404.
        row(.POST, "/projects/{project}/actions/declare", [e403, e403, .conflict, e404, e403, e403, e403, e403, toLogin]),
        row(.POST, "/projects/{project}/actions/no-such-action", [e404, e404, e404, e404, e404, e404, e403, e403, toLogin]),
        // Only unit and DRC attach; a form without a file is 400 for them.
        row(.POST, "/projects/{project}/documents", form: [("kind", "other")], [e400, e403, e400, e404, e403, e403, e403, e403, toLogin]),
        row(.GET, "/projects/{project}/documents/1", seesProject),
        // A decision's PDF (DecisionDocumentTests has real ones): an unknown decision is the 404 page to
        // whoever may see the project, as the project page is; the public check is 404 to everyone.
        row(
            .GET, "/projects/{project}/decisions/00000000-0000-4000-8000-000000000000.pdf",
            [e404, e404, e404, e404, e404, e404, e403, e403, toLogin]),
        row(.GET, "/verify/00000000-0000-4000-8000-000000000000", [e404, e404, e404, e404, e404, e404, e404, e404, e404]),
    ]

    /// Activation (no session needed; its POST needs the activation form's own cookie-keyed CSRF
    /// value, which a session's value is not, so without the form it is 403 for everyone) and the
    /// password change (every signed-in account; a wrong current password is a 400 page).
    static let accountRows: [WebMatrixRow] = [
        //                                                            drc  fin  unitA unitB vendor viewer adminSys adminAud anon
        row(.GET, "/activate", [ok, ok, ok, ok, ok, ok, ok, ok, ok]),
        row(
            .POST, "/activate", form: [("code", "NOSUCHCODE"), ("newPassword", "Matrix-pass-1")],
            [e403, e403, e403, e403, e403, e403, e403, e403, e403]),
        row(.GET, "/account/password", [ok, ok, ok, ok, ok, ok, ok, ok, toLogin]),
        row(
            .POST, "/account/password", form: [("currentPassword", "not-the-password"), ("newPassword", "Matrix-pass-1")],
            [e400, e400, e400, e400, e400, e400, e400, e400, toLogin]),
        // 邮件提醒: every business account its own (no business mail for administrators); a malformed
        // address is a 400 page.
        row(.GET, "/account/mail", business),
        row(
            .POST, "/account/mail", form: [("address", "not-an-address"), ("delivery", "immediate")],
            [e400, e400, e400, e400, e400, e400, e403, e403, toLogin]),
    ]

    /// 统计报表 and its CSV files: units (their own projects) and agencies; vendors 403 (W3).
    static let reportRows: [WebMatrixRow] = [
        "/reports", "/reports/by-stage.csv", "/reports/by-unit.csv", "/reports/by-year.csv",
        "/reports/by-tier.csv", "/reports/overdue.csv", "/reports/by-stage.xlsx", "/reports/by-unit.xlsx", "/reports/by-year.xlsx",
        "/reports/by-tier.xlsx", "/reports/overdue.xlsx",
    ].map { path in
        row(.GET, path, [ok, ok, ok, ok, e403, ok, e403, e403, toLogin])
    }

    /// Ends the caller's session, so the test runs it last.
    static let logout = row(.POST, "/logout", [toLogin, toLogin, toLogin, toLogin, toLogin, toLogin, toLogin, toLogin, toLogin])
}
