import Fluent
import Vapor
import ZhengxinCore

/// Stopping and restarting an account (停用/启用), with its audit entry in the same transaction:
/// the system administrator's API for business accounts, the server operator's CLI for any.
enum UserActivity {
    /// Disabling also ends every session of the account at once and voids its activation codes (a
    /// code handed to the wrong person is a reason to stop an account; enabling it again must not
    /// bring the code back). `actor` nil: the CLI, with the operator's rights.
    static func set(_ user: UserModel, active: Bool, by actor: Actor?, client: String, at now: Instant, app: Application) async throws {
        try await app.writeTransaction { db in
            user.active = active
            try await user.save(on: db)
            if !active {
                let id = try user.requireID()
                try await SessionTokenModel.query(on: db).filter(\.$user.$id == id).delete()
                try await AccountActivationModel.query(on: db).filter(\.$userId == id).delete()
            }
            try await AuditRecorder.append(
                AuditEvent(
                    actor: actor, action: active ? "enable-user" : "disable-user", result: .accepted,
                    summary: (active ? "启用用户 " : "停用用户 ") + user.username, clientAddress: client), at: now, on: db)
        }
    }
}
