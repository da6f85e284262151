import Fluent
import Foundation
import SQLKit
import ZhengxinCore

/// An account's mail address for 邮件提醒, SM4-sealed like the other personal data (AtRest): a copy
/// of the database does not list who is reachable where.
final class MailAddressModel: Model, @unchecked Sendable {
    static let schema = "mail_addresses"

    @ID(custom: "user_id", generatedBy: .user) var id: UUID?
    @Field(key: "address_sealed") var addressSealed: String
    @Field(key: "updated_at") var updatedAt: Int64
    @Field(key: "delivery") var delivery: String

    init() {}
}

/// How an account wants 邮件提醒: each mail as it arises, the day's mails in one message in the
/// morning, or none (the in-app inbox still holds every reminder).
enum MailDelivery: String, CaseIterable, Codable, Sendable {
    case immediate, digest, off

    var chinese: String {
        switch self {
        case .immediate: return "立即发送"
        case .digest: return "每日汇总(次日8时)"
        case .off: return "不发送"
        }
    }
}

/// A recipient as the outbox is written for it: the account, its organisation, the address as
/// stored (sealed) and how it wants to be told.
struct MailRecipient: Sendable {
    var userId: UUID
    var orgId: UUID
    var sealed: String
    var delivery: MailDelivery
}

/// A refused mail address: it would break out of its header or SMTP command.
struct InvalidMailAddress: Error, Equatable {
    var address: String
}

enum MailAddresses {
    /// A plain `local@domain` address: printable ASCII without spaces, angle brackets, quotes or
    /// line breaks, so it can stand in a header and in `RCPT TO:<…>` as it is.
    static func validated(_ raw: String) throws -> String {
        let address = raw.trimmingCharacters(in: .whitespaces)
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        let allowed = address.unicodeScalars.allSatisfy {
            $0.value > 0x20 && $0.value < 0x7F && !"<>\"(),;:\\[]".unicodeScalars.contains($0)
        }
        guard allowed, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), address.utf8.count <= 254
        else { throw InvalidMailAddress(address: raw) }
        return address
    }

    /// Sets (or with nil, removes) the account's address; a new address keeps the delivery chosen
    /// before, else is mailed at once.
    static func set(_ address: String?, delivery: MailDelivery? = nil, for userId: UUID, at now: Int64, on db: Database) async throws {
        let before = try await MailAddressModel.find(userId, on: db)
        try await MailAddressModel.query(on: db).filter(\.$id == userId).delete()
        guard let address else { return }
        let row = MailAddressModel()
        row.id = userId
        row.addressSealed = try AtRest.seal(try validated(address))
        row.updatedAt = now
        row.delivery = (delivery ?? before.flatMap { MailDelivery(rawValue: $0.delivery) } ?? .immediate).rawValue
        try await row.create(on: db)
    }

    static func address(of userId: UUID, on db: Database) async throws -> String? {
        try await MailAddressModel.find(userId, on: db).map { try AtRest.open($0.addressSealed) }
    }

    /// The active business accounts of the organisations `orgIds` that have an address and want
    /// mail; the three administrators get no business mail (三权分立), whatever they once set.
    static func recipients(in orgIds: Set<UUID>, on db: Database) async throws -> [MailRecipient] {
        guard !orgIds.isEmpty else { return [] }
        return try await recipients(where: "u.organisation_id", in: Array(orgIds), on: db)
    }

    /// The same, of the accounts `userIds`: where each wants mail now (MailWorker, before sending).
    static func recipients(userIds: [UUID], on db: Database) async throws -> [MailRecipient] {
        guard !userIds.isEmpty else { return [] }
        return try await recipients(where: "u.id", in: userIds, on: db)
    }

    /// `column`: the account column `ids` are of ("u.id" or "u.organisation_id").
    private static func recipients(where column: String, in ids: [UUID], on db: Database) async throws -> [MailRecipient] {
        let query: SQLQueryString = """
            SELECT u.id, u.organisation_id, u.roles, m.address_sealed, m.delivery
            FROM users u JOIN mail_addresses m ON m.user_id = u.id
            WHERE u.active = \(bind: true) AND \(unsafeRaw: column) IN \(SQLBind.ids(ids)) AND m.delivery <> \(bind: MailDelivery.off.rawValue)
            """
        return try await PlainRows.all(query, on: db)
            .filter { row in
                let roles = (try? row.text(2)) ?? ""
                return !roles.split(separator: ",").contains { Role(rawValue: String($0))?.isAdministrator ?? false }
            }
            .map { row in
                MailRecipient(
                    userId: try row.uuid(0), orgId: try row.uuid(1), sealed: try row.text(3),
                    delivery: MailDelivery(rawValue: try row.text(4)) ?? .immediate)
            }
    }

    /// Of `recipients`, those who may see `record`: a 涉密 project's mail, even the one that names
    /// nothing, reaches only the accounts named on it (第十七条).
    static func allowed(_ recipients: [MailRecipient], toSee record: (classified: Bool, access: Set<UUID>)) -> [MailRecipient] {
        record.classified ? recipients.filter { record.access.contains($0.userId) } : recipients
    }
}
