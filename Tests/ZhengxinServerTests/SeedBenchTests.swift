import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinBench
@testable import ZhengxinServer

/// `zhengxin-bench seed`: a portfolio the rules produced, deterministic from its
/// seed, whose audit chain verifies and whose reminders are exactly what the deadline scan raises.
@Suite("Benchmark portfolio")
struct SeedBenchTests {
    static let today = CivilDate(2026, 11, 1)
    static let now: @Sendable () -> Instant = { Instant(beijing: SeedBenchTests.today, hour: 1) }

    @Test(
        "200 projects: counts, every stage and tier, a valid chain, reminders as the scan raises them, same seed same data",
        arguments: Backend.all)
    func portfolio(_ backend: Backend) async throws {
        var first: BenchPortfolio.Summary?
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: Self.now) { app in
                let indexesBefore = try await DeferredIndexes.definitions(BenchPortfolio.loadedTables, on: app.db)
                let s = try await BenchPortfolio.seed(app, projects: 200, seed: 7, units: 50, today: Self.today)
                first = s
                // The indexes set aside for the load are all back, as the migrations made them.
                #expect(indexesBefore.count >= 15)
                #expect(try await DeferredIndexes.definitions(BenchPortfolio.loadedTables, on: app.db) == indexesBefore)
                #expect(s.projects == 200)
                #expect(try await ProjectRow.all(record: false, on: app.db).count == 200)
                #expect(try await OrganisationModel.query(on: app.db).filter(\.$type == OrganisationType.unit.rawValue).count() == 50)
                let entries = try await AuditEntryModel.query(on: app.db).count()
                #expect(entries == s.auditEntries)
                #expect(entries >= 200 * 12 && entries <= 200 * 40, "about 20 audit entries per project, got \(entries)")
                // The bench's vendor is contracted on some projects (BenchWalk.vendorEvery), each one it sees.
                let vendor = try await OrganisationModel.query(on: app.db).filter(\.$type == OrganisationType.vendor.rawValue).first()!
                let contracted = try await PlainRows.all(ProjectListing.contractedProjects(of: vendor.id!), on: app.db).map {
                    try $0.uuid(0)
                }
                #expect(!contracted.isEmpty && contracted.count <= 200 / BenchWalk.vendorEvery)
                let vendorActor = Actor(
                    userId: UUID(), displayName: "v", organisationId: vendor.id!, organisationType: .vendor, roles: [.staff])
                for record in try await ProjectRow.all(contracted, on: app.db).map({ try $0.decoded() }) {
                    #expect(record.isVisible(to: vendorActor))
                }
                // A vendor's scope, said as its contracts (project_parties): its unfiltered list counts them, and
                // its overdue list holds every open mark of them, as counting the rows and the marks would say.
                // Also for an organisation named on projects with and without open overdue marks (parties written
                // here), so neither count is trivially zero.
                let marked = try await PlainRows.all(
                    SQLQueryString("SELECT id FROM projects WHERE overdue_marks > 0 AND NOT classified ORDER BY code LIMIT 15"), on: app.db
                ).map { try $0.uuid(0) }
                let unmarked = try await PlainRows.all(
                    SQLQueryString("SELECT id FROM projects WHERE overdue_marks = 0 AND NOT classified ORDER BY code LIMIT 15"), on: app.db
                ).map { try $0.uuid(0) }
                #expect(!marked.isEmpty)
                let other = UUID()
                let parties = app.db as! any SQLDatabase
                for id in marked + unmarked {
                    try await parties.raw(
                        "INSERT INTO project_parties (project_id, organisation_id, role) VALUES (\(bind: id), \(bind: other), 'construction')"
                    ).run()
                }
                for (organisation, ids) in [(vendor.id!, contracted), (other, marked + unmarked)] {
                    let scope = ProjectListing.Scope.contracted(organisation: organisation, classifiedVisible: [])
                    let listed = try await ProjectListing.count(ProjectListQuery(), scope: scope, actor: vendorActor, on: app.db)
                    #expect(listed == ids.count)
                    let page = try await PlainRows.all(
                        ProjectListing.pageQuery(ProjectListQuery(), scope: scope, actor: vendorActor), on: app.db
                    ).map { try $0.uuid(0) }
                    #expect(ids.count > 50 ? page.count == 50 : Set(page) == Set(ids))
                    let overdue = try await ReminderListing.page(
                        ReminderListing.Filter(listing: .overdue), limit: 10_000, for: vendorActor, .scoped(scope), on: app.db)
                    let marks = try await PlainRows.all(
                        SQLQueryString(
                            "SELECT COUNT(*) FROM reminders WHERE status = 'overdue' AND resolved_at IS NULL AND project_id IN (\(binds: ids))"
                        ),
                        on: app.db)
                    #expect(overdue.total == (try marks.first?.int(0)) && overdue.total == overdue.rows.count)
                    // Page by page (the marks sorted before their projects are read), in due order and each once.
                    func line(_ row: ReminderListing.Row) -> String { "\(row.dueOn) \(row.projectId) \(row.kind) \(row.code) \(row.name)" }
                    var paged: [String] = []
                    while paged.count < overdue.total {
                        let next = try await ReminderListing.page(
                            ReminderListing.Filter(listing: .overdue), limit: 3, offset: paged.count, for: vendorActor, .scoped(scope),
                            on: app.db)
                        if next.rows.isEmpty { break }
                        #expect(next.total == overdue.total)
                        paged += next.rows.map(line)
                    }
                    #expect(paged == overdue.rows.map(line))
                    #expect(organisation != other || paged.count > 3, "more than one page")
                    #expect(overdue.rows.map(\.dueOn) == overdue.rows.map(\.dueOn).sorted())
                    #expect(overdue.rows.allSatisfy { !$0.code.isEmpty && !$0.name.isEmpty })
                }
                try await parties.raw("DELETE FROM project_parties WHERE organisation_id = \(bind: other)").run()
                // The report's tallies, kept by triggers through the bulk load, agree with the projects;
                // and after writes straight to the table, and after the migration is reverted and made again.
                #expect(try await ProjectTallies.drift(on: app.db).isEmpty)
                #expect(try await OverdueMarks.drift(on: app.db) == 0)
                #expect(try await RiskTallies.drift(on: app.db) == 0)
                #expect(try await ReminderTallies.drift(on: app.db) == 0)
                let tallied = try await PlainRows.all(
                    SQLQueryString("SELECT CAST(SUM(projects) AS BIGINT) FROM project_tallies"), on: app.db)
                #expect(try tallied.first?.int(0) == 200)
                let raw = app.db as! any SQLDatabase
                let movedModel = try await ProjectRow.all(record: false, on: app.db).first!
                let moved = movedModel.id
                try await raw.raw(
                    "UPDATE projects SET stage = 'operating', disbursed_fen = disbursed_fen + 123, approved_fen = NULL, tier = 3 WHERE id = \(bind: moved)"
                ).run()
                try await raw.raw("UPDATE projects SET name = '改名', record = record WHERE id = \(bind: moved)").run()
                #expect(try await ProjectTallies.drift(on: app.db).isEmpty)
                // Written behind the server's back: the row is no longer the state its last entry bound.
                let edited = try await AuditRecorder.verify(on: app.db)
                guard case .projectStates(let findings) = edited.problem else { Issue.record("not found: \(edited.message)"); return }
                #expect(findings.map(\.projectId) == [moved])
                if case .differs(let fields) = findings.first?.kind {
                    #expect(fields.contains("阶段(stage)") && fields.contains("名称(name)") && fields.contains("拨付合计(disbursed_fen)"))
                }
                try await raw.raw(
                    """
                    UPDATE projects SET stage = \(bind: movedModel.stage), disbursed_fen = \(bind: movedModel.disbursedFen),
                      approved_fen = \(bind: movedModel.approvedFen), tier = \(bind: movedModel.tier), name = \(bind: movedModel.name) WHERE id = \(bind: moved)
                    """
                ).run()
                try await AddProjectTallies().revert(on: app.db)
                try await AddProjectTallies().prepare(on: app.db)
                #expect(try await ProjectTallies.drift(on: app.db).isEmpty)
                // The check sees a tally that is off by one fen.
                let off: SQLQueryString = """
                    UPDATE project_tallies SET disbursed = disbursed + 1 WHERE (unit_id, stage, plan_year, tier, classified) =
                      (SELECT unit_id, stage, plan_year, tier, classified FROM projects WHERE id = \(bind: moved))
                    """
                try await raw.raw(off).run()
                #expect(try await ProjectTallies.drift(on: app.db).count >= 2)
                let offReport = try await AuditRecorder.verify(on: app.db)
                #expect(offReport.problem == .talliesDiffer(rows: 2), "audit-verify names it: \(offReport.message)")
                let back: SQLQueryString = """
                    UPDATE project_tallies SET disbursed = disbursed - 1 WHERE (unit_id, stage, plan_year, tier, classified) =
                      (SELECT unit_id, stage, plan_year, tier, classified FROM projects WHERE id = \(bind: moved))
                    """
                try await raw.raw(back).run()
                let models = try await ProjectRow.all(on: app.db)
                #expect(Set(models.map(\.stage)).count >= 12)
                #expect(Set(models.map(\.tier)) == [1, 2, 3])
                #expect(models.contains { $0.plannedFen > 0 && $0.disbursedFen > 0 && $0.approvedFen != nil })
                let records = try models.map { try $0.decoded() }
                #expect(records.contains { !$0.changes.isEmpty })
                #expect(records.contains { !$0.sharing.activeEntries.isEmpty })
                #expect(records.contains { !$0.documents.isEmpty })
                #expect(Set(records.map(\.code)).count == 200)

                // Audit entry ids are UUIDv7, in seq order: the load appends to the id index's end.
                let ids = try await AuditEntryModel.query(on: app.db).sort(\.$seq).all().map { $0.id!.uuidString }
                #expect(ids == ids.sorted())
                #expect(ids.allSatisfy { Array($0)[14] == "7" })

                let report = try await AuditRecorder.verify(on: app.db)
                #expect(report.problem == nil, "\(report.message)")
                #expect(report.entries == entries)
                #expect(report.projects.bound == 200 && report.projects.notBound == 0)
                // Across page boundaries too: the streamed walk pages through the chain.
                #expect(try await AuditChainStream.verify(on: app.db, pageSize: 97) == report)
                let sql = app.db as! any SQLDatabase
                let original = try #require(try await AuditEntryModel.query(on: app.db).filter(\.$seq == 1000).first()).summary
                try await sql.raw("UPDATE audit_entries SET summary = 'x' WHERE seq = 1000").run()
                #expect(try await AuditChainStream.verify(on: app.db, pageSize: 97).problem == .changed(seq: 1000))
                try await sql.raw("UPDATE audit_entries SET summary = \(bind: original) WHERE seq = 1000").run()

                // The reminders are the scan's own: scanning the same day raises and resolves nothing.
                let reminders = try await ReminderModel.query(on: app.db).count()
                #expect(reminders == s.reminders && reminders > 0)
                #expect(try await ReminderModel.query(on: app.db).filter(\.$status == "overdue").count() > 0)
                // …and the review days too: the next scan that day is incremental and visits nothing.
                let scan = try await DeadlineScanner.run(app)
                #expect(!scan.full && scan.projects == 0)
                let full = try await DeadlineScanner.run(app, full: true)
                #expect(full.projects == 200 && full.raised == 0 && full.resolved == 0)

                // Further actions are accepted on seeded records: usage feedback on a project in operation.
                let operating = try #require(records.first { $0.stage == .operating && !$0.sharing.activeEntries.isEmpty })
                let unitUser = try #require(try await UserModel.query(on: app.db).filter(\.$organisation.$id == operating.unitId).first())
                let actor = Actor(
                    userId: unitUser.id!, displayName: unitUser.displayName, organisationId: operating.unitId, organisationType: .unit,
                    roles: [.staff])
                let body = try JSONSerialization.data(withJSONObject: [
                    "entryCode": operating.sharing.activeEntries[0].code, "usedOn": "2026-10-30",
                    "consumer": "市医保局", "purpose": "核验", "outcome": "satisfied",
                ])
                let outcome = try await ProjectActionRunner.run(
                    "record-sharing-feedback", on: operating.id, by: actor, at: Self.now(), client: "test", app: app
                ) {
                    Lifecycle.perform(action: "record-sharing-feedback", body: body, on: $0, $1)!
                }
                #expect(outcome.record.sharing.feedback.count >= 1)
                #expect(try await AuditRecorder.verify(on: app.db).problem == nil)
            }
        }
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: Self.now) { app in
                let again = try await BenchPortfolio.seed(app, projects: 200, seed: 7, units: 50, today: Self.today)
                #expect(again.codes == first?.codes)
                #expect(again.fingerprint == first?.fingerprint)
                // The chain's last hash is not compared: each entry binds its row's stored state, and a row
                // holds sealed values (a contact phone, a 涉密 record) whose IV differs run to run.
                #expect(again.auditEntries == first?.auditEntries)
                await #expect(throws: BenchPortfolio.NotEmpty.self) {
                    try await BenchPortfolio.seed(app, projects: 1, seed: 7, units: 50, today: Self.today)
                }
            }
        }
    }
}
