import Crypto
import Fluent
import Vapor
import ZhengxinCore

/// The caller, once its bearer token checks out.
struct AuthenticatedUser: Authenticatable, Sendable {
    var actor: Actor
    var username: String
}

extension Request {
    /// The authenticated caller; 401 in the error shape otherwise.
    func caller() throws -> Actor {
        guard let user = auth.get(AuthenticatedUser.self) else { throw APIError.unauthenticated }
        return user.actor
    }
}

enum TokenDigest {
    static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Bearer tokens: looked up by digest, refused once expired or when the account is disabled.
struct BearerSessionAuthenticator: AsyncBearerAuthenticator {
    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        let digest = TokenDigest.sha256Hex(bearer.token)
        guard let session = try await SessionTokenModel.query(on: request.db).filter(\.$tokenHash == digest).first(),
              session.expiresAt > request.now.secondsSinceEpoch else { return }
        guard let user = try await UserModel.query(on: request.db).with(\.$organisation).filter(\.$id == session.$user.id).first(),
              user.active else { return }
        request.auth.login(AuthenticatedUser(actor: try ActorLoader.actor(for: user), username: user.username))
    }
}

/// Requires an authenticated caller on every route it guards.
struct RequireCaller: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        _ = try request.caller()
        return try await next.respond(to: request)
    }
}

enum ActorLoader {
    static func actor(for user: UserModel) throws -> Actor {
        Actor(userId: try user.requireID(), displayName: user.displayName, organisationId: user.$organisation.id,
              organisationType: user.organisation.organisationType, roles: user.roleSet,
              jurisdiction: user.organisation.jurisdiction)
    }
}
