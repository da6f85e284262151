import Fluent
import Vapor
import ZhengxinCore

/// POST /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/me.
struct AuthController {
    struct LoginResponse: Content { var token: String; var expiresAt: Int64; var user: MeResponse }
    struct MeResponse: Content {
        var id: UUID
        var username: String
        var displayName: String
        var organisationId: UUID
        var organisationName: String
        var organisationType: String
        var roles: [String]
    }

    func register(_ api: RoutesBuilder, protected: RoutesBuilder) {
        api.post("auth", "login", use: login)
        protected.post("auth", "logout", use: logout)
        protected.get("me", use: me)
    }

    func login(_ req: Request) async throws -> Response {
        do {
            let (user, token, expires) = try await LoginFlow.run(req)
            return try await LoginResponse(token: token, expiresAt: expires, user: try Self.view(user)).encodeResponse(for: req)
        } catch let refusal as LoginFlow.Refusal {
            return try Self.response(refusal)
        }
    }

    /// 423 or 429 in the one error shape, with `Retry-After` so a client knows when to come back.
    static func response(_ refusal: LoginFlow.Refusal) throws -> Response {
        let api = refusal.error
        let response = Response(status: api.status)
        try response.content.encode(ErrorBody(error: .init(code: api.code, message: api.message, violations: api.violations)))
        response.headers.replaceOrAdd(name: .contentType, value: "application/json; charset=utf-8")
        response.headers.replaceOrAdd(name: .retryAfter, value: String(refusal.retryAfterSeconds))
        return response
    }

    /// Ends the session and records who left (GB/T 22239-2019 8.1.4.3 a)).
    func logout(_ req: Request) async throws -> HTTPStatus {
        let actor = try req.caller()
        guard let bearer = req.headers.bearerAuthorization else { return .noContent }
        try await Self.endSession(token: bearer.token, of: actor, req)
        return .noContent
    }

    /// Deletes the session row and records the logout; the web's POST /logout ends its cookie the same way.
    static func endSession(token: String, of actor: Actor, _ req: Request) async throws {
        let (now, client) = (req.now, req.clientAddress)
        try await req.application.writeTransaction { db in
            try await SessionTokenModel.query(on: db).filter(\.$tokenHash == TokenDigest.sha256Hex(token)).delete()
            try await AuditRecorder.append(
                AuditEvent(actor: actor, action: "logout", result: .accepted, summary: "退出登录", clientAddress: client), at: now, on: db)
        }
    }

    func me(_ req: Request) async throws -> MeResponse {
        let actor = try req.caller()
        guard let user = try await UserModel.query(on: req.db).with(\.$organisation).filter(\.$id == actor.userId).first() else {
            throw APIError.unauthenticated
        }
        return try Self.view(user)
    }

    static func view(_ user: UserModel) throws -> MeResponse {
        MeResponse(
            id: try user.requireID(), username: user.username, displayName: user.displayName,
            organisationId: user.$organisation.id, organisationName: user.organisation.name,
            organisationType: user.organisation.type, roles: user.roleSet.map(\.rawValue).sorted())
    }
}
