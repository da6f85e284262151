import Vapor
import ZhengxinCore

/// GET /: the home page for the caller's role.
struct HomePages {
    func register(_ pages: RoutesBuilder) {
        pages.get(use: home)
    }

    func home(_ req: Request) async throws -> Response {
        let user = try req.webUser()
        if user.isAdministrator {
            return try await WebPages.render("home-admin", title: "首页", page: AdminHome.for(user), req)
        }
        let actor = try req.caller()
        let inbox = try await InboxController().items(for: actor, on: req.db) {
            $0.audience.split(separator: ",").contains(Substring(actor.organisationType.rawValue))
        }
        return try await WebPages.render("home", title: "首页", page: BusinessHome(inbox: inbox), req)
    }
}

struct BusinessHome: Encodable {
    var inbox: [InboxController.Item]
}

/// 三权分立: an administrator's home lists its own functions (the admin API); no business page.
struct AdminHome: Encodable {
    struct Function: Encodable { var method: String; var path: String; var purpose: String }
    var functions: [Function]

    static func `for`(_ user: WebUser) -> AdminHome {
        var f: [Function] = []
        if user.roles.contains(Role.systemAdmin.rawValue) {
            f += [Function(method: "GET/POST", path: "/api/v1/admin/users", purpose: "查看、新建用户账号"),
                  Function(method: "POST", path: "/api/v1/admin/users/{id}/disable", purpose: "停用账号"),
                  Function(method: "POST", path: "/api/v1/admin/organisations", purpose: "新建机构")]
        }
        if user.roles.contains(Role.securityAdmin.rawValue) {
            f += [Function(method: "GET", path: "/api/v1/admin/users", purpose: "查看用户账号"),
                  Function(method: "POST", path: "/api/v1/admin/users/{id}/unlock", purpose: "解除账号锁定"),
                  Function(method: "POST", path: "/api/v1/admin/users/{id}/reset-totp", purpose: "重置动态口令"),
                  Function(method: "POST", path: "/api/v1/policies", purpose: "发布政策版本(县(市、区)办法或修订)")]
        }
        if user.roles.contains(Role.auditAdmin.rawValue) {
            f += [Function(method: "GET", path: "/api/v1/admin/audit?projectId=&actorUserId=&action=&page=&per=", purpose: "查阅审计记录"),
                  Function(method: "命令行", path: "zhengxin audit-verify", purpose: "校验审计记录哈希链")]
        }
        return AdminHome(functions: f)
    }
}
