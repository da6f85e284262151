import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// The plans of the home queue's walks (HomeQueue.walks), on both databases, over QueryPlanTests'
/// seeded table and with its checks: each reads an index in order and stops at its LIMIT — never the
/// whole projects table, never a sort of the rows of a stage — for every agency (with and without
/// 涉密 rows it is named on) and a unit.
@Suite("Query plans of the home queue")
struct HomeQueuePlanTests {
    @Test("every queue walk reads through an index, in order", arguments: Backend.all)
    func queueWalks(_ backend: Backend) async throws {
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: { Instant(beijing: CivilDate(2026, 11, 1), hour: 10) }) { app in
                let seeded = try await QueryPlanTests.seed(app.db)
                var findings: [QueryPlanTests.Finding] = []
                let named = ProjectListing.Scope.rows(classifiedVisible: Array(seeded.classified.prefix(3)))
                var walked = 0
                for organisation in [OrganisationType.drc, .fin, .bdb, .aud] {
                    let agency = Actor(
                        userId: UUID(), displayName: "a", organisationId: seeded.drc.organisationId, organisationType: organisation,
                        roles: [.staff])
                    for (label, scope) in [("", ProjectListing.Scope.rows(classifiedVisible: [])), (", named on 涉密", named)] {
                        for (i, walk) in HomeQueue.walks(scope: scope, actor: agency).enumerated() {
                            findings += try await QueryPlanTests.check(
                                walk.query, "\(organisation.rawValue)\(label): walk \(i + 1)", allowSort: false, on: app.db)
                            walked += 1
                        }
                    }
                }
                for (label, scope) in [("", ProjectListing.Scope.rows(classifiedVisible: [])), (", named on 涉密", named)] {
                    for (i, walk) in HomeQueue.walks(scope: scope, actor: seeded.unit).enumerated() {
                        findings += try await QueryPlanTests.check(walk.query, "unit\(label): walk \(i + 1)", allowSort: false, on: app.db)
                        walked += 1
                    }
                }
                #expect(walked > 20)  // DRC alone walks each stage of its flow
                for finding in findings { Issue.record("\(finding)") }
            }
        }
    }
}
