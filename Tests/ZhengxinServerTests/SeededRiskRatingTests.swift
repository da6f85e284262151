import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinBench
@testable import ZhengxinServer

/// The demo and the benchmark's portfolio come with a rating for every project, each what its
/// stored record rates on the seeding day, and a first history row.
@Suite("Risk ratings of seeded portfolios")
struct SeededRiskRatingTests {
    static func expectEveryProjectRated(_ app: Application, today: CivilDate) async throws {
        let rows = try await PlainRows.all(
            SQLQueryString(
                """
                SELECT p.record, r.level, r.points, (SELECT COUNT(*) FROM project_risk_changes c WHERE c.project_id = p.id)
                FROM projects p LEFT JOIN project_risks r ON r.project_id = p.id
                """), on: app.db)
        #expect(!rows.isEmpty)
        let book = try await PolicyStore.book(on: app.db)
        var levels = Set<Int>()
        for row in rows {
            let record = try ProjectRecordStorage.decode(try row.text(0))
            let rating = RiskAssessment.rate(record, today: today, policy: book.governing(record, today: today))
            #expect(try row.optionalInt64(1) == Int64(rating.level), "\(record.code)")
            #expect(try row.optionalInt64(2) == Int64(rating.points), "\(record.code)")
            #expect(try row.int(3) >= 1, "\(record.code)")
            levels.insert(rating.level)
        }
        #expect(levels.count > 1, "a portfolio of one level ranks nothing")
    }

    @Test("seed-demo: every project rated", arguments: Backend.all)
    func demo(_ backend: Backend) async throws {
        let day = CivilDate(2026, 11, 20)
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: DemoSeedTests.clock(day)) { app in
                _ = try await DemoSeedTests.seeded(app)
                try await Self.expectEveryProjectRated(app, today: day)
            }
        }
    }

    @Test("zhengxin-bench: every project rated", arguments: Backend.all)
    func bench(_ backend: Backend) async throws {
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: { Instant(beijing: SeedBenchTests.today, hour: 9) }) { app in
                _ = try await BenchPortfolio.seed(app, projects: 200, seed: 7, units: 50, today: SeedBenchTests.today)
                try await Self.expectEveryProjectRated(app, today: SeedBenchTests.today)
            }
        }
    }
}
