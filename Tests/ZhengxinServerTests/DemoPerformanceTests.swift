import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// The demo portfolio's 绩效目标 and 绩效评价 (R-GOAL-1, R-GOAL-2): every project carries a valid table,
/// and operating projects a year old are evaluated, with grades that differ.
@Suite("Demo portfolio: performance goals and evaluations")
struct DemoPerformanceTests {
    @Test("every demo project declares a table with 产出 and 效益; evaluations exist with varied grades", arguments: Backend.all)
    func demoGoals(_ backend: Backend) async throws {
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: DemoSeedTests.clock(DemoSeedTests.today)) { app in
                let records = try await DemoSeedTests.seeded(app).records
                for p in records {
                    #expect(PerformanceGoalRules.declarationViolations(p.performanceGoals).isEmpty, "\(p.code) \(p.name)")
                }
                let evaluations = records.compactMap(\.supervision.latestEvaluation)
                #expect(!evaluations.isEmpty)
                #expect(Set(evaluations.map(\.grade)).count >= 2, "\(evaluations.map(\.grade))")
                for e in evaluations { #expect(e.total == e.scores.map(\.score).reduce(.zero, +)) }
            }
        }
    }
}
