import Fluent
import Vapor
import ZhengxinCore

/// `zhengxin seed-demo`: on an empty database, loads the demo organisations, accounts and a dozen
/// projects spread over the stages and tiers; on any database, prints the demo accounts.
struct SeedDemoCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "加载演示数据(仅在空数据库上) (load demo data on first run)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        if try await OrganisationModel.query(on: app.db).count() > 0 {
            context.console.print("数据库已有数据,跳过演示数据加载。")
            if try await DemoAccounts.enrolMissingTOTP(app) > 0 { context.console.print("已为仍使用演示密码的演示账号绑定演示动态口令。") }
        } else {
            let count = try await DemoSeeder.seed(app)
            context.console.print("已加载演示数据: \(DemoAccounts.organisations.count)个机构, \(DemoAccounts.accounts.count)个账号, \(count)个项目。")
        }
        context.console.print(DemoAccounts.table)
    }
}

enum DemoSeeder {
    struct Spec {
        var unit: String
        var name: String
        var yuan: Int64
        var source: ProjectSource = .unitDeclaration
        var planYear: Int
        var category: ProjectCategory = .businessSystem
    }

    static func seed(_ app: Application) async throws -> Int {
        var orgIds: [String: UUID] = [:]
        var orgTypes: [String: OrganisationType] = [:]
        var actors: [String: Actor] = [:]
        var orgModels: [OrganisationModel] = []
        var userModels: [UserModel] = []
        for org in DemoAccounts.organisations {
            let model = OrganisationModel(id: UUID(), name: org.name, type: org.type)
            orgModels.append(model)
            orgIds[org.key] = model.id!
            orgTypes[org.key] = org.type
        }
        let hash = try app.password.hash(DemoAccounts.password)
        for account in DemoAccounts.accounts {
            let user = UserModel(id: UUID(), username: account.username, displayName: account.displayName, passwordHash: hash,
                                 organisationId: orgIds[account.orgKey]!, roles: account.roles)
            userModels.append(user)
            actors[account.username] = Actor(userId: user.id!, displayName: account.displayName, organisationId: orgIds[account.orgKey]!,
                                             organisationType: orgTypes[account.orgKey]!, roles: account.roles)
        }
        let (orgsToSave, usersToSave) = (orgModels, userModels)
        try await app.writeTransaction { db in
            for org in orgsToSave { try await org.create(on: db) }
            for user in usersToSave { try await user.create(on: db) }
            try await DemoAccounts.enrolTOTP(usersToSave, on: db)
            try await DemoAccounts.storePersonalData(usersToSave, on: db)
        }
        let agencies: [OrganisationType: Actor] = [.drc: actors["drc"]!, .fin: actors["fin"]!, .bdb: actors["bdb"]!]
        let store = app.zhengxin.documents
        var projects: [ProjectRecord] = []
        var plans: [AnnualInvestmentPlan] = []
        var serial: [Int: Int] = [:]

        func make(_ s: Spec, on date: CivilDate) throws -> (ProjectRecord, DemoWalker) {
            let unit = actors[s.unit]!
            serial[date.year, default: 0] += 1
            let code = "ZZ-\(date.year)-" + String(format: "%04d", serial[date.year]!)
            let ctx = DecisionContext(actor: unit, now: Instant(beijing: date, hour: 9), policy: .zhengzhou2020)
            let draft = ProjectDraft(name: s.name, source: s.source, planYear: s.planYear, category: s.category, totalInvestmentFen: s.yuan * 100,
                                     content: "\(s.name)建设内容:应用系统开发、数据资源整合、依托市政务云部署。", goals: "提升\(s.name)的业务协同和数据共享水平。",
                                     simpleContentRequested: s.name.contains("城域网"))
            guard case .success(let record) = ProjectCreation.create(draft, id: UUID(), code: code, ctx) else { throw Abort(.internalServerError) }
            return (record, DemoWalker(actors: agencies, unit: unit, store: store))
        }

        func issuePlan(_ year: Int, _ members: [Int], on date: CivilDate) throws {
            let drc = actors["drc"]!
            let ctx = DecisionContext(actor: drc, now: Instant(beijing: date, hour: 9), policy: .zhengzhou2020)
            let plan = AnnualInvestmentPlan(id: UUID(), year: year, title: "\(year)年度市级政务信息化项目政府投资计划",
                                            lines: members.map { .init(projectId: projects[$0].id, plannedAmount: projects[$0].totalInvestment) },
                                            status: .draft)
            let byId = Dictionary(uniqueKeysWithValues: members.map { (projects[$0].id, projects[$0]) })
            guard case .success(let (issued, updated)) = AnnualPlanRules.issue(.init(documentNumber: "郑发改投资〔\(date.year)〕1号", issuedOn: date),
                                                                               plan: plan, projects: byId, ctx) else { throw Abort(.internalServerError) }
            for next in updated { projects[projects.firstIndex { $0.id == next.id }!] = next }
            plans.append(issued)
        }

        // Plan year 2025, declared in spring 2024.
        let specs2025: [Spec] = [
            Spec(unit: "health", name: "基层医疗卫生机构信息系统升级", yuan: 8_500_000, planYear: 2025),
            Spec(unit: "health", name: "全民健康信息平台", yuan: 32_000_000, planYear: 2025, category: .resourceDatabase),
            Spec(unit: "health", name: "卫生监督执法信息系统", yuan: 9_999_999, planYear: 2025),
            Spec(unit: "edu", name: "中小学学籍管理系统", yuan: 2_500_000, planYear: 2025),
            Spec(unit: "edu", name: "智慧校园综合平台", yuan: 45_000_000, planYear: 2025),
        ]
        for s in specs2025 {
            var (p, w) = try make(s, on: CivilDate(2024, 3, 1))
            try w.toReserve(&p, from: CivilDate(2024, 3, 1))
            projects.append(p)
        }
        try issuePlan(2025, [0, 1, 2, 3, 4], on: CivilDate(2025, 1, 10))
        // 2026 plan year, declared in spring 2025.
        let specs2026: [Spec] = [
            Spec(unit: "health", name: "智慧医院互联互通工程", yuan: 68_000_000, planYear: 2026),
            Spec(unit: "edu", name: "教育城域网扩容", yuan: 15_000_000, planYear: 2026, category: .network),
            Spec(unit: "edu", name: "校园安全视频监控系统", yuan: 12_000_000, planYear: 2026),
        ]
        for s in specs2026 {
            var (p, w) = try make(s, on: CivilDate(2025, 4, 1))
            try w.toReserve(&p, from: CivilDate(2025, 4, 1))
            projects.append(p)
        }
        try issuePlan(2026, [5, 6, 7], on: CivilDate(2026, 1, 15))

        let walker = { (i: Int) -> DemoWalker in
            DemoWalker(actors: agencies, unit: actors[projects[i].unitId == orgIds["health"]! ? "health" : "edu"]!, store: store)
        }
        // 0: accepted. 1: constructing. 2: trial run. 3: completed, acceptance overdue. 4: procuring.
        try walker(0).toApproved(&projects[0], from: CivilDate(2025, 1, 15))
        try walker(0).toConstructing(&projects[0], from: CivilDate(2025, 2, 10))
        try walker(0).toAccepted(&projects[0], completedOn: CivilDate(2025, 9, 1))
        try walker(0).inOperation(&projects[0], from: CivilDate(2026, 1, 10))
        try walker(1).toApproved(&projects[1], from: CivilDate(2025, 1, 15))
        try walker(1).toConstructing(&projects[1], from: CivilDate(2025, 3, 10))
        try walker(1).step(&projects[1], "record-oversight", by: .fin, on: CivilDate(2026, 11, 2),   // R-SUP-1: a finding to rectify
                           ["kind": "inspection", "heldOn": "2026-11-02", "subject": "建设资金使用情况", "conclusion": "存在问题,限期整改",
                            "findings": [["description": "部分设备采购未按批复清单执行", "basis": "第十条 批复文件是项目实施的主要依据", "deadline": "2026-12-20"]]])
        try walker(2).toApproved(&projects[2], from: CivilDate(2025, 1, 15))
        try walker(2).toConstructing(&projects[2], from: CivilDate(2025, 2, 10))
        try walker(2).step(&projects[2], "record-completion", on: CivilDate(2026, 8, 1), ["completedOn": "2026-08-01"])
        try walker(2).step(&projects[2], "record-preliminary-acceptance", on: CivilDate(2026, 8, 6), ["heldOn": "2026-08-06", "passed": true, "notes": "初步验收合格"])
        try walker(3).toApproved(&projects[3], from: CivilDate(2025, 1, 15))
        try walker(3).toConstructing(&projects[3], from: CivilDate(2025, 2, 10))
        try walker(3).step(&projects[3], "record-completion", on: CivilDate(2026, 4, 1), ["completedOn": "2026-04-01"])
        try walker(4).toApproved(&projects[4], from: CivilDate(2025, 2, 1))
        try walker(4).step(&projects[4], "start-procurement", on: CivilDate(2025, 5, 1))
        // 5: tier 3 half-way through approval. 6: tier 2 merged, approved. 7: planned.
        try walker(5).attach(&projects[5], .projectProposal, on: CivilDate(2026, 2, 1))
        try walker(5).step(&projects[5], "apply-for-approval", on: CivilDate(2026, 2, 1))
        try walker(5).step(&projects[5], "approve-document", by: .drc, on: CivilDate(2026, 3, 1),
                           ["kind": "projectProposal", "documentNumber": "郑发改审批〔2026〕21号", "approvedOn": "2026-03-01", "approvedAmountFen": 6_800_000_000])
        try walker(6).step(&projects[6], "rule-on-simple-content", by: .drc, on: CivilDate(2026, 1, 20), ["accepted": true, "reason": "建设内容单一、技术方案简单"])
        try walker(6).toApproved(&projects[6], from: CivilDate(2026, 2, 1))

        // Plan year 2027: a draft, a declaration by municipal decision, one in review, one in the reserve pool.
        var (draft, _) = try make(Spec(unit: "health", name: "疫苗流通追溯系统", yuan: 6_000_000, planYear: 2027), on: CivilDate(2026, 10, 8))
        draft.stage = .draft
        projects.append(draft)
        var (decided, w6) = try make(Spec(unit: "health", name: "医保结算接口改造", yuan: 3_200_000, source: .municipalDecision, planYear: 2027), on: CivilDate(2026, 11, 2))
        try w6.step(&decided, "declare", on: CivilDate(2026, 11, 2))
        projects.append(decided)
        var (review, w9) = try make(Spec(unit: "edu", name: "招生考试信息系统", yuan: 4_800_000, planYear: 2027), on: CivilDate(2026, 6, 15))
        try w9.step(&review, "declare", on: CivilDate(2026, 6, 15))
        try w9.step(&review, "start-technical-review", by: .bdb, on: CivilDate(2026, 6, 20))
        projects.append(review)
        var (reserve, w10) = try make(Spec(unit: "edu", name: "教育资源公共服务平台", yuan: 52_000_000, planYear: 2027), on: CivilDate(2026, 5, 1))
        try w10.toReserve(&reserve, from: CivilDate(2026, 5, 1))
        projects.append(reserve)

        let now = app.zhengxin.now()
        let finalProjects = projects
        let finalPlans = plans
        try await app.writeTransaction { db in
            let book = try await PolicyStore.book(on: db)
            for p in finalProjects {
                let row = try ProjectModel(p, policy: book.governing(p, today: now.beijingDate), at: now)
                try await row.create(on: db)
                try await AuditRecorder.append(AuditEvent(actor: nil, action: "seed-demo", projectId: p.id, result: .accepted,
                                                          summary: "加载演示项目「\(p.name)」(\(p.code)),阶段: \(p.stage.chinese)", clientAddress: "cli",
                                                          state: ProjectStateDigest.of(row)), at: now, on: db)
            }
            for plan in finalPlans { try await AnnualPlanModel(plan).create(on: db) }
        }
        return finalProjects.count
    }
}
