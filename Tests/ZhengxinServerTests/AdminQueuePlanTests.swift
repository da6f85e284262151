import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// The plans of the administrators' home queues (AdminQueues), on both databases, with
/// QueryPlanTests' checks: each list reads its index in order and stops at its LIMIT, never a whole
/// table and never a sort of the rows it pages through; each capped count reads an index.
@Suite("Query plans of the administrators' queues")
struct AdminQueuePlanTests {
    static let tables: Set<String> = [
        "admin_account_proposals", "p", "organisations", "o", "account_security", "s", "users", "u", "account_activations", "a",
        "audit_entries",
    ]

    @Test("every administrator's queue and count reads through an index", arguments: Backend.all)
    func adminQueues(_ backend: Backend) async throws {
        try await SharedDatabase.with(backend) { shared in
            try await shared.app(now: { Instant(beijing: CivilDate(2026, 11, 1), hour: 10) }) { app in
                _ = try await QueryPlanTests.seed(app.db)
                let sql = app.db as! any SQLDatabase
                if sql.dialect.name == "postgresql" { try await sql.raw("ANALYZE").run() }
                let (me, now) = (UUID(), Int64(1_790_000_000))
                let index = { (name: String) in (sqlite: name, postgres: name) }
                let cases: [(String, SQLQueryString, Bool, (sqlite: String, postgres: String)?)] = [
                    (
                        "pending proposals", AdminQueues.pendingProposals(notBy: me, limit: 10), false,
                        index("admin_account_proposals_status")
                    ),
                    (
                        "pending proposals, count", AdminQueues.pendingProposalCount(notBy: me), true,
                        index("admin_account_proposals_status")
                    ),
                    ("locked accounts", AdminQueues.lockedAccounts(at: now, limit: 10), false, index("account_security_locked")),
                    ("locked accounts, count", AdminQueues.lockedCount(at: now), true, index("account_security_locked")),
                    ("lapsed enrolments", AdminQueues.lapsedEnrolments(at: now, limit: 10), false, index("account_activations_purpose")),
                    ("lapsed enrolments, count", AdminQueues.lapsedEnrolmentCount(at: now), true, index("account_activations_purpose")),
                    (
                        "awaiting activation", AdminQueues.awaitingActivation(proposedBy: me, lapsed: false, at: now, limit: 10), false,
                        index("account_activations_purpose")
                    ),
                    (
                        "lapsed activation", AdminQueues.awaitingActivation(proposedBy: me, lapsed: true, at: now, limit: 10), false,
                        index("account_activations_purpose")
                    ),
                    (
                        "awaiting activation, count", AdminQueues.awaitingActivationCount(proposedBy: me, lapsed: false, at: now), true,
                        index("account_activations_purpose")
                    ),
                    (
                        "rejected proposals", AdminQueues.rejectedProposals(by: me, since: now, limit: 10), false,
                        index("admin_account_proposals_proposer")
                    ),
                    (
                        "rejected proposals, count", AdminQueues.rejectedCount(by: me, since: now), true,
                        index("admin_account_proposals_proposer")
                    ),
                    ("own pending, count", AdminQueues.ownPendingCount(by: me), true, index("admin_account_proposals_proposer")),
                    ("last review", AdminQueues.lastReview(), false, index("audit_entries_action_seq")),
                ]
                var findings: [QueryPlanTests.Finding] = []
                // A capped count is a scan of its own subquery (`capped`, at most countCap rows); on the few
                // rows here PostgreSQL may count through another index of the table, which is as good.
                for (name, statement, isCount, required) in cases {
                    findings += try await QueryPlanTests.check(
                        statement, name, allowSort: isCount, requiring: isCount && backend == .postgres ? nil : required,
                        tables: Self.tables,
                        outerSort: false, on: app.db)
                }
                for (action, _) in AdminQueues.reviewed {
                    findings += try await QueryPlanTests.check(
                        AdminQueues.events(action, after: 1_000, limit: 100), "events \(action)", allowSort: false,
                        requiring: index("audit_entries_action_seq"), tables: Self.tables, outerSort: false, on: app.db)
                    findings += try await QueryPlanTests.check(
                        AdminQueues.eventCount(action, after: 1_000), "events \(action), count", allowSort: true,
                        requiring: backend == .sqlite ? index("audit_entries_action_seq") : nil, tables: Self.tables, on: app.db)
                }
                #expect(cases.count == 13 && AdminQueues.reviewed.count > 10)
                for finding in findings { Issue.record("\(finding)") }
            }
        }
    }
}
