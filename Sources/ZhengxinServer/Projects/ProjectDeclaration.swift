import Fluent
import Vapor
import ZhengxinCore

/// Creating projects (ProjectDraft → draft record), the one path the API, the declaration page and
/// the batch import share: numbered, stored and audited in one transaction; a refusal audited on its own.
enum ProjectDeclaration {
    struct Created: Sendable {
        var record: ProjectRecord
        var policy: Policy
    }

    static func create(_ draft: ProjectDraft, by actor: Actor, at now: Instant, client: String, app: Application) async throws -> Created {
        let (policy, ctx) = try await context(actor, now, app)
        do {
            let records = try await store([draft], ctx, policy: policy, client: client, app: app)
            return Created(record: records[0], policy: policy)
        } catch let refused as Refused {
            // A refused 涉密 draft's messages may quote what it holds: sealed like its project's entries.
            var event = AuditEvent(
                actor: actor, action: "create", projectId: nil, result: ProjectController.result(refused.refusal),
                summary: "新建项目被拒绝", violations: ProjectController.violations(refused.refusal), clientAddress: client)
            event.concernsClassified = draft.classified == true
            await app.recordRefusal(event)
            throw APIError.from(refused.refusal)
        }
    }

    /// A batch (ProjectBatch): every row checked first; all created in row order in one transaction, or
    /// none, the refusal audited once with every failing row and field.
    static func createAll(_ rows: [ProjectBatch.Row], by actor: Actor, at now: Instant, client: String, app: Application)
        async throws -> [Created]
    {
        let (policy, ctx) = try await context(actor, now, app)
        let refusal: ProjectBatch.Refusal
        switch ProjectBatch.check(rows, ctx) {
        case .success(let drafts):
            do {
                return try await store(drafts, ctx, policy: policy, client: client, app: app).map { Created(record: $0, policy: policy) }
            } catch let refused as Refused {
                switch refused.refusal {
                case .forbidden(let reason): refusal = .forbidden(reason)
                case .refused(let violations): refusal = .refused(violations)
                }
            }
        case .failure(let found): refusal = found
        }
        let violations: [Violation]
        let error: APIError
        switch refusal {
        case .forbidden(let reason):
            violations = []
            error = .forbidden(reason)
        case .refused(let found):
            violations = found
            error = ProjectImportError.refused(found)
        }
        var event = AuditEvent(
            actor: actor, action: "create", projectId: nil, result: violations.isEmpty ? .forbidden : .refused,
            summary: violations.isEmpty ? "批量申报被拒绝" : "批量申报被拒绝(\(ProjectImportError.rowList(violations)))",
            violations: violations, clientAddress: client)
        // Row messages may quote what a 涉密 row holds: sealed when any row says 涉密.
        event.concernsClassified = rows.contains { $0.cells["classified"]?.trimmingCharacters(in: .whitespacesAndNewlines) == "是" }
        await app.recordRefusal(event)
        throw error
    }

    private static func context(_ actor: Actor, _ now: Instant, _ app: Application) async throws -> (Policy, DecisionContext) {
        let policy = try await PolicyStore.book(on: app.db).inForce(jurisdiction: actor.jurisdiction, on: now.beijingDate)
        return (policy, DecisionContext(actor: actor, now: now, policy: policy))
    }

    /// Thrown inside the transaction so that nothing of a refused batch is kept.
    private struct Refused: Error {
        var refusal: ProjectCreation.CreationRefusal
    }

    /// Each draft numbered in order (ProjectCodes counts the rows this transaction already holds),
    /// stored with its sharing row and its own audit entry.
    private static func store(_ drafts: [ProjectDraft], _ ctx: DecisionContext, policy: Policy, client: String, app: Application)
        async throws -> [ProjectRecord]
    {
        let now = ctx.now
        return try await app.writeTransaction { db in
            var records: [ProjectRecord] = []
            for draft in drafts {
                let code = try await ProjectCodes.next(year: now.beijingDate.year, on: db)
                let record: ProjectRecord
                switch ProjectCreation.create(draft, id: UUID(), code: code, ctx) {
                case .success(let created): record = created
                case .failure(let refusal): throw Refused(refusal: refusal)
                }
                let row = try ProjectRow(record, policy: policy, at: now)
                try await BatchInsert.create(row, on: db)
                try await ProjectSharingRow(record).store(on: db)
                try await ProjectReviewText.store(record, on: db)
                try await ProjectRiskStore.record(
                    ProjectRiskRow(record, today: now.beijingDate, policy: policy), cause: "create", at: now, on: db)
                try await ProjectWaitingStore.insert(
                    ProjectWaitingRow.rows(record, policy: policy, now: now), since: { _ in now.secondsSinceEpoch }, on: db)
                let diff = AuditDiff.summarize(before: nil, after: record)
                try await AuditRecorder.append(
                    AuditEvent(
                        actor: ctx.actor, action: "create", projectId: record.id, result: .accepted,
                        summary: "新建项目「\(record.name)」(\(record.code))", before: diff.before, after: diff.after,
                        clientAddress: client, state: ProjectStateDigest.of(row)), at: now, on: db)
                records.append(record)
            }
            return records
        }
    }
}
