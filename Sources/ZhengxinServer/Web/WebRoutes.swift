import Vapor

/// Every page route. The API stays under /api/v1; pages live at the root, signed in by the
/// `zx_session` cookie. Groups: `web` (cookie read, no sign-in needed), `pages` (signed in, CSRF on
/// every POST), `business` (pages but not for the three administrators, 三权分立).
/// W2 and W3 each add one line to register their controller on `business`.
enum WebRoutes {
    static func register(_ app: Application) throws {
        let web = app.grouped(WebSessionAuthenticator())
        let pages = web.grouped(RequireWebCaller(), WebCSRFMiddleware())
        let business = pages.grouped(RequireBusinessCaller())
        LoginPages().register(public: web, signedIn: pages)
        AccountPages().register(public: web, signedIn: pages, business: business)
        HomePages().register(pages)
        AdminPages().register(pages)
        ReportPages().register(business)
        ProjectPages().register(business, maxUploadBytes: app.zhengxin.config.maxUploadBytes)
        ProjectListPage().register(business)
        RiskListPage().register(business)  // 风险评级
        DecisionPages().register(public: web, business: business)
    }
}
