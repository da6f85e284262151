import Vapor
import ZhengxinCore

/// 三权分立 (GB/T 22239-2019 8.1.4.4): the system, security and audit administrators see no
/// business data on any channel. The pages refuse them (RequireBusinessCaller); this does the same
/// for every route of the API behind the bearer check, in one place and closed by default: an
/// administrator reaches only the routes listed in `openToAdministrators` (their own account,
/// the administration routes, and the reference lists administration needs). Every other route,
/// including any added later, answers an administrator 403 `ADMIN_NO_BUSINESS`, audited.
struct AdministratorScope: AsyncMiddleware {
    static let code = "ADMIN_NO_BUSINESS"
    static let message = "三权分立: 系统管理员、安全管理员和审计管理员不办理业务,也不查看业务数据(项目、文档、决定、年度计划、待办、逾期、共享、目录、报表)"

    /// Route paths below /api/v1 an administrator may use; `admin` covers everything under /api/v1/admin.
    /// `organisations` is the list the system administrator picks an account's organisation from;
    /// `policies` are the security administrator's policy versions; `signing-keys` the public key
    /// registry (no business data), which the security administrator rotates and the audit
    /// administrator verifies decisions against.
    static let openToAdministrators: Set<String> = [
        "auth/logout", "me", "me/personal", "me/password", "organisations", "policies", "signing-keys",
    ]

    static func isOpenToAdministrators(_ route: Route?) -> Bool {
        guard let route else { return false }
        let parts = route.path.map(\.description)
        guard parts.count > 2, parts[0] == "api", parts[1] == "v1" else { return false }
        let below = parts.dropFirst(2)
        return below.first == "admin" || openToAdministrators.contains(below.joined(separator: "/"))
    }

    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        if let actor = request.auth.get(AuthenticatedUser.self)?.actor, actor.roles.contains(where: \.isAdministrator),
            !Self.isOpenToAdministrators(request.route)
        {
            await request.application.recordRefusal(
                AuditEvent(
                    actor: actor, action: "admin-business-refused", result: .forbidden,
                    summary: "三权分立: 管理员访问业务接口被拒绝 \(request.method) \(request.url.path)",
                    clientAddress: request.clientAddress))
            throw APIError(status: .forbidden, code: Self.code, message: Self.message)
        }
        return try await next.respond(to: request)
    }
}
