import Crypto
import Fluent
import SQLKit
import Vapor
import ZhengxinCore
import ZhengxinCrypto

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
        // Hex.lowercase, not String(format:) per byte: this runs on every authenticated request.
        SHA256.hash(data: Data(text.utf8)).withUnsafeBytes { Hex.lowercase($0) }
    }
}

/// Bearer tokens: looked up by digest, refused once expired, idle too long (GB/T 22239-2019
/// 8.1.4.1 b) 连接超时自动退出) or when the account is disabled. A use moves the idle clock.
struct BearerSessionAuthenticator: AsyncBearerAuthenticator {
    /// The idle clock moves at most once a minute (a read must not become a write): a session
    /// used at 10:00:59 after a recorded 10:00:00 counts as last used at 10:00:00, so it ends up to
    /// this many seconds before the exact idle timeout, never after it.
    static let lastSeenGranularitySeconds: Int64 = 60

    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        guard let user = try await Self.user(forToken: bearer.token, request) else { return }
        request.auth.login(AuthenticatedUser(actor: try ActorLoader.actor(for: user), username: user.username))
    }

    /// The account behind a session token still in force, with its organisation; moves the idle
    /// clock. The web's cookie session (WebSessionAuthenticator) uses the same rules. Session, account
    /// and organisation are read in one query on every request, so a logout, a revoked session or a
    /// disabled account takes effect at once on every server.
    static func user(forToken token: String, _ request: Request) async throws -> UserModel? {
        let digest = TokenDigest.sha256Hex(token)
        let now = request.now.secondsSinceEpoch
        let idle = request.zhengxin.config.authentication.idleTimeoutSeconds
        // Read by position (PlainRows): Fluent's joined models are filled through reflection, too slow
        // for a lookup every request makes.
        guard let row = try await PlainRows.all(SessionLookup.self, [digest], on: request.db).first else { return nil }
        let lastSeen = try row.optionalInt64(10) ?? row.int64(9)
        guard try row.int64(8) > now, now - lastSeen <= idle, try row.bool(6) else { return nil }
        let organisation = OrganisationModel()
        organisation.id = try row.uuid(4)
        organisation.name = try row.text(11)
        organisation.type = try row.text(12)
        organisation.jurisdiction = try row.text(13)
        organisation.$id.exists = true
        let user = UserModel()
        user.id = try row.uuid(0)
        user.username = try row.text(1)
        user.displayName = try row.text(2)
        user.passwordHash = try row.text(3)
        user.roles = try row.text(5)
        user.active = true
        user.$organisation.id = organisation.id!
        user.$organisation.value = organisation
        user.$id.exists = true
        if now - lastSeen >= lastSeenGranularitySeconds {
            let id = try row.uuid(7)
            // Through the write gate: SQLite has one writer, and this must not race a transaction.
            let db = request.db
            try await request.application.zhengxin.writeGate.run {
                try await SessionTokenModel.query(on: db).filter(\.$id == id).set(\.$lastSeenAt, to: now).update()
            }
        }
        return user
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
        Actor(
            userId: try user.requireID(), displayName: user.displayName, organisationId: user.$organisation.id,
            organisationType: user.organisation.organisationType, roles: user.roleSet,
            jurisdiction: user.organisation.jurisdiction)
    }
}

/// A session token's session, account and organisation: the statement every request runs.
enum SessionLookup: PlainStatement {
    static let name = "session_lookup"
    static let sql = """
        SELECT u.id, u.username, u.display_name, u.password_hash, u.organisation_id, u.roles, u.active,
          s.id, s.expires_at, s.created_at, s.last_seen_at, o.name, o.type, o.jurisdiction
        FROM session_tokens s JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = u.organisation_id
        WHERE s.token_hash = $1
        """
}
