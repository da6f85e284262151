import Foundation
import ZhengxinCore
import ZhengxinServer

/// One bench project walked through the real lifecycle rules (the demo's walker, at the plan's
/// dates), with the audit events the server would have written for every accepted step.
struct BenchProject: Sendable {
    var record: ProjectRecord
    var events: [AuditedWalkRecorder.Step]
    var updatedAt: Instant
}

enum BenchWalk {
    static let client = "seed-bench"
    /// One project in this many contracts the bench's vendor when it reaches construction (~1,400 at
    /// 100,000 projects), so the vendor's lists and pages are measured over contracts of its own.
    static let vendorEvery = 50

    /// A step the rules refused: a bug in the generator's plan, as a refused demo step is in the demo.
    struct Refused: Error, CustomStringConvertible {
        var action: String
        var description: String { "压测数据步骤「\(action)」被拒绝" }
    }

    static func walk(
        _ plan: BenchPlan, id: UUID, orgs: BenchOrganisations, store: DocumentStore,
        seen: ((ProjectRecord?, ProjectRecord) -> Void)? = nil
    ) throws -> BenchProject {
        let unit = orgs.units[plan.unit]
        let created = Instant(beijing: plan.declaredOn, hour: 9)
        let draft = ProjectDraft(
            name: plan.name, source: .unitDeclaration, planYear: plan.planYear, category: plan.category, totalInvestmentFen: plan.totalFen,
            content: "\(plan.name)建设内容:应用系统开发、数据资源整合、依托市政务云部署。", goals: "提升\(plan.name)的业务协同和数据共享水平。",
            classified: plan.classified, performanceIndicators: SeededPerformanceGoals.indicators(variant: Int(plan.totalFen % 97)))
        let ctx = DecisionContext(actor: unit, now: created, policy: .zhengzhou2020)
        guard case .success(var p) = ProjectCreation.create(draft, id: id, code: plan.code, ctx) else {
            throw Refused(action: "create")
        }
        let recorder = AuditedWalkRecorder(id, client: client, seen: seen)
        recorder.record("create", by: unit, at: created, before: nil, after: p, summary: "新建项目「\(p.name)」(\(p.code))")
        var w = DemoWalker(actors: orgs.agencies, unit: unit, store: store, recordingInto: recorder)
        w.documentText = { _, kind in "\(kind.chinese)\n(压测文档,内容按文档类型共用)\n" }
        if plan.index % vendorEvery == 0 { w.vendor = orgs.vendor }
        try walk(&p, plan, w, orgs: orgs, recorder: recorder)
        return BenchProject(record: p, events: recorder.events, updatedAt: recorder.events.last!.at)
    }

    private static func walk(
        _ p: inout ProjectRecord, _ plan: BenchPlan, _ w: DemoWalker, orgs: BenchOrganisations, recorder: AuditedWalkRecorder
    )
        throws
    {
        let d = plan.declaredOn
        if plan.target == .draft { return }
        if plan.target == .declared || plan.target == .techReview {
            try w.step(&p, "declare", on: d)
            if plan.target == .techReview { try w.step(&p, "start-technical-review", by: .bdb, on: d.addingDays(5)) }
            return
        }
        try w.toReserve(&p, from: d)
        if plan.target == .reserve { return }
        try issuePlan(&p, plan, by: orgs.agencies[.drc]!, recorder: recorder)
        if plan.target == .planned { return }
        if plan.target == .approving {
            let path = ApprovalPath.documents(for: p, .zhengzhou2020)
            for kind in path { try w.attach(&p, kind, on: plan.approvalFrom) }
            return try w.step(&p, "apply-for-approval", on: plan.approvalFrom)
        }
        try w.toApproved(&p, from: plan.approvalFrom)
        if plan.target == .approved { return }
        let c0 = plan.constructionFrom
        if plan.target == .procuring {
            let budget = p.approvedBudget!.value
            try w.step(
                &p, "issue-fund-plan", by: .drc, on: c0,
                ["amountFen": budget / 2, "documentNumber": "郑发改投资〔\(c0.year)〕8号", "issuedOn": c0.description])
            return try w.step(&p, "start-procurement", on: c0)
        }
        try w.toConstructing(&p, from: c0)
        try constructionExtras(&p, plan, w)
        if plan.target == .constructing { return }
        let done = plan.completedOn
        try w.recordSecurity(&p, on: done.addingDays(-10))
        try w.step(&p, "record-completion", on: done, ["completedOn": done.description])
        if plan.target == .completed { return }
        try w.step(
            &p, "record-preliminary-acceptance", on: done.addingDays(5),
            ["heldOn": done.addingDays(5).description, "passed": true, "notes": "初步验收合格"])
        if plan.target == .trialRunning { return }
        try w.finishAcceptance(&p, completedOn: done, signOff: plan.target != .acceptanceApplied)
        if plan.target == .acceptanceApplied || plan.target == .accepted { return }
        try w.inOperation(&p, from: plan.operationsFrom)
        if plan.feedback, let entry = p.sharing.activeEntries.first {
            let on = plan.operationsFrom.addingDays(60)
            try w.step(
                &p, "record-sharing-feedback", on: on,
                [
                    "entryCode": entry.code, "usedOn": on.description, "consumer": "郑州市大数据管理局",
                    "purpose": "跨部门业务协同", "outcome": "satisfied",
                ])
        }
    }

    /// Changes, a second payment and supervision findings during construction.
    private static func constructionExtras(_ p: inout ProjectRecord, _ plan: BenchPlan, _ w: DemoWalker) throws {
        let c0 = plan.constructionFrom
        let budget = p.approvedBudget!.value
        if plan.change {
            try w.step(
                &p, "propose-change", on: c0.addingDays(60),
                [
                    "description": "按业务需要调整部分功能模块的建设进度", "reason": "scheduleAdjustment",
                    "newTotalFen": p.totalInvestment.value, "adjustedAmountFen": budget / 20, "goalsUnchanged": true,
                ])
        }
        if plan.secondDisbursement {
            try w.step(
                &p, "disburse", by: .fin, on: c0.addingDays(100),
                [
                    "amountFen": budget / 4, "paidOn": c0.addingDays(100).description,
                    "voucherNumber": "ZF-\(c0.year)-\(p.code.suffix(5))-2",
                ])
        }
        if plan.oversight {
            let on = c0.addingDays(90)
            try w.step(
                &p, "record-oversight", by: .fin, on: on,
                [
                    "kind": "inspection", "heldOn": on.description, "subject": "建设资金使用情况",
                    "conclusion": "存在问题,限期整改",
                    "findings": [
                        [
                            "description": "部分设备采购未按批复清单执行", "basis": "第十条 批复文件是项目实施的主要依据",
                            "deadline": on.addingDays(40).description,
                        ]
                    ],
                ])
        }
    }

    /// R-PLAN-1: a one-line annual plan issued by DRC, audited as the plan controller audits it.
    private static func issuePlan(_ p: inout ProjectRecord, _ plan: BenchPlan, by drc: Actor, recorder: AuditedWalkRecorder) throws {
        let on = plan.planIssuedOn
        let ctx = DecisionContext(actor: drc, now: Instant(beijing: on, hour: 9), policy: .zhengzhou2020)
        let line = AnnualInvestmentPlan(
            id: p.id, year: plan.planYear, title: "\(plan.planYear)年度市级政务信息化项目政府投资计划",
            lines: [.init(projectId: p.id, plannedAmount: p.totalInvestment)], status: .draft)
        let number = "郑发改投资〔\(on.year)〕1号"
        guard
            case .success(let (_, updated)) = AnnualPlanRules.issue(
                .init(documentNumber: number, issuedOn: on), plan: line, projects: [p.id: p], ctx),
            let next = updated.first
        else { throw Refused(action: "issue-annual-plan") }
        recorder.record("issue-annual-plan", by: drc, at: ctx.now, before: p, after: next, summary: "列入\(plan.planYear)年度政府投资计划(\(number))")
        p = next
    }
}
