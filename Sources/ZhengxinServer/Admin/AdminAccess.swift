import Vapor
import ZhengxinCore

extension Request {
    /// The caller, if it holds one of `roles`; otherwise 403, and the attempt is audited
    /// (GB/T 22239-2019 8.1.4.3: administrators' and others' attempts on administration are events).
    func administrator(_ roles: Set<Role>, action: String, refusal: String) async throws -> Actor {
        let actor = try caller()
        if !actor.roles.isDisjoint(with: roles) { return actor }
        await application.recordRefusal(
            AuditEvent(actor: actor, action: action, result: .forbidden, summary: refusal, clientAddress: clientAddress))
        throw APIError.forbidden(refusal)
    }
}

/// An account as administrators see it: never the password hash or the TOTP secret.
struct AdminUserView: Content {
    var id: UUID
    var username: String
    var displayName: String
    var organisationId: UUID
    var organisationName: String
    var roles: [String]
    var active: Bool
    var lockedUntil: Int64?
    var totpEnrolled: Bool
    /// An activation code is in force: the holder has yet to set the password or enrol TOTP.
    var activationPending: Bool
    /// Masked (138****5678, 4101**********1234): enough to tell people apart (UserPersonalData).
    var phone: String?
    var idNumber: String?

    init(_ user: UserModel, _ security: AccountSecurityModel?, personal: UserPersonalData.Values? = nil, activationPending: Bool = false)
        throws
    {
        id = try user.requireID()
        username = user.username
        displayName = user.displayName
        organisationId = user.$organisation.id
        organisationName = user.$organisation.value?.name ?? ""
        roles = user.roleSet.map(\.rawValue).sorted()
        active = user.active
        lockedUntil = security?.lockedUntil
        totpEnrolled = security?.totpSecret != nil
        self.activationPending = activationPending
        phone = personal?.masked.phone
        idNumber = personal?.masked.idNumber
    }
}

/// A freshly issued TOTP secret, shown once to the account's holder at activation (never to an administrator).
struct TOTPEnrolmentView: Content {
    var secret: String
    var uri: String

    init(secret: String, username: String) {
        self.secret = secret
        self.uri = TOTPCode.uri(secretBase32: secret, account: username)
    }
}
