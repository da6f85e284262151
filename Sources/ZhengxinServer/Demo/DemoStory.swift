import Foundation
import ZhengxinCore

/// The demo portfolio walked through the real rules at the dates of its schedule: each project's
/// steps by `DemoWalker`, each accepted step recorded by `AuditedWalkRecorder` (as the benchmark's are:
/// the audit event the server would have written, dated when the step was taken), and the annual
/// plans issued as the plan controller issues them. Pure apart from the documents' bytes, which go
/// into the document store as uploads do.
struct DemoStory {
    struct Walked {
        var spec: DemoProject
        var schedule: DemoSchedule
        var record: ProjectRecord
        var recorder: AuditedWalkRecorder
        var clock: DemoClock
    }

    /// An audit event of no one project (編制年度计划), with its date.
    struct PlanEvent {
        var event: AuditEvent
        var at: Instant
    }

    var projects: [Walked] = []
    var plans: [AnnualInvestmentPlan] = []
    var planEvents: [PlanEvent] = []

    struct Cast {
        var agencies: [OrganisationType: Actor]
        var units: [String: Actor]
        /// The agency accounts a 涉密 project names (第十七条): those who must act on it.
        var named: [Actor]
        var store: DocumentStore
        /// The demo's 承建单位, named on the construction contracts it signs (so it sees those projects).
        var vendor: UUID? = nil
    }

    static func walk(_ city: [DemoProject], seed: UInt64, cutoff: CivilDate, ids: (Int) -> UUID, planId: (Int) -> UUID, cast: Cast) throws
        -> DemoStory
    {
        var story = DemoStory()
        let schedules = city.enumerated().map { DemoSchedule.make($1, index: $0, seed: seed, cutoff: cutoff) }
        // Codes as the server numbers them: by year of creation, in the order the projects were created.
        let order = city.indices.sorted { (created(city[$0], schedules[$0]), $0) < (created(city[$1], schedules[$1]), $1) }
        var serial: [Int: Int] = [:]
        var codes: [Int: String] = [:]
        for i in order {
            let year = created(city[i], schedules[i]).year
            serial[year, default: 0] += 1
            codes[i] = "ZZ-\(year)-" + String(format: "%04d", serial[year]!)
        }
        for (i, spec) in city.enumerated() {
            var walked = try start(spec, schedules[i], id: ids(i), code: codes[i]!, clock: DemoClock(seed: seed, index: i), cast: cast)
            try walked.early(cast)
            story.projects.append(walked)
        }
        // 第八条: each year's plan lists the reserve projects that go on to be built.
        let later = story.projects.indices.filter {
            !DemoSchedule.early.contains(story.projects[$0].spec.target) && !story.projects[$0].spec.has(.missedDeclaration)
        }
        for year in Set(later.map { story.projects[$0].schedule.planYear }).sorted() {
            try story.issuePlan(
                year, members: later.filter { story.projects[$0].schedule.planYear == year }, id: planId(year),
                clock: DemoClock(seed: seed, index: 100_000 + year), drc: cast.agencies[.drc]!)
        }
        for i in later { try story.projects[i].rest(cast) }
        for p in story.projects where p.clock.wentBack {
            throw DemoWalker.Refused(action: "schedule", violations: [.input("", "演示项目「\(p.spec.name)」的步骤日期早于前一步")])
        }
        return story
    }

    static func created(_ p: DemoProject, _ s: DemoSchedule) -> CivilDate { p.target == .draft ? s.declared : s.created }

    static func start(_ spec: DemoProject, _ schedule: DemoSchedule, id: UUID, code: String, clock: DemoClock, cast: Cast) throws -> Walked
    {
        let unit = cast.units[spec.unit]!
        let on = created(spec, schedule)
        let ctx = DecisionContext(actor: unit, now: clock.at(on), policy: .zhengzhou2020)
        let draft = ProjectDraft(
            name: spec.name, source: spec.source, planYear: schedule.planYear, category: spec.category, totalInvestmentFen: spec.yuan * 100,
            content: spec.content + "。依托市政务云部署,与市政务数据共享交换平台对接。", goals: "建成后\(spec.content),提升业务协同和数据共享水平。",
            classified: spec.classified ? true : nil, simpleContentRequested: spec.has(.simpleContent) ? true : nil,
            performanceIndicators: SeededPerformanceGoals.indicators(variant: spec.name.unicodeScalars.count))
        guard case .success(let record) = ProjectCreation.create(draft, id: id, code: code, ctx) else {
            throw DemoWalker.Refused(action: "create", violations: [.input("", "演示项目「\(spec.name)」无法创建")])
        }
        let recorder = AuditedWalkRecorder(id, client: DemoSeeder.client, seen: nil)
        recorder.record("create", by: unit, at: ctx.now, before: nil, after: record, summary: "新建项目「\(record.name)」(\(record.code))")
        var walked = Walked(spec: spec, schedule: schedule, record: record, recorder: recorder, clock: clock)
        if spec.classified {
            for person in cast.named {  // R-CON-5 (第十七条): the people who will act on it, named by the unit
                try walked.walker(cast).step(&walked.record, "grant-classified-access", on: on, ["userId": person.userId.uuidString])
            }
        }
        return walked
    }

    /// R-PLAN-1 (第八条): compiled and issued by DRC on the plan's day, audited as AnnualPlanController audits it.
    mutating func issuePlan(_ year: Int, members: [Int], id: UUID, clock: DemoClock, drc: Actor) throws {
        let day = DemoSchedule.planDay(year)
        let draft = AnnualInvestmentPlan(
            id: id, year: year, title: "\(year)年度市级政务信息化项目政府投资计划",
            lines: members.map { .init(projectId: projects[$0].record.id, plannedAmount: projects[$0].record.totalInvestment) },
            status: .draft)
        let classified = members.contains { projects[$0].record.classified }
        var compiled = AuditEvent(
            actor: drc, action: "compile-annual-plan", projectId: nil, result: .accepted,
            summary: "编制\(year)年度政府投资计划「\(draft.title)」,\(draft.lines.count)个项目,合计\(draft.total.yuanText)",
            after: (try? RecordJSON.text(draft)) ?? "{}", clientAddress: DemoSeeder.client)
        compiled.concernsClassified = classified
        planEvents.append(PlanEvent(event: compiled, at: clock.at(day)))
        let number = "郑发改投资〔\(year)〕1号"
        let ctx = DecisionContext(actor: drc, now: clock.at(day), policy: .zhengzhou2020)
        let byId = Dictionary(uniqueKeysWithValues: members.map { (projects[$0].record.id, projects[$0].record) })
        guard
            case .success(let (issued, updated)) = AnnualPlanRules.issue(
                .init(documentNumber: number, issuedOn: day), plan: draft, projects: byId, ctx)
        else {
            throw DemoWalker.Refused(action: "issue-annual-plan", violations: [.input("", "\(year)年度计划无法下达")])
        }
        for next in updated {
            let i = members.first { projects[$0].record.id == next.id }!
            projects[i].recorder.record(
                "issue-annual-plan", by: drc, at: ctx.now, before: projects[i].record, after: next,
                summary: "列入\(year)年度政府投资计划(\(number))")
            projects[i].record = next
        }
        plans.append(issued)
    }
}

extension DemoStory.Walked {
    func walker(_ cast: DemoStory.Cast) -> DemoWalker {
        var w = DemoWalker(actors: cast.agencies, unit: cast.units[spec.unit]!, store: cast.store, recordingInto: recorder)
        w.clock = clock.at
        w.vendor = cast.vendor
        return w
    }

    static func findings(satisfied: Bool) -> [[String: Any]] {
        ReviewCriterion.allCases.enumerated().map { i, c in
            ["criterion": c.rawValue, "satisfied": satisfied || i > 0, "comment": satisfied || i > 0 ? "符合要求" : "建设必要性论证不充分,与已建系统功能重叠"]
        }
    }

    /// Declaration up to the reserve pool, or as far as the project got before it.
    mutating func early(_ cast: DemoStory.Cast) throws {
        let w = walker(cast), d = schedule.declared
        switch spec.target {
        case .draft: return
        case .reserve, .planned, .approving, .approved, .procuring, .constructing, .suspended, .terminated, .completed, .trialRunning,
            .acceptanceApplied, .accepted, .operating:
            try w.toReserve(&record, from: d)
            return
        default: break
        }
        try w.step(&record, "declare", on: d)
        if spec.target == .declared { return }
        if spec.target == .withdrawn {
            return try w.step(&record, "withdraw", on: d.addingDays(3), ["reason": "与市级统筹建设的平台功能重复,撤回申报"])
        }
        try w.step(&record, "start-technical-review", by: .bdb, on: d.addingDays(5))
        if spec.target == .techReview { return }
        switch spec.target {
        case .returned:
            try w.step(
                &record, "issue-review-opinion", by: .bdb, on: d.addingDays(20),
                ["findings": Self.findings(satisfied: false), "conclusion": "returned", "comment": "请补充建设必要性论证,说明与已建系统的关系后重新申报"])
        case .rejected:
            try w.step(
                &record, "issue-review-opinion", by: .bdb, on: d.addingDays(20),
                ["findings": Self.findings(satisfied: false), "conclusion": "rejected", "comment": "与已建平台功能重复,不予通过"])
        default:
            try w.step(
                &record, "issue-review-opinion", by: .bdb, on: d.addingDays(20),
                ["findings": Self.findings(satisfied: true), "conclusion": "pass", "comment": "同意建设", "ownInfrastructureAccepted": true])
            if record.totalInvestment >= Policy.zhengzhou2020.executiveMeetingSuggestion {
                try w.step(&record, "mark-major", by: .drc, on: d.addingDays(25), ["major": true, "reason": "总投资较大且关系全市"])
            }
        }
    }

    /// From the annual plan on.
    mutating func rest(_ cast: DemoStory.Cast) throws {
        let w = walker(cast), s = schedule, target = spec.target
        if target == .planned { return }
        let a = s.approvalFrom
        if spec.has(.simpleContent) {
            try w.step(&record, "rule-on-simple-content", by: .drc, on: a.addingDays(-3), ["accepted": true, "reason": "建设内容单一、技术方案简单"])
        }
        if target == .approving {
            let path = ApprovalPath.documents(for: record, .zhengzhou2020)
            for kind in path { try w.attach(&record, kind, on: a) }
            try w.step(&record, "apply-for-approval", on: a)
            guard path.count > 1 else { return }
            let on = a.addingDays(20)
            return try w.step(
                &record, "approve-document", by: .drc, on: on,
                [
                    "kind": path[0].rawValue, "documentNumber": "郑发改审批〔\(on.year)〕\(100 + (Int(record.code.suffix(3)) ?? 0))号",
                    "approvedOn": on.description, "approvedAmountFen": record.totalInvestment.value,
                ])
        }
        try w.toApproved(&record, from: a)
        if target == .approved { return }
        let c0 = s.constructionFrom
        if target == .procuring {
            let budget = record.approvedBudget!.value
            try w.step(
                &record, "issue-fund-plan", by: .drc, on: c0,
                ["amountFen": budget / 2, "documentNumber": "郑发改投资〔\(c0.year)〕8号", "issuedOn": c0.description])
            try w.step(
                &record, "record-responsibility", on: c0,
                ["implementingAgency": "信息中心", "responsiblePerson": "李明", "contactPhone": "0371-67181234"])
            try w.step(&record, "start-procurement", on: c0)
            return try w.step(
                &record, "disburse", by: .fin, on: c0.addingDays(10),
                [
                    "amountFen": budget / 4, "paidOn": c0.addingDays(10).description,
                    "voucherNumber": "ZF-\(c0.year)-\(record.code.suffix(4))",
                ])
        }
        try w.toConstructing(&record, from: c0)
        switch target {
        case .constructing: return try extras(w, from: s.started)
        case .suspended, .terminated: return try sanctions(w, from: s.started)
        default: break
        }
        let done = s.completed
        if target == .accepted || target == .operating {
            try w.toAccepted(&record, completedOn: done)
            if target == .accepted { return }
            try w.inOperation(&record, from: s.operations)
            return try extras(w, from: s.operations)
        }
        try w.recordSecurity(&record, on: done.addingDays(-10))
        try w.step(&record, "record-completion", on: done, ["completedOn": done.description])
        if target == .completed { return }
        try w.step(
            &record, "record-preliminary-acceptance", on: done.addingDays(5),
            ["heldOn": done.addingDays(5).description, "passed": true, "notes": "初步验收合格"])
        if target == .trialRunning { return }
        try w.finishAcceptance(&record, completedOn: done, signOff: false)
        for case .signedBy(let agencies) in spec.extras {
            for agency in agencies {
                try w.step(
                    &record, "sign-off-acceptance", by: agency, on: s.applied.addingDays(15),
                    ["passed": true, "opinion": "同意通过竣工验收", "signedOn": s.applied.addingDays(15).description])
            }
        }
    }

    var unitName: String { DemoAccounts.allOrganisations.first { $0.key == spec.unit }!.name }
}
