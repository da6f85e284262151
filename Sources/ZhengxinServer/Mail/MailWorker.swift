import Fluent
import Foundation
import SQLKit
import Vapor

/// Sends the outbox: claims due rows in a write transaction (the claim counts the attempt and moves
/// the next attempt a lease away, so no other worker takes the row meanwhile), sends each, then
/// marks it sent, or due again after an exponential back-off, or failed after `maxAttempts`.
/// A process that dies between a send and its mark sends the row again after the lease; the
/// Message-ID is the row's, so the receiver can tell it is the same mail.
enum MailWorker {
    static let batch = 50
    static let maxAttempts = 8
    static let leaseSeconds: Int64 = 600

    /// 1 min × 2^(n−1) after the n-th failed attempt, at most 6 h.
    static func backoffSeconds(afterAttempt n: Int) -> Int64 {
        min(60 << Int64(min(max(n - 1, 0), 20)), 6 * 3600)
    }

    struct Outcome: Equatable, Sendable {
        var sent = 0
        var retried = 0
        var failed = 0
    }

    /// One pass: claims at most `batch` due rows and sends them, a recipient's digest rows as one message (MailDigest).
    @discardableResult
    static func runOnce(_ app: Application, settings: SMTPSettings) async throws -> Outcome {
        let claimed = try await claim(app)
        var outcome = Outcome()
        for group in MailDigest.grouped(claimed) {
            guard let first = group.first, let last = group.last else { continue }
            let ids = try group.map { try $0.requireID() }
            let attempts = group.map(\.attempts).max() ?? 1
            do {
                let (subject, body) = MailDigest.content(group)
                let message = SMTPMessage(
                    from: settings.from, to: try AtRest.open(last.addressSealed), subject: subject, body: body,
                    messageId: MailOutboxModel.messageId(ids[0]), date: Date(timeIntervalSince1970: TimeInterval(first.createdAt)))
                try await SMTPClient.send(message, with: settings, on: app.threadPool)
                let now = app.zhengxin.now().secondsSinceEpoch
                try await app.writeTransaction { db in
                    try await MailOutboxModel.query(on: db).filter(\.$id ~~ ids).set(\.$status, to: MailOutboxModel.Status.sent.rawValue)
                        .set(\.$sentAt, to: now).set(\.$lastError, to: nil).update()
                }
                outcome.sent += 1
            } catch {
                let now = app.zhengxin.now().secondsSinceEpoch
                let givesUp = attempts >= maxAttempts || error is UnsafeHeaderValue
                let next = now + backoffSeconds(afterAttempt: attempts)
                let text = String(String(describing: error).prefix(500))
                try await app.writeTransaction { db in
                    try await MailOutboxModel.query(on: db).filter(\.$id ~~ ids)
                        .set(\.$status, to: (givesUp ? MailOutboxModel.Status.failed : .pending).rawValue)
                        .set(\.$nextAttemptAt, to: next).set(\.$lastError, to: text).update()
                }
                if givesUp { outcome.failed += 1 } else { outcome.retried += 1 }
                app.logger.warning("mail \(ids[0]) (\(ids.count) rows) attempt \(attempts) failed: \(text)")
            }
        }
        return outcome
    }

    /// Takes the due rows in next-attempt order (index `mail_outbox_due`); on PostgreSQL rows another
    /// server holds are skipped, not waited for.
    static func claim(_ app: Application) async throws -> [MailOutboxModel] {
        let now = app.zhengxin.now().secondsSinceEpoch
        return try await app.writeTransaction { db in
            let sql = db as! any SQLDatabase
            let lock = sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
            let ids = try await sql.raw(
                """
                SELECT id FROM mail_outbox WHERE status = \(bind: MailOutboxModel.Status.pending.rawValue) \
                AND next_attempt_at <= \(bind: now) ORDER BY next_attempt_at LIMIT \(unsafeRaw: String(batch))\(unsafeRaw: lock)
                """
            ).all().map { try $0.decode(column: "id", as: UUID.self) }
            guard !ids.isEmpty else { return [] }
            try await sql.update(MailOutboxModel.schema).set(SQLIdentifier("attempts"), to: SQLRaw("attempts + 1"))
                .set("next_attempt_at", to: SQLBind(now + leaseSeconds)).where("id", .in, SQLBind.ids(ids)).run()
            return try await MailOutboxModel.query(on: db).filter(\.$id ~~ ids).sort(\.$nextAttemptAt).all()
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
