import Fluent
import Vapor
import ZhengxinCore

/// Creating a project (ProjectDraft → draft record), the one path the API and the declaration
/// page share: numbered, stored and audited in one transaction; a refusal audited on its own.
enum ProjectDeclaration {
    struct Created: Sendable {
        var record: ProjectRecord
        var policy: Policy
    }

    static func create(_ draft: ProjectDraft, by actor: Actor, at now: Instant, client: String, app: Application) async throws -> Created {
        let policy = try await PolicyStore.book(on: app.db).inForce(jurisdiction: actor.jurisdiction, on: now.beijingDate)
        let ctx = DecisionContext(actor: actor, now: now, policy: policy)
        let outcome: Result<ProjectRecord, ProjectCreation.CreationRefusal> = try await app.writeTransaction { db in
            let code = try await ProjectCodes.next(year: now.beijingDate.year, on: db)
            let result = ProjectCreation.create(draft, id: UUID(), code: code, ctx)
            guard case .success(let record) = result else { return result }
            let row = try ProjectModel(record, policy: policy, at: now)
            try await BatchInsert.create(row, on: db)
            try await ProjectSharingRow(record).store(on: db)
            let diff = AuditDiff.summarize(before: nil, after: record)
            try await AuditRecorder.append(
                AuditEvent(
                    actor: actor, action: "create", projectId: record.id, result: .accepted,
                    summary: "新建项目「\(record.name)」(\(record.code))", before: diff.before, after: diff.after,
                    clientAddress: client, state: ProjectStateDigest.of(row)), at: now, on: db)
            return result
        }
        switch outcome {
        case .success(let record):
            return Created(record: record, policy: policy)
        case .failure(let refusal):
            // A refused 涉密 draft's messages may quote what it holds: sealed like its project's entries.
            var event = AuditEvent(
                actor: actor, action: "create", projectId: nil, result: ProjectController.result(refusal),
                summary: "新建项目被拒绝", violations: ProjectController.violations(refusal), clientAddress: client)
            event.concernsClassified = draft.classified == true
            await app.recordRefusal(event)
            throw APIError.from(refusal)
        }
    }
}
