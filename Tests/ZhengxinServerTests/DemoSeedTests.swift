import Fluent
import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// `zhengxin seed-demo`: three years of the city's portfolio walked through the real rules at
/// their dates, so the audit record, the queues and the reminders tell its story.
@Suite("Demo portfolio")
struct DemoSeedTests {
    static let today = CivilDate(2026, 11, 20)
    static func clock(_ day: CivilDate) -> @Sendable () -> Instant { { Instant(beijing: day, hour: 8, minute: 30) } }

    struct Seeded {
        var records: [ProjectRecord]
        var entries: [AuditEntryModel]
        var actors: [String: Actor]
    }

    static func seeded(_ app: Application) async throws -> Seeded {
        #expect(try await DemoSeeder.seed(app) == DemoCity.projects.count)
        let records = try await ProjectRow.all(on: app.db).map { try $0.decoded() }
        let entries = try await AuditEntryModel.query(on: app.db).sort(\.$seq).all()
        let orgs = try await OrganisationModel.query(on: app.db).all()
        var actors: [String: Actor] = [:]
        for user in try await UserModel.query(on: app.db).all() {
            let org = orgs.first { $0.id == user.$organisation.id }!
            actors[user.username] = Actor(
                userId: user.id!, displayName: user.displayName, organisationId: org.id!,
                organisationType: OrganisationType(rawValue: org.type)!, roles: user.roleSet)
        }
        return Seeded(records: records, entries: entries, actors: actors)
    }

    @Test(
        "about 60 projects in every stage and tier, each agency with a matter waiting, a chain that verifies, dated varied steps",
        arguments: Backend.all)
    func portfolio(_ backend: Backend) async throws {
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: Self.clock(Self.today)) { app in
                let s = try await Self.seeded(app)
                #expect((55...65).contains(s.records.count))
                #expect(
                    Set(s.records.map(\.stage)) == Set(Stage.allCases),
                    "missing: \(Set(Stage.allCases).subtracting(s.records.map(\.stage)))")
                #expect(Set(s.records.map { $0.tier(.zhengzhou2020) }) == [.one, .two, .three])
                #expect(Set(s.records.map(\.unitId)).count == DemoAccounts.allOrganisations.filter { $0.type == .unit }.count)

                // Each agency has something to decide now, as its home page asks AgencyQueue.
                let now = Self.clock(Self.today)()
                for agency in ["drc", "fin", "bdb", "aud"] {
                    let actor = s.actors[agency]!
                    let ctx = DecisionContext(actor: actor, now: now, policy: .zhengzhou2020)
                    let waiting = s.records.filter { $0.isVisible(to: actor) }.flatMap { AgencyQueue.waiting($0, ctx) }
                    #expect(!waiting.isEmpty, "\(agency) has nothing waiting")
                }
                // The situations the queues and reminders are made of.
                #expect(s.records.contains { $0.changes.contains { $0.status == .filed } })
                #expect(s.records.contains { $0.pendingChange != nil })
                #expect(s.records.contains { $0.supervision.findings.contains { $0.agency == .aud && $0.status == .reported } })
                #expect(s.records.contains { $0.sharing.activeEntries.contains { $0.registration == nil } })
                #expect(s.records.contains { !$0.sharing.feedback.isEmpty })
                let names = s.records.map(\.name)
                #expect(names.contains("城市综合运行管理平台") && names.contains("城市运行综合管理平台"), "the duplicate-looking pair")
                // The scan of the day raised overdue reminders: a few, not the whole portfolio.
                let overdue = try await ReminderModel.query(on: app.db).filter(\.$status == "overdue").filter(\.$resolvedAt == nil).all()
                #expect((2...12).contains(Set(overdue.map(\.projectId)).count), "\(overdue.count) overdue reminders")

                // The audit record: dated when each step was taken, in time order, over three years, at working hours.
                let report = try await AuditRecorder.verify(on: app.db)
                #expect(report.problem == nil, "\(report.message)")
                #expect(report.projects.bound == s.records.count && report.projects.notBound == 0)
                let steps = s.entries.filter { $0.projectId != nil }
                #expect(zip(steps, steps.dropFirst()).allSatisfy { $0.at <= $1.at }, "entries are in the order the steps were taken")
                let first = Instant(secondsSinceEpoch: steps.first!.at).beijingDate
                #expect(
                    first >= Self.today.addingMonths(-36) && first <= Self.today.addingMonths(-30),
                    "the story starts about three years back: \(first)")
                #expect(steps.allSatisfy { Instant(secondsSinceEpoch: $0.at).beijingDate < Self.today })
                #expect(steps.allSatisfy { (9..<19).contains(Int(($0.at + 8 * 3600) % 86_400 / 3600)) }, "steps at working hours")
                #expect(!s.entries.contains { $0.summary.contains("加载演示项目") || $0.action == "seed-demo" })
                // Recent activity as the home page reads it (newest first, ordinary projects): varied, dated steps.
                let classified = Set(s.records.filter(\.classified).map(\.id))
                let recent = steps.reversed().filter { !classified.contains($0.projectId!) }.prefix(15)
                #expect(Set(recent.map(\.action)).count >= 5, "\(recent.map(\.action))")
                #expect(Set(recent.map { Instant(secondsSinceEpoch: $0.at).beijingDate }).count >= 8)
                #expect(Set(s.entries.map(\.action)).count >= 40, "the record holds most of the catalog's actions")
            }
        }
    }

    @Test("the 涉密 project names its people and is an unknown id to anyone else", arguments: Backend.all)
    func classified(_ backend: Backend) async throws {
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: Self.clock(Self.today)) { app in
                let s = try await Self.seeded(app)
                let secret = try #require(s.records.first { $0.classified })
                #expect(Set(secret.classifiedAccess) == Set(["police", "drc", "bdb", "fin"].map { s.actors[$0]!.userId }))
                #expect(secret.stage == .constructing)
                for named in ["police", "drc"] {
                    #expect(try await ProjectQueries.visibleRecord(secret.id, to: s.actors[named]!, on: app.db).name == secret.name)
                }
                for unnamed in ["aud", "health", "market"] {
                    await #expect(throws: APIError.self) {
                        try await ProjectQueries.visibleRecord(secret.id, to: s.actors[unnamed]!, on: app.db)
                    }
                }
                // Over HTTP too: the audit bureau's list and lookup do not know it.
                let token = try await Self.login(app, "aud", at: Self.clock(Self.today)())
                var headers = HTTPHeaders()
                headers.bearerAuthorization = BearerAuthorization(token: token)
                let one = try await app.testing().sendRequest(.GET, "/api/v1/projects/\(secret.id.uuidString)", headers: headers)
                #expect(one.status == .notFound)
                let list = try await app.testing().sendRequest(.GET, "/api/v1/projects?perPage=100", headers: headers)
                #expect(list.status == .ok)
                let listed = String(buffer: list.body)
                #expect(
                    listed.contains(s.records.first { !$0.classified }!.id.uuidString.lowercased())
                        || listed.contains(s.records.first { !$0.classified }!.id.uuidString))
                #expect(!listed.lowercased().contains(secret.id.uuidString.lowercased()) && !listed.contains(secret.name))
                // Its audit entries are sealed at rest.
                #expect(s.entries.filter { $0.projectId == secret.id }.allSatisfy { !$0.summary.contains(secret.name) })
            }
        }
    }

    @Test("the same day gives the same demo")
    func deterministic() async throws {
        var runs: [[String]] = []
        for _ in 0..<2 {
            try await SharedDatabase.with(.sqlite) { shared in
                try await shared.app(now: Self.clock(Self.today)) { app in
                    let s = try await Self.seeded(app)
                    // A sealed summary (a 涉密 project's, or a plan naming one) differs by its IV alone.
                    runs.append(
                        s.records.map { "\($0.id) \($0.code) \($0.name) \($0.stage.rawValue)" }.sorted()
                            + s.entries.map { e in
                                "\(e.seq) \(e.at) \(e.action) \(e.projectId?.uuidString ?? "") \(AtRest.isSealed(e.summary) ? "" : e.summary)"
                            })
                }
            }
        }
        #expect(runs[0].count == runs[1].count)
        let differ = zip(runs[0], runs[1]).first { $0 != $1 }
        #expect(differ == nil, "first difference: \(String(describing: differ))")
    }

    @Test(
        "seeds on any day of the year: every stage, a chain that verifies, nothing dated after the day before",
        arguments: [CivilDate(2027, 1, 4), CivilDate(2027, 3, 31), CivilDate(2027, 7, 1), CivilDate(2028, 9, 16)])
    func anyDay(_ day: CivilDate) async throws {
        try await SharedDatabase.with(.sqlite) { shared in
            try await shared.app(now: Self.clock(day)) { app in
                let s = try await Self.seeded(app)
                #expect(Set(s.records.map(\.stage)) == Set(Stage.allCases))
                #expect(try await AuditRecorder.verify(on: app.db).problem == nil)
                #expect(s.entries.filter { $0.projectId != nil }.allSatisfy { Instant(secondsSinceEpoch: $0.at).beijingDate < day })
            }
        }
    }

    /// A bearer token for a demo account, with its published TOTP code when it has one.
    static func login(_ app: Application, _ username: String, at now: Instant) async throws -> String {
        var body: [String: Any] = ["username": username, "password": DemoAccounts.password]
        let account = DemoAccounts.allAccounts.first { $0.username == username }!
        if DemoAccounts.needsTOTP(account) {
            body["totp"] = TOTPCode.code(secret: Array("zhengxin-demo-\(username)".utf8), step: TOTPCode.step(at: now.secondsSinceEpoch))
        }
        var headers = HTTPHeaders()
        headers.contentType = .json
        let response = try await app.testing().sendRequest(
            .POST, "/api/v1/auth/login", headers: headers,
            body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
        let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        return try #require(object?["token"] as? String, "login as \(username): \(response.status) \(String(buffer: response.body))")
    }
}
