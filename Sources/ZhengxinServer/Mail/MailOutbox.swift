import Fluent
import Foundation

/// One mail to send. Written in the transaction of the event that causes it, so a rolled-back
/// event leaves no mail; sent by `MailWorker`, which claims a row before sending it.
final class MailOutboxModel: Model, @unchecked Sendable {
    static let schema = "mail_outbox"

    /// `cancelled`: the recipient removed the address, chose 不发送 or left before it went out.
    enum Status: String { case pending, sent, failed, cancelled }

    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userId: UUID
    /// Personal data: sealed as in `mail_addresses`, opened only to send.
    @Field(key: "address_sealed") var addressSealed: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @Field(key: "link") var link: String
    /// What caused it: `reminder`, `overdue`, `urge`, `decision`, `answer`.
    @Field(key: "kind") var kind: String
    @Field(key: "created_at") var createdAt: Int64
    @Field(key: "status") var status: String
    @Field(key: "attempts") var attempts: Int
    @Field(key: "next_attempt_at") var nextAttemptAt: Int64
    @OptionalField(key: "sent_at") var sentAt: Int64?
    @OptionalField(key: "last_error") var lastError: String?
    /// Waits for the recipient's morning digest (MailDelivery.digest) and goes out in it.
    @Field(key: "digest") var digest: Bool
    /// The claim of the worker that holds the row (MailWorker): only it may mark the row.
    @OptionalField(key: "claim") var claim: String?

    init() {}

    init(userId: UUID, addressSealed: String, mail: MailContent, kind: String, at now: Int64, digest: Bool = false) {
        self.id = UUID()
        self.userId = userId
        self.addressSealed = addressSealed
        self.subject = mail.subject
        self.body = mail.body
        self.link = mail.link
        self.kind = kind
        self.createdAt = now
        self.status = Status.pending.rawValue
        self.attempts = 0
        self.nextAttemptAt = digest ? Self.digestTime(after: now) : now
        self.digest = digest
    }

    /// The rows of one mail for `recipients`, each as it wants to be told (`recipients` holds no one who wants none).
    static func rows(_ mail: MailContent, kind: String, for recipients: [MailRecipient], at now: Int64) -> [MailOutboxModel] {
        recipients.filter { $0.delivery != .off }.map {
            MailOutboxModel(userId: $0.userId, addressSealed: $0.sealed, mail: mail, kind: kind, at: now, digest: $0.delivery == .digest)
        }
    }

    /// The digest goes out at 08:00 Beijing time (UTC+8, no daylight saving), the first after `now`.
    static func digestTime(after now: Int64) -> Int64 {
        let beijing = now + 8 * 3600
        var send = beijing - ((beijing % 86_400) + 86_400) % 86_400 + 8 * 3600
        if send <= beijing { send += 86_400 }
        return send - 8 * 3600
    }

    /// The Message-ID of this row's mail, the same on every attempt: a receiver that got it once
    /// and sees it again (a send answered but not yet marked, then retried) can tell.
    static func messageId(_ id: UUID) -> String { "<\(id.uuidString.lowercased())@zhengxin.outbox>" }
}

extension MailOutboxModel: BulkRow {
    static let bulkColumns = [
        "id", "user_id", "address_sealed", "subject", "body", "link", "kind", "created_at", "status", "attempts",
        "next_attempt_at", "sent_at", "last_error", "digest",
    ]
    var bulkValues: [any Encodable & Sendable] {
        [id, userId, addressSealed, subject, body, link, kind, createdAt, status, attempts, nextAttemptAt, sentAt, lastError, digest]
    }
}

/// What a mail says: plain text, and the link to the page where the matter is handled.
struct MailContent: Sendable, Equatable {
    var subject: String
    var body: String
    var link: String
}
