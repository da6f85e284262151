import Fluent
import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinBench
@testable import ZhengxinServer

/// Two server processes on one database: two `Application`s, each with its own
/// write gate, take actions on the same projects at once. No accepted action may be lost from the
/// record or the audit chain, and the daily scan runs once between them.
@Suite("Two servers on one database")
struct TwoServerTests {
    static func feedback(_ p: ProjectRecord, _ i: Int) throws -> Data {
        try JSONSerialization.data(withJSONObject: [
            "entryCode": p.sharing.activeEntries[0].code, "usedOn": "2026-10-30",
            "consumer": "使用单位\(i)", "purpose": "并发核验", "outcome": "satisfied",
        ])
    }

    @Test(
        "concurrent actions from two applications: every accepted one in the record and the chain; the daily scan runs once",
        arguments: Backend.all)
    func twoApplications(_ backend: Backend) async throws {
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: SeedBenchTests.now) { a in
                _ = try await BenchPortfolio.seed(a, projects: 80, seed: 3, units: 4, today: SeedBenchTests.today)
                try await shared.app(now: SeedBenchTests.now) { b in
                    let records = try await ProjectRow.all(on: a.db).map { try $0.decoded() }
                    let targets = Array(
                        records.filter { !$0.classified && !$0.sharing.activeEntries.isEmpty && $0.stage == .operating }.prefix(3))
                    try #require(targets.count == 3)
                    let drcUser = try #require(try await UserModel.query(on: a.db).filter(\.$username == "drc").first())
                    let drc = Actor(
                        userId: drcUser.id!, displayName: drcUser.displayName, organisationId: drcUser.$organisation.id,
                        organisationType: .drc, roles: [.staff])
                    let entriesBefore = try await AuditEntryModel.query(on: a.db).filter(\.$action == "record-sharing-feedback").count()
                    let perApp = 12
                    let outcomes = try await withThrowingTaskGroup(of: (UUID, Bool).self) { group in
                        for (n, app) in [a, b].enumerated() {
                            for i in 0..<perApp {
                                let p = targets[i % targets.count]
                                let body = try Self.feedback(p, n * 100 + i)
                                group.addTask {
                                    do {
                                        _ = try await ProjectActionRunner.run(
                                            "record-sharing-feedback", on: p.id, by: drc, at: SeedBenchTests.now(), client: "server-\(n)",
                                            app: app
                                        ) {
                                            Lifecycle.perform(action: "record-sharing-feedback", body: body, on: $0, $1)!
                                        }
                                        return (p.id, true)
                                    } catch let e as APIError where e.code == "CONFLICT" {
                                        return (p.id, false)
                                    }
                                }
                            }
                        }
                        var all: [(UUID, Bool)] = []
                        for try await o in group { all.append(o) }
                        return all
                    }
                    let accepted = outcomes.filter(\.1)
                    #expect(accepted.count == 2 * perApp, "the locks serialise both servers, so nothing should even conflict")
                    for p in targets {
                        let stored = try #require(try await ProjectRow.find(p.id, on: b.db)).decoded()
                        #expect(stored.sharing.feedback.count - p.sharing.feedback.count == accepted.filter { $0.0 == p.id }.count)
                    }
                    let entriesAfter = try await AuditEntryModel.query(on: b.db).filter(\.$action == "record-sharing-feedback").count()
                    #expect(entriesAfter - entriesBefore == accepted.count)
                    let report = try await AuditRecorder.verify(on: b.db)
                    #expect(report.problem == nil, "\(report.message)")

                    async let ranA = DeadlineScanner.runDaily(a)
                    async let ranB = DeadlineScanner.runDaily(b)
                    let ran = try await [ranA, ranB]
                    #expect(ran.compactMap { $0 }.count == 1)
                }
            }
        }
    }

    @Test("a write decided on a stale version is refused: retried once from a fresh read, then 409 CONFLICT", arguments: Backend.all)
    func staleVersion(_ backend: Backend) async throws {
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: SeedBenchTests.now) { app in
                _ = try await BenchPortfolio.seed(app, projects: 5, seed: 5, units: 2, today: SeedBenchTests.today)
                let read = try #require(try await ProjectRow.all(on: app.db).first)
                let (id, version) = (read.id, read.version)
                var moved = read
                moved.version += 1
                let next = moved
                try await app.writeTransaction { db in try await ProjectVersioning.store(next, over: read, on: db) }
                await #expect(throws: ProjectVersioning.Conflict.self) {
                    try await app.writeTransaction { db in try await ProjectVersioning.store(next, over: read, on: db) }
                }
                #expect(try await ProjectRow.find(id, on: app.db)?.version == version + 1)
                var attempts = 0
                do {
                    _ = try await ProjectVersioning.retryingOnce { () async throws -> Int in
                        attempts += 1
                        throw ProjectVersioning.Conflict()
                    }
                    Issue.record("a conflict twice must be answered 409")
                } catch let e as APIError {
                    #expect(e.status == .conflict && e.code == "CONFLICT" && e.message.contains("请刷新"))
                }
                #expect(attempts == 2)
            }
        }
    }
}
