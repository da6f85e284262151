import Fluent
import Foundation
import SQLKit
import Vapor

/// Sends the outbox. A pass claims due rows under a token of its own (the claim counts the attempt
/// and moves the next attempt a lease away). Right before each message it renews the claim and
/// reads the recipient as they are now; a row whose claim another worker took meanwhile is not
/// sent, and only the claim's holder marks a row sent, due again after an exponential back-off,
/// or failed. So two servers never send one row twice. A process that dies between a send and its
/// mark sends the row again after the lease; the Message-ID is the row's, so the receiver can
/// tell it is the same mail.
enum MailWorker {
    static let batch = 50
    static let maxAttempts = 8
    /// Far beyond one message's send (SMTPSettings.timeoutSeconds), renewed before each message.
    static let leaseSeconds: Int64 = 600

    /// 1 min × 2^(n−1) after the n-th failed attempt, at most 6 h.
    static func backoffSeconds(afterAttempt n: Int) -> Int64 {
        min(60 << Int64(min(max(n - 1, 0), 20)), 6 * 3600)
    }

    struct Outcome: Equatable, Sendable {
        var sent = 0
        var retried = 0
        var failed = 0
        var cancelled = 0
    }

    /// One pass: claims at most `batch` due rows (and the rest of a claimed recipient's due digest)
    /// and sends them, a recipient's digest rows as one message (MailDigest).
    @discardableResult
    static func runOnce(_ app: Application, settings: SMTPSettings) async throws -> Outcome {
        let token = UUID().uuidString
        let claimed = try await claim(app, token: token)
        var outcome = Outcome()
        for group in MailDigest.grouped(claimed) {
            guard let first = group.first else { continue }
            let ids = try group.map { try $0.requireID() }
            let attempts = group.map(\.attempts).max() ?? 1
            let address: String
            switch try await renew(app, ids: ids, userId: first.userId, token: token) {
            case .lost: continue
            case .cancelled:
                outcome.cancelled += 1
                continue
            case .send(let current): address = current
            }
            do {
                let (subject, body) = MailDigest.content(group)
                let message = SMTPMessage(
                    from: settings.from, to: address, subject: subject, body: body, messageId: MailOutboxModel.messageId(ids[0]),
                    date: Date(timeIntervalSince1970: TimeInterval(first.createdAt)))
                try await SMTPClient.send(message, with: settings, on: app.blockingWork)
                let now = app.zhengxin.now().secondsSinceEpoch
                try await app.writeTransaction { db in
                    try await held(ids, token, on: db).set(\.$status, to: MailOutboxModel.Status.sent.rawValue)
                        .set(\.$sentAt, to: now).set(\.$lastError, to: nil).update()
                }
                outcome.sent += 1
            } catch {
                let now = app.zhengxin.now().secondsSinceEpoch
                let permanent = (error as? SMTPError)?.isPermanent == true || error is UnsafeHeaderValue
                let givesUp = attempts >= maxAttempts || permanent
                let next = now + backoffSeconds(afterAttempt: attempts)
                let text = String(String(describing: error).prefix(500))
                try await app.writeTransaction { db in
                    try await held(ids, token, on: db)
                        .set(\.$status, to: (givesUp ? MailOutboxModel.Status.failed : .pending).rawValue)
                        .set(\.$nextAttemptAt, to: next).set(\.$lastError, to: text).update()
                }
                if givesUp { outcome.failed += 1 } else { outcome.retried += 1 }
                app.logger.warning("mail \(ids[0]) (\(ids.count) rows) attempt \(attempts) failed: \(text)")
            }
        }
        return outcome
    }

    /// The rows of `ids` still pending under this pass's claim.
    private static func held(_ ids: [UUID], _ token: String, on db: Database) -> QueryBuilder<MailOutboxModel> {
        MailOutboxModel.query(on: db).filter(\.$id ~~ ids).filter(\.$claim == token)
            .filter(\.$status == MailOutboxModel.Status.pending.rawValue)
    }

    enum Renewal: Equatable {
        /// Send to this address, the recipient's current one.
        case send(String)
        /// Another worker holds a row now: leave the group to it.
        case lost
        /// The recipient removed the address, chose 不发送, was disabled or became an administrator.
        case cancelled
    }

    /// Renews the claim on `ids` for one more lease and reads where `userId` wants mail now.
    static func renew(_ app: Application, ids: [UUID], userId: UUID, token: String) async throws -> Renewal {
        let now = app.zhengxin.now().secondsSinceEpoch
        return try await app.writeTransaction { db in
            let sql = db as! any SQLDatabase
            let lock = sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
            let held = try await sql.raw(
                """
                SELECT id FROM mail_outbox WHERE id IN (\(binds: ids)) AND claim = \(bind: token) \
                AND status = \(bind: MailOutboxModel.Status.pending.rawValue)\(unsafeRaw: lock)
                """
            ).all()
            guard held.count == ids.count else { return .lost }
            let recipient = try await MailAddresses.recipients(userIds: [userId], on: db).first
            guard let recipient else {
                try await MailOutboxModel.query(on: db).filter(\.$id ~~ ids)
                    .set(\.$status, to: MailOutboxModel.Status.cancelled.rawValue)
                    .set(\.$lastError, to: "收件人已删除提醒邮箱、选择不发送或账号已停用").update()
                return .cancelled
            }
            try await MailOutboxModel.query(on: db).filter(\.$id ~~ ids).set(\.$nextAttemptAt, to: now + leaseSeconds).update()
            return .send(try AtRest.open(recipient.sealed))
        }
    }

    /// Takes the due rows in next-attempt order (index `mail_outbox_due`), then the rest of the due
    /// digest rows of the recipients among them, so a digest goes out whole; on PostgreSQL rows
    /// another server holds are skipped, not waited for.
    static func claim(_ app: Application, token: String) async throws -> [MailOutboxModel] {
        let now = app.zhengxin.now().secondsSinceEpoch
        return try await app.writeTransaction { db in
            let sql = db as! any SQLDatabase
            let lock = sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
            let pending = MailOutboxModel.Status.pending.rawValue
            let due = try await PlainRows.all(
                SQLQueryString(
                    """
                    SELECT id, user_id, digest FROM mail_outbox WHERE status = \(bind: pending) \
                    AND next_attempt_at <= \(bind: now) ORDER BY next_attempt_at, id LIMIT \(unsafeRaw: String(batch))\(unsafeRaw: lock)
                    """), on: db)
            var ids = try due.map { try $0.uuid(0) }
            guard !ids.isEmpty else { return [] }
            let digestUsers = Set(try due.filter { try $0.bool(2) }.map { try $0.uuid(1) })
            if !digestUsers.isEmpty {
                let rest = try await PlainRows.all(
                    SQLQueryString(
                        """
                        SELECT id FROM mail_outbox WHERE status = \(bind: pending) AND next_attempt_at <= \(bind: now) \
                        AND digest = \(bind: true) AND user_id IN (\(binds: Array(digestUsers))) AND id NOT IN (\(binds: ids))\(unsafeRaw: lock)
                        """), on: db)
                ids += try rest.map { try $0.uuid(0) }
            }
            var rows: [MailOutboxModel] = []
            for chunk in ids.chunks(of: BatchInsert.rowsPerStatement) {
                try await sql.update(MailOutboxModel.schema).set(SQLIdentifier("attempts"), to: SQLRaw("attempts + 1"))
                    .set("next_attempt_at", to: SQLBind(now + leaseSeconds)).set("claim", to: SQLBind(token))
                    .where("id", .in, SQLBind.ids(chunk)).run()
                rows += try await MailOutboxModel.query(on: db).filter(\.$id ~~ Array(chunk)).all()
            }
            return rows.sorted { ($0.createdAt, $0.id?.uuidString ?? "") < ($1.createdAt, $1.id?.uuidString ?? "") }
        }
    }

    /// Rows not yet sent nor given up (the /metrics gauge, the tests).
    static func depth(on db: Database) async throws -> Int {
        try await MailOutboxModel.query(on: db).filter(\.$status == MailOutboxModel.Status.pending.rawValue).count()
    }

    /// Pending and failed rows (the /metrics gauges), each an index range of mail_outbox_due.
    static func counts(on db: Database) async throws -> (pending: Int, failed: Int) {
        let failed = try await MailOutboxModel.query(on: db).filter(\.$status == MailOutboxModel.Status.failed.rawValue).count()
        return (try await depth(on: db), failed)
    }
}

/// Runs the worker in a serving process while SMTP is configured: a pass every `interval`.
struct MailLifecycle: LifecycleHandler {
    final class Box: @unchecked Sendable { var task: Task<Void, Never>? }
    let box = Box()
    let settings: SMTPSettings
    var interval: Duration = .seconds(30)

    func didBootAsync(_ app: Application) async throws {
        guard DailyScanLifecycle.isServing(app.environment.arguments) else { return }
        let settings = settings
        let interval = interval
        box.task = Task {
            while !Task.isCancelled {
                do {
                    let o = try await MailWorker.runOnce(app, settings: settings)
                    if o != MailWorker.Outcome() { app.logger.info("mail: \(o.sent) sent, \(o.retried) to retry, \(o.failed) given up") }
                } catch {
                    app.logger.error("mail worker failed: \(String(describing: error))")
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        box.task?.cancel()
    }
}
