import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinBench
@testable import ZhengxinServer

/// The write path decides outside the write lock and stores only at the version it decided on
/// (ProjectActionRunner, ProjectVersioning.store); the SQLite pragmas are set once per connection
/// (SQLiteWriterSetup). Short write transactions without a lost update.
@Suite("Optimistic writes")
struct OptimisticWriteTests {
    @Test(
        "many actions on ONE project at once in one application: every one stored, none answered 409, the chain intact",
        arguments: Backend.all)
    func concurrentOnOneProject(_ backend: Backend) async throws {
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: SeedBenchTests.now) { app in
                _ = try await BenchPortfolio.seed(app, projects: 30, seed: 7, units: 3, today: SeedBenchTests.today)
                let records = try await ProjectRow.all(on: app.db).map { try $0.decoded() }
                let target = try #require(records.first { !$0.classified && !$0.sharing.activeEntries.isEmpty && $0.stage == .operating })
                let versionBefore = try #require(try await ProjectRow.find(target.id, on: app.db)).version
                let drcUser = try #require(try await UserModel.query(on: app.db).filter(\.$username == "drc").first())
                let drc = Actor(
                    userId: drcUser.id!, displayName: drcUser.displayName, organisationId: drcUser.$organisation.id, organisationType: .drc,
                    roles: [.staff])
                let count = 16
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for i in 0..<count {
                        let body = try TwoServerTests.feedback(target, i)
                        group.addTask {
                            _ = try await ProjectActionRunner.run(
                                "record-sharing-feedback", on: target.id, by: drc, at: SeedBenchTests.now(), client: "t\(i)", app: app
                            ) {
                                Lifecycle.perform(action: "record-sharing-feedback", body: body, on: $0, $1)!
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let stored = try #require(try await ProjectRow.find(target.id, on: app.db))
                #expect(stored.version == versionBefore + count)
                #expect(try stored.decoded().sharing.feedback.count - target.sharing.feedback.count == count)
                let entries = try await AuditEntryModel.query(on: app.db).filter(\.$projectId == target.id)
                    .filter(\.$action == "record-sharing-feedback").filter(\.$result == "accepted").count()
                #expect(entries - target.sharing.feedback.count >= count)
                let report = try await AuditRecorder.verify(on: app.db)
                #expect(report.problem == nil, "\(report.message)")
            }
        }
    }

    @Test("store writes the changed columns at the expected version only; a row that moved on is left as it is", arguments: Backend.all)
    func storeAtExpectedVersion(_ backend: Backend) async throws {
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: SeedBenchTests.now) { app in
                _ = try await BenchPortfolio.seed(app, projects: 5, seed: 5, units: 2, today: SeedBenchTests.today)
                let first = try #require(try await ProjectRow.read(where: "classified = \(bind: false)", on: app.db).first)
                let id = first.id
                #expect(try await ProjectRow.find(UUID(), on: app.db) == nil)
                let second = try #require(try await ProjectRow.find(id, on: app.db))
                let book = try await PolicyStore.book(on: app.db)
                var renamed = try first.decoded()
                renamed.name = "改名后的项目"
                let row = try ProjectRow(
                    renamed, policy: book.governing(renamed, today: SeedBenchTests.today), at: SeedBenchTests.now(),
                    version: first.version + 1, overdueMarks: first.overdueMarks)
                // Only what the rename changed is set: the name, the record, and the time and review day of the write.
                let changed = Set(row.changed(since: first).map(\.column))
                #expect(
                    changed.isSubset(of: ["name", "record", "updated_at", "deadlines_review_on"])
                        && changed.isSuperset(of: ["name", "record"]))
                try await app.writeTransaction { db in try await ProjectVersioning.store(row, over: first, on: db) }

                var stale = try second.decoded()
                stale.name = "过时的改名"
                stale.totalInvestment = Fen(1)
                let staleRow = try ProjectRow(
                    stale, policy: book.governing(stale, today: SeedBenchTests.today), at: SeedBenchTests.now(),
                    version: second.version + 1)
                await #expect(throws: ProjectVersioning.Conflict.self) {
                    try await app.writeTransaction { db in try await ProjectVersioning.store(staleRow, over: second, on: db) }
                }
                let stored = try #require(try await ProjectRow.find(id, on: app.db))
                #expect(stored.version == first.version + 1)
                #expect(stored.name == "改名后的项目" && stored.totalInvestmentFen == first.totalInvestmentFen)
                #expect(try stored.decoded().name == "改名后的项目")
                // What was stored is the row as made, column for column.
                #expect(stored == row)
            }
        }
    }

    @Test("retryingOnce(optimistic:locked:) runs the locked attempt only after a conflict, and answers 409 after two")
    func retryOrder() async throws {
        var calls: [String] = []
        let value = try await ProjectVersioning.retryingOnce(
            optimistic: { () async throws -> Int in
                calls.append("optimistic"); throw ProjectVersioning.Conflict()
            },
            locked: { () async throws -> Int in
                calls.append("locked"); return 7
            })
        #expect(value == 7 && calls == ["optimistic", "locked"])
        calls = []
        _ = try await ProjectVersioning.retryingOnce(
            optimistic: { () async throws -> Int in
                calls.append("optimistic"); return 1
            },
            locked: { () async throws -> Int in
                calls.append("locked"); return 2
            })
        #expect(calls == ["optimistic"])
        await #expect(throws: APIError.self) {
            _ = try await ProjectVersioning.retryingOnce(
                optimistic: { () async throws -> Int in throw ProjectVersioning.Conflict() },
                locked: { () async throws -> Int in throw ProjectVersioning.Conflict() })
        }
    }

    @Test("every SQLite write transaction runs at the configured synchronous level, though the pragma is set once per connection")
    func synchronousPerConnection() async throws {
        try await SharedDatabase.with(.sqlite) { shared in
            for (level, expected) in [(AppConfig.SQLiteSynchronous.full, 2), (.normal, 1)] {
                let app = try await Application.make(.testing)
                do {
                    var config = AppConfig(database: shared.choice, dataDirectory: shared.directory, bcryptCost: 4)
                    config.sqliteSynchronous = level
                    try await configure(app, config: config, now: SeedBenchTests.now)
                    try await app.autoMigrate()
                    for _ in 0..<6 {
                        let (sync, mode) = try await app.writeTransaction { db -> (Int, String) in
                            let sql = db as! any SQLDatabase
                            let sync = try await sql.raw("PRAGMA synchronous").first()?.decode(column: "synchronous", as: Int.self)
                            let mode = try await sql.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self)
                            return (sync ?? -1, mode ?? "")
                        }
                        #expect(sync == expected && mode == "wal")
                    }
                } catch {
                    try? await app.asyncShutdown()
                    throw error
                }
                try await app.asyncShutdown()
            }
        }
    }
}
