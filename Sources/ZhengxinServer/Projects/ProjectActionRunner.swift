import Fluent
import Vapor
import ZhengxinCore

/// The one path of every project action: ask the core on a fresh read, store the answer and its
/// audit entry in one write transaction. A refusal writes nothing but its own audit entry,
/// afterwards, in a transaction of its own.
///
/// The read, the decision, encoding the record, the diff and sealing the entry are done BEFORE the
/// write lock (SQLite has one writer, so the locked part must be short); the write stores the
/// record only if the row still has the version decided on (ProjectVersioning.store), so a lost
/// update stays impossible. When the row moved on, the action is decided once more inside the write
/// lock, where no writer that takes the gate and the lock can move it. The store is group-committed
/// (GroupCommit) with the other actions waiting for the lock at the same moment.
enum ProjectActionRunner {
    struct Outcome: Sendable {
        var record: ProjectRecord
        /// `record` as JSON in the clear, made with its stored text (ProjectRecordStorage.encoded), for the answer.
        var recordJSON: [UInt8]
        var summary: String
        var policy: Policy
    }

    private enum Answer: Sendable {
        case done(Outcome)
        case refused([Violation])
        case forbidden(String)
    }

    /// An accepted action ready to store: everything that does not depend on the audit chain head.
    private struct Change: Sendable {
        /// The row as read and decided on, and the row once the answer is written.
        var stored: ProjectRow
        var row: ProjectRow
        var now: Instant
        var outcome: Outcome
        /// The audit event as stored (sealed for a 涉密 project).
        var event: AuditEvent
        /// The diff's after text in the clear, for the signed decision document.
        var decision: String
        /// The project's sharing row when the action moved it (ProjectSharingRow), else nil.
        var sharing: ProjectSharingRow?
        /// The project's contracted parties when the action moved them (ProjectParties), else nil.
        var parties: ProjectParties?
        /// Whether the action moved 查重's texts of the project or its 涉密 flag (ProjectReviewText).
        var reviewText: Bool
        /// The record the action was decided on, for the mail it causes (ActionMail).
        var before: ProjectRecord
        /// The rating of the record the action leaves (ProjectRiskStore), unless the stored rating already
        /// says the same (ProjectRiskStore.holds): then nil, and the stored one stands.
        var risk: ProjectRiskRow?
        /// What waits on whom when the action moved it (ProjectWaitingStore.moved), else nil.
        var waiting: [ProjectWaitingRow]?
    }

    private enum Decided: Sendable {
        case accepted(Change)
        case settled(Answer)
    }

    typealias Decide = @Sendable (ProjectRecord, DecisionContext) -> Decision

    static func run(
        _ action: String, on id: UUID, by actor: Actor, at now: Instant, client: String, app: Application,
        decide: @escaping Decide
    ) async throws -> Outcome {
        let attempt = { @Sendable (db: Database) async throws -> Decided in
            try await Self.decided(action, on: id, by: actor, at: now, client: client, on: db, decide)
        }
        let answer: Answer = try await ProjectVersioning.retryingOnce(
            optimistic: {
                switch try await attempt(app.db) {
                case .settled(let answer): return answer
                case .accepted(let change):
                    return try await app.groupCommitted { db in try await store(change, action: action, app: app, on: db) }
                }
            },
            locked: {
                try await app.writeTransaction { db in
                    switch try await attempt(db) {
                    case .settled(let answer): return answer
                    case .accepted(let change): return try await store(change, action: action, app: app, on: db)
                    }
                }
            })
        switch answer {
        case .done(let outcome):
            app.operationsMetrics.action(action, .accepted)
            return outcome
        case .forbidden(let reason):
            app.operationsMetrics.action(action, .forbidden)
            await app.recordRefusal(
                AuditEvent(actor: actor, action: action, projectId: id, result: .forbidden, summary: reason, clientAddress: client))
            throw APIError.forbidden(reason)
        case .refused(let violations):
            app.operationsMetrics.action(action, .refused, violations: violations)
            await app.recordRefusal(
                AuditEvent(
                    actor: actor, action: action, projectId: id, result: .refused,
                    summary: "操作被拒绝", violations: violations, clientAddress: client))
            throw APIError.refused(violations)
        }
    }

    /// Reads the project, asks the core and, when it accepts, prepares the row and the audit event.
    private static func decided(
        _ action: String, on id: UUID, by actor: Actor, at now: Instant, client: String,
        on db: Database, _ decide: Decide
    ) async throws -> Decided {
        let (stored, record) = try await ProjectQueries.visible(id, to: actor, on: db)
        let policy = try await PolicyStore.book(on: db).governing(record, today: now.beijingDate)
        switch decide(record, DecisionContext(actor: actor, now: now, policy: policy)) {
        case .forbidden(let reason):
            return .settled(.forbidden(reason))
        case .refused(let violations):
            return .settled(.refused(violations))
        case .accepted(let next, let summary):
            let encoded = try ProjectRecordStorage.encoded(next)
            if let refusal = ProjectRecordStorage.outgrown(encoded.stored, from: stored.record, by: actor) {
                return .settled(.refused([refusal]))
            }
            let row = ProjectRow(
                next, stored: encoded.stored, policy: policy, at: now, version: stored.version + 1, overdueMarks: stored.overdueMarks)
            let diff = AuditDiff.summarize(before: record, after: next)
            // The row as `store` leaves it, bound to the entry; the store writes it only at `stored.version`,
            // so in a group commit too the row that commits is the one digested here.
            let state = ProjectStateDigest.of(row)
            let event = try AuditConfidentiality.protect(
                AuditEvent(
                    actor: actor, action: action, projectId: id, result: .accepted, summary: summary,
                    before: diff.before, after: diff.after, clientAddress: client, state: state),
                classified: next.classified)
            let sharing = ProjectSharingRow(next)
            let parties = ProjectParties(next)
            let risk = ProjectRiskRow(next, today: now.beijingDate, policy: policy)
            return .accepted(
                Change(
                    stored: stored, row: row, now: now,
                    outcome: Outcome(record: next, recordJSON: encoded.clear, summary: summary, policy: policy),
                    event: event, decision: diff.after, sharing: sharing == ProjectSharingRow(record) ? nil : sharing,
                    parties: parties == ProjectParties(record) ? nil : parties,
                    reviewText: ProjectReviewText.moved(from: record, to: next),
                    before: record, risk: try await ProjectRiskStore.holds(risk, on: db) ? nil : risk,
                    waiting: ProjectWaitingStore.moved(from: record, to: next, policy: policy, now: now)))
        }
    }

    /// Inside the write transaction: the row (if still at the expected version), the audit entry, the
    /// signature, the mail the action causes.
    private static func store(_ change: Change, action: String, app: Application, on db: Database) async throws -> Answer {
        try await ProjectVersioning.store(change.row, over: change.stored, on: db)
        try await change.sharing?.store(on: db)
        try await change.parties?.store(on: db)
        if change.reviewText { try await ProjectReviewText.store(change.outcome.record, on: db) }
        if let risk = change.risk { try await ProjectRiskStore.record(risk, cause: action, at: change.now, on: db) }
        if let waiting = change.waiting {
            try await ProjectWaitingStore.store(waiting, of: change.outcome.record.id, at: change.now, on: db)
        }
        if let evaluation = ProjectEvaluationRow(change.outcome.record), evaluation != ProjectEvaluationRow(change.before) {
            try await evaluation.store(on: db)
        }
        let entry = try await AuditRecorder.append(protected: change.event, at: change.now, on: db)
        if DecisionSigner.signedActions.contains(action), let actor = change.event.actor {
            try await DecisionSigner.sign(
                action: action, project: change.outcome.record, decision: change.decision, actor: actor, audit: entry,
                dataDirectory: app.zhengxin.config.dataDirectory, on: db)
        }
        try await ActionMail.enqueue(
            action: action, before: change.before, after: change.outcome.record, summary: change.outcome.summary,
            policy: change.outcome.policy, base: app.zhengxin.config.authentication.publicOrigin ?? "",
            at: change.now.secondsSinceEpoch, on: db)
        return .done(change.outcome)
    }
}

/// An audit entry as the API shows it.
struct AuditEntryView: Content {
    var seq: Int64
    var at: Int64
    var actorName: String
    var actorUserId: UUID?
    var organisationType: String
    var roles: String
    var action: String
    var projectId: UUID?
    var result: String
    var summary: String
    var before: String
    var after: String
    var violations: String
    var clientAddress: String
    var hash: String
    var prevHash: String

    init(_ e: AuditEntryModel) {
        seq = e.seq
        at = e.at
        actorName = e.actorName
        actorUserId = e.actorUserId
        organisationType = e.organisationType
        roles = e.roles
        action = e.action
        projectId = e.projectId
        result = e.result
        summary = e.summary
        before = e.before
        after = e.after
        violations = e.violations
        clientAddress = e.clientAddress
        hash = e.hash
        prevHash = e.prevHash
    }
}
