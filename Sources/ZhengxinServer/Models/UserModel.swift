import Fluent
import Foundation
import ZhengxinCore

/// A person's account. Passwords are stored only as bcrypt hashes.
package final class UserModel: Model, @unchecked Sendable {
    package static let schema = "users"

    @ID(key: .id) package var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "display_name") package var displayName: String
    @Field(key: "password_hash") var passwordHash: String
    @Parent(key: "organisation_id") var organisation: OrganisationModel
    /// Comma-separated `Role` raw values.
    @Field(key: "roles") var roles: String
    @Field(key: "active") var active: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    package init() {}

    package init(id: UUID? = nil, username: String, displayName: String, passwordHash: String, organisationId: UUID, roles: Set<Role>) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.$organisation.id = organisationId
        self.roles = roles.map(\.rawValue).sorted().joined(separator: ",")
        self.active = true
    }

    var roleSet: Set<Role> { Set(roles.split(separator: ",").compactMap { Role(rawValue: String($0)) }) }
}

/// A login session. Only the SHA-256 of the bearer token is stored.
final class SessionTokenModel: Model, @unchecked Sendable {
    static let schema = "session_tokens"

    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "expires_at") var expiresAt: Int64
    @Field(key: "created_at") var createdAt: Int64
    /// Last request made with this token, for the idle timeout (GB/T 22239-2019 8.1.4.1 b));
    /// nil on sessions from before it was tracked, which then count from `createdAt`.
    @OptionalField(key: "last_seen_at") var lastSeenAt: Int64?

    init() {}

    init(tokenHash: String, userId: UUID, createdAt: Int64, expiresAt: Int64) {
        self.tokenHash = tokenHash
        self.$user.id = userId
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
