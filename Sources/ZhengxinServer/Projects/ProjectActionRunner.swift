import Fluent
import Vapor
import ZhengxinCore

/// The one path of every project action: load under the write lock, ask the core, store the
/// answer and its audit entry in the same transaction. A refusal writes nothing but its own
/// audit entry, afterwards, in a transaction of its own.
enum ProjectActionRunner {
    struct Outcome: Sendable {
        var record: ProjectRecord
        var summary: String
        var policy: Policy
    }

    private enum Answer: Sendable {
        case done(Outcome)
        case refused([Violation])
        case forbidden(String)
    }

    static func run(_ action: String, on id: UUID, by actor: Actor, at now: Instant, client: String, app: Application,
                    decide: @escaping @Sendable (ProjectRecord, DecisionContext) -> Decision) async throws -> Outcome {
        let answer: Answer = try await ProjectVersioning.retryingOnce { try await app.writeTransaction { db in
            let (model, record) = try await ProjectQueries.visible(id, to: actor, on: db)
            let policy = try await PolicyStore.book(on: db).governing(record, today: now.beijingDate)
            let ctx = DecisionContext(actor: actor, now: now, policy: policy)
            switch decide(record, ctx) {
            case .forbidden(let reason):
                return .forbidden(reason)
            case .refused(let violations):
                return .refused(violations)
            case .accepted(let next, let summary):
                let expected = model.version
                try await ProjectVersioning.claimNext(id, expected: expected, on: db)
                try model.update(from: next, policy: policy, at: now)
                model.version = expected + 1
                try await model.update(on: db)
                let diff = AuditDiff.summarize(before: record, after: next)
                let entry = try await AuditRecorder.append(AuditEvent(actor: actor, action: action, projectId: id, result: .accepted, summary: summary,
                                                                      before: diff.before, after: diff.after, clientAddress: client), at: now, on: db)
                if DecisionSigner.signedActions.contains(action) {
                    try await DecisionSigner.sign(action: action, project: next, decision: diff.after, actor: actor, audit: entry,
                                                  dataDirectory: app.zhengxin.config.dataDirectory, on: db)
                }
                return .done(Outcome(record: next, summary: summary, policy: policy))
            }
        } }
        switch answer {
        case .done(let outcome):
            return outcome
        case .forbidden(let reason):
            await app.recordRefusal(AuditEvent(actor: actor, action: action, projectId: id, result: .forbidden, summary: reason, clientAddress: client))
            throw APIError.forbidden(reason)
        case .refused(let violations):
            await app.recordRefusal(AuditEvent(actor: actor, action: action, projectId: id, result: .refused,
                                               summary: "操作被拒绝", violations: violations, clientAddress: client))
            throw APIError.refused(violations)
        }
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
