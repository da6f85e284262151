import Fluent
import Vapor
import ZhengxinCore

/// /api/v1/annual-plans: DRC compiles a year's government investment plan from the reserve pool
/// and issues it (R-PLAN-1, 第八条).
struct AnnualPlanController {
    func register(_ routes: RoutesBuilder) {
        let plans = routes.grouped("annual-plans")
        plans.get(use: list)
        plans.post(use: compile)
        plans.get(":planId", use: show)
        plans.post(":planId", "issue", use: issue)
    }

    /// A plan as `actor` may read it: lines naming projects it may not see are left out (and counted
    /// for agencies when 涉密). Reads only the projects the plan names.
    static func scoped(_ plan: AnnualInvestmentPlan, for actor: Actor, on db: Database) async throws -> AnnualInvestmentPlan {
        let records = try await projects(plan.lines.map(\.projectId), on: db).mapValues { try $0.decoded() }
        return plan.scoped(for: actor, projects: records)
    }

    /// A page of the plans by year, read from (year, id); only the page's plans are decoded and
    /// scoped. The number of plans in `X-Total-Count`.
    func list(_ req: Request) async throws -> Response {
        let actor = try req.caller()
        let paging = try PageRequest.collection(req)
        let total = try await AnnualPlanModel.query(on: req.db).count()
        var plans: [AnnualInvestmentPlan] = []
        for model in try await AnnualPlanModel.query(on: req.db).sort(\.$year).sort(\.$id).range(paging.range).all() {
            plans.append(try await Self.scoped(try model.decoded(), for: actor, on: req.db))
        }
        return try await PageRequest.response(plans, total: total, for: req)
    }

    func show(_ req: Request) async throws -> AnnualInvestmentPlan {
        let actor = try req.caller()
        return try await Self.scoped(try await load(req, on: req.db).decoded(), for: actor, on: req.db)
    }

    func load(_ req: Request, on db: Database) async throws -> AnnualPlanModel {
        guard let id = req.parameters.get("planId").flatMap(UUIDText.parse),
            let model = try await AnnualPlanModel.find(id, on: db)
        else { throw APIError.notFound("年度计划") }
        return model
    }

    static func projects(_ ids: [UUID], on db: Database) async throws -> [UUID: ProjectRow] {
        Dictionary(uniqueKeysWithValues: try await ProjectRow.all(ids, on: db).map { ($0.id, $0) })
    }

    func compile(_ req: Request) async throws -> Response {
        let actor = try req.caller()
        let body = try JSONBody.decode(AnnualPlanRules.CompilePayload.self, req)
        let now = req.now
        let ctx = DecisionContext(
            actor: actor, now: now,
            policy: try await PolicyStore.book(on: req.db).inForce(jurisdiction: actor.jurisdiction, on: now.beijingDate))
        let result: (Result<AnnualInvestmentPlan, ProjectCreation.CreationRefusal>, classified: Bool) = try await req.application
            .writeTransaction { db in
                let models = try await Self.projects(body.lines.map(\.projectId), on: db)
                let records = try models.mapValues { try $0.decoded() }
                let classified = records.values.contains(where: \.classified)
                let result = AnnualPlanRules.compile(body, id: UUID(), projects: records, ctx)
                guard case .success(let plan) = result else { return (result, classified) }
                try await AnnualPlanModel(plan, sealed: classified).create(on: db)
                var event = AuditEvent(
                    actor: actor, action: "compile-annual-plan", projectId: nil, result: .accepted,
                    summary: "编制\(plan.year)年度政府投资计划「\(plan.title)」,\(plan.lines.count)个项目,合计\(plan.total.yuanText)",
                    after: (try? RecordJSON.text(plan)) ?? "{}", clientAddress: req.clientAddress)
                event.concernsClassified = classified
                try await AuditRecorder.append(event, at: now, on: db)
                return (result, classified)
            }
        switch result.0 {
        case .success(let plan):
            let response = Response(status: .created)
            try response.content.encode(try await Self.scoped(plan, for: actor, on: req.db))
            return response
        case .failure(let refusal):
            var event = AuditEvent(
                actor: actor, action: "compile-annual-plan", projectId: nil, result: ProjectController.result(refusal),
                summary: "编制年度计划被拒绝", violations: ProjectController.violations(refusal), clientAddress: req.clientAddress)
            event.concernsClassified = result.classified
            await req.application.recordRefusal(event)
            throw APIError.from(refusal)
        }
    }

    func issue(_ req: Request) async throws -> AnnualInvestmentPlan {
        let actor = try req.caller()
        let body = try JSONBody.decode(AnnualPlanRules.IssuePayload.self, req)
        let now = req.now
        let ctx = DecisionContext(
            actor: actor, now: now,
            policy: try await PolicyStore.book(on: req.db).inForce(jurisdiction: actor.jurisdiction, on: now.beijingDate))
        let result: (Result<AnnualInvestmentPlan, ProjectCreation.CreationRefusal>, classified: Bool) = try await req.application
            .writeTransaction { db in
                let planModel = try await self.load(req, on: db)
                let plan = try planModel.decoded()
                let models = try await Self.projects(plan.lines.map(\.projectId), on: db)
                let records = try models.mapValues { try $0.decoded() }
                let classified = records.values.contains(where: \.classified)
                let book = try await PolicyStore.book(on: db)
                switch AnnualPlanRules.issue(body, plan: plan, projects: records, ctx) {
                case .failure(let refusal):
                    return (.failure(refusal), classified)
                case .success(let (issued, updated)):
                    try planModel.update(from: issued, sealed: classified)
                    try await planModel.update(on: db)
                    for next in updated {
                        guard let stored = models[next.id] else { continue }
                        let before = records[next.id]
                        let row = try ProjectRow(
                            next, policy: book.governing(next, today: now.beijingDate), at: now, version: stored.version + 1,
                            overdueMarks: stored.overdueMarks)
                        // Read in this transaction under the write lock: only a writer that skipped both can conflict.
                        do { try await ProjectVersioning.store(row, over: stored, on: db) } catch is ProjectVersioning.Conflict {
                            throw ProjectVersioning.conflictError
                        }
                        try await ProjectSharingRow(next).store(on: db)
                        if before.map({ ProjectReviewText.moved(from: $0, to: next) }) ?? true {
                            try await ProjectReviewText.store(next, on: db)
                        }
                        try await ProjectRiskStore.record(
                            ProjectRiskRow(next, today: now.beijingDate, policy: book.governing(next, today: now.beijingDate)),
                            cause: "issue-annual-plan", at: now, on: db)
                        if let before,
                            let waiting = ProjectWaitingStore.moved(
                                from: before, to: next, policy: book.governing(next, today: now.beijingDate), now: now)
                        {
                            try await ProjectWaitingStore.store(waiting, of: next.id, at: now, on: db)
                        }
                        let diff = AuditDiff.summarize(before: before, after: next)
                        try await AuditRecorder.append(
                            AuditEvent(
                                actor: actor, action: "issue-annual-plan", projectId: next.id, result: .accepted,
                                summary: "列入\(issued.year)年度政府投资计划(\(body.documentNumber))",
                                before: diff.before, after: diff.after, clientAddress: req.clientAddress,
                                state: ProjectStateDigest.of(row)), at: now, on: db)
                    }
                    return (.success(issued), classified)
                }
            }
        switch result.0 {
        case .success(let plan): return try await Self.scoped(plan, for: actor, on: req.db)
        case .failure(let refusal):
            var event = AuditEvent(
                actor: actor, action: "issue-annual-plan", projectId: nil, result: ProjectController.result(refusal),
                summary: "下达年度计划被拒绝", violations: ProjectController.violations(refusal), clientAddress: req.clientAddress)
            event.concernsClassified = result.classified
            await req.application.recordRefusal(event)
            throw APIError.from(refusal)
        }
    }
}
