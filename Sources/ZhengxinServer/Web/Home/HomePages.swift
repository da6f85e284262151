import Vapor
import ZhengxinCore

/// GET /: the home page for the caller's role — a unit's projects and what each needs next; an
/// agency's queue, overdue items and recent activity; a vendor's contracted projects (VendorHomePage);
/// an administrator's pending matters and functions (AdminHomeQueue; 三权分立: no business page).
struct HomePages {
    static let shown = 10

    func register(_ pages: RoutesBuilder) {
        pages.get(use: home)
    }

    func home(_ req: Request) async throws -> Response {
        let user = try req.webUser()
        if user.isAdministrator {
            return try await WebPages.render("home-admin", title: "首页", page: AdminHomeQueue.page(user, limit: Self.shown, req), req)
        }
        let actor = try req.caller()
        if actor.organisationType == .vendor {
            return try await WebPages.render("home-vendor", title: "首页", page: VendorHomePage.make(actor, limit: Self.shown, req), req)
        }
        var home = BusinessHome(role: actor.organisationType.rawValue)
        // What the caller may see, read once for the page's three lists.
        let scope = try await ProjectListing.scope(for: actor, on: req)
        switch actor.organisationType {
        case .unit, .vendor:
            (home.projects, home.projectTotal) = try await HomeQueries.ownProjects(actor, scope: scope, limit: Self.shown, req)
        case .drc, .fin, .bdb, .aud:
            home.activity = try await HomeQueries.recentActivity(actor, limit: 15, req)
        }
        if actor.organisationType != .vendor {
            let queue = try await HomeQueue.waiting(actor, scope: scope, limit: Self.shown, req)
            (home.queue, home.queueFound, home.queueMore) = (queue.lines, queue.found, queue.found > queue.lines.count)
            home.queueShown = queue.lines.count
        }
        (home.overdue, home.overdueTotal) = try await HomeQueries.overdue(actor, scope: scope, limit: Self.shown, req)
        // Leaf counts an empty list as true: the template asks these instead.
        (home.hasProjects, home.hasQueue) = (!home.projects.isEmpty, !home.queue.isEmpty)
        (home.hasOverdue, home.hasActivity) = (!home.overdue.isEmpty, !home.activity.isEmpty)
        home.isUnit = actor.organisationType == .unit
        home.isAgency = actor.organisationType.seesAllProjects
        (home.showsQueue, home.showsProjects) = (actor.organisationType != .vendor, !home.isAgency)
        return try await WebPages.render("home", title: "首页", page: home, req)
    }
}

struct BusinessHome: Encodable {
    var role: String
    var isUnit = false
    var isAgency = false
    var showsQueue = false, showsProjects = false
    var projects: [HomeQueries.ProjectLine] = []
    var projectTotal = 0
    var queue: [HomeQueue.Line] = []
    var queueFound = 0
    var queueMore = false
    var queueShown = 0
    var overdue: [HomeQueries.Overdue] = []
    var overdueTotal = 0
    var activity: [HomeQueries.Activity] = []
    var hasProjects = false, hasQueue = false, hasOverdue = false, hasActivity = false
}

/// 三权分立: an administrator's home lists its own functions (the admin API); no business page.
struct AdminHome: Encodable {
    struct Function: Encodable { var method: String; var path: String; var purpose: String }
    var functions: [Function]

    static func `for`(_ user: WebUser) -> AdminHome {
        var f: [Function] = []
        if user.roles.contains(Role.systemAdmin.rawValue) {
            f += [
                Function(method: "GET/POST", path: "/api/v1/admin/users", purpose: "查看、新建用户账号(返回一次性激活码,由本人设置密码;管理员账号仅提出申请,待安全管理员批准)"),
                Function(method: "GET", path: "/api/v1/admin/account-proposals", purpose: "查看新建账号申请"),
                Function(method: "POST", path: "/api/v1/admin/users/{id}/disable", purpose: "停用账号(管理员账号由运维人员办理)"),
                Function(method: "POST", path: "/api/v1/admin/users/{id}/enable", purpose: "启用已停用的账号"),
                Function(method: "POST", path: "/api/v1/admin/organisations", purpose: "新建机构"),
            ]
        }
        if user.roles.contains(Role.securityAdmin.rawValue) {
            f += [
                Function(method: "GET", path: "/api/v1/admin/users", purpose: "查看用户账号"),
                Function(method: "POST", path: "/api/v1/admin/users/{id}/unlock", purpose: "解除账号锁定"),
                Function(method: "POST", path: "/api/v1/admin/users/{id}/reset-totp", purpose: "重置动态口令(返回激活码,本人凭激活码和当前密码重新绑定)"),
                Function(method: "GET", path: "/api/v1/admin/account-proposals", purpose: "查看新建账号申请"),
                Function(method: "POST", path: "/api/v1/admin/account-proposals/{id}/approve 或 reject", purpose: "批准(返回激活码后半部分)或驳回新建账号申请"),
                Function(method: "POST", path: "/api/v1/policies", purpose: "发布政策版本(县(市、区)办法或修订)"),
            ]
        }
        if user.roles.contains(Role.auditAdmin.rawValue) {
            f += [
                Function(
                    method: "GET", path: "/api/v1/admin/audit?projectId=&actorUserId=&action=&page=&perPage=&before=", purpose: "查阅审计记录"),
                Function(method: "命令行", path: "zhengxin audit-verify", purpose: "校验审计记录哈希链"),
            ]
        }
        return AdminHome(functions: f)
    }
}
