import Fluent
import Vapor
import ZhengxinCore

/// `zhengxin seed-demo`: on an empty database, loads the demo organisations, accounts and three
/// years of the city's projects (DemoSeeder); on any database, prints the demo accounts.
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
            context.console.print("已加载演示数据: \(DemoAccounts.allOrganisations.count)个机构, \(DemoAccounts.allAccounts.count)个账号, \(count)个项目。")
        }
        context.console.print(DemoAccounts.table)
    }
}

/// Loads the demo: the organisations and accounts, then three years of the city's portfolio
/// (DemoCity) walked through the real rules at their dates (DemoStory), written as the server
/// would have written it (each accepted step's audit entry through AuditRecorder, dated when the
/// step was taken, in time order), and finally the day's deadline scan. The same day gives the
/// same demo: ids, dates and hours come from generators seeded by the day.
enum DemoSeeder {
    static let client = "seed-demo"

    static func seed(_ app: Application) async throws -> Int {
        let today = app.zhengxin.now().beijingDate
        let seed = UInt64(bitPattern: Int64(today.daysSinceEpoch))
        var ids = SeededRandom(seed: seed, stream: "demo-accounts", index: 0)
        var orgIds: [String: UUID] = [:]
        var orgModels: [OrganisationModel] = []
        for org in DemoAccounts.allOrganisations {
            let model = OrganisationModel(id: ids.uuid(), name: org.name, type: org.type)
            orgModels.append(model)
            orgIds[org.key] = model.id!
        }
        let hash = try app.password.hash(DemoAccounts.password)
        var userModels: [UserModel] = []
        var actors: [String: Actor] = [:]
        for account in DemoAccounts.allAccounts {
            let type = DemoAccounts.allOrganisations.first { $0.key == account.orgKey }!.type
            let user = UserModel(
                id: ids.uuid(), username: account.username, displayName: account.displayName, passwordHash: hash,
                organisationId: orgIds[account.orgKey]!, roles: account.roles)
            userModels.append(user)
            actors[account.username] = Actor(
                userId: user.id!, displayName: account.displayName, organisationId: orgIds[account.orgKey]!,
                organisationType: type, roles: account.roles)
        }
        let (orgsToSave, usersToSave) = (orgModels, userModels)
        try await app.writeTransaction { db in
            for org in orgsToSave { try await org.create(on: db) }
            for user in usersToSave { try await user.create(on: db) }
            try await DemoAccounts.enrolTOTP(usersToSave, on: db)
            try await DemoAccounts.storePersonalData(usersToSave, on: db)
        }
        var units: [String: Actor] = [:]
        for org in DemoAccounts.allOrganisations where org.type == .unit {
            units[org.key] = actors[DemoAccounts.allAccounts.first { $0.orgKey == org.key && $0.roles == [.staff] }!.username]!
        }
        let cast = DemoStory.Cast(
            agencies: [.drc: actors["drc"]!, .fin: actors["fin"]!, .bdb: actors["bdb"]!, .aud: actors["aud"]!], units: units,
            named: [actors["drc"]!, actors["bdb"]!, actors["fin"]!], store: app.zhengxin.documents, vendor: orgIds["vendor"])
        // Steps end the day before: the deadline scan below is today's, and comes after them.
        let story = try DemoStory.walk(
            DemoCity.projects, seed: seed, cutoff: today.addingDays(-1),
            ids: { i in
                var r = SeededRandom(seed: seed, stream: "demo-project", index: i); return r.uuid()
            },
            planId: { year in
                var r = SeededRandom(seed: seed, stream: "demo-plan", index: year); return r.uuid()
            },
            cast: cast)
        try await store(story, app, today: today)
        _ = try await DeadlineScanner.run(app)
        try await DemoAdministration.seed(
            app, actors: actors, organisations: Dictionary(uniqueKeysWithValues: zip(DemoAccounts.allOrganisations.map(\.key), orgModels)))
        return story.projects.count
    }

    /// The projects as their last step left them, the plans, and every step's audit entry in the
    /// order the steps were taken; the last entry of each project binds its row (ProjectStateDigest).
    static func store(_ story: DemoStory, _ app: Application, today: CivilDate) async throws {
        let book = try await PolicyStore.book(on: app.db)
        var rows: [ProjectRow] = []
        var entries: [(event: AuditEvent, at: Instant)] = []
        for p in story.projects {
            let events = p.recorder.events
            let row = try ProjectRow(p.record, policy: book.governing(p.record, today: today), at: events.last!.at)
            rows.append(row)
            for (j, e) in events.enumerated() {
                var event = e.event
                if j == events.count - 1 { event.state = ProjectStateDigest.of(row) }
                entries.append((try AuditConfidentiality.protect(event, classified: p.record.classified), e.at))
            }
        }
        for e in story.planEvents { entries.append((try AuditConfidentiality.protect(e.event, classified: false), e.at)) }
        let ordered = entries.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        let classified = Set(story.projects.filter(\.record.classified).map(\.record.id))
        let plans = try story.plans.map { try AnnualPlanModel($0, sealed: $0.lines.contains { classified.contains($0.projectId) }) }
        let finalRows = rows
        let sharing = story.projects.map { ProjectSharingRow($0.record) }
        let reviewTexts = story.projects.compactMap { ProjectReviewText($0.record) }
        let evaluations = story.projects.compactMap { ProjectEvaluationRow($0.record) }
        try await app.writeTransaction { db in
            try await BatchInsert.create(finalRows, on: db)
            try await ProjectSharingRow.insert(sharing, on: db)
            try await ProjectReviewText.insert(reviewTexts, on: db)
            for evaluation in evaluations { try await evaluation.store(on: db) }
            for plan in plans { try await plan.create(on: db) }
            for e in ordered { try await AuditRecorder.append(protected: e.event, at: e.at, on: db) }
        }
    }
}
