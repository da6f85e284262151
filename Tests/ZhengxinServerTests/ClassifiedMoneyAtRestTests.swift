import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// A 涉密 project's whole record is sealed, so its amounts (investment, approved budget, fund plans,
/// payments) must not sit in the clear beside it: the project's amount columns hold 0 and the
/// report's tallies count it without money. Written through the API, read behind the server's back,
/// every column of every table; those named on the project still see the amounts.
@Suite("涉密 amounts at rest")
struct ClassifiedMoneyAtRestTests {
    static let investmentFen: Int64 = 271_828_100
    static let planFen: Int64 = 264_575_100
    static let fundPlanFen: Int64 = 141_421_300

    /// Every value of every table, as text or integer.
    static func everyValue(_ world: TestWorld) async throws -> (texts: [String], integers: [(table: String, value: Int64)]) {
        let sql = world.app.db as! any SQLDatabase
        let tables: [String]
        switch world.backend {
        case .sqlite:
            tables = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table'").all().map {
                try $0.decode(column: "name", as: String.self)
            }
        case .postgres:
            tables = try await sql.raw("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'").all()
                .map { try $0.decode(column: "table_name", as: String.self) }
        }
        var texts: [String] = [], integers: [(String, Int64)] = []
        for table in tables {
            for row in try await PlainRows.all(SQLQueryString("SELECT * FROM \(ident: table)"), on: world.app.db) {
                for cell in row.cells {
                    switch cell {
                    case .text(let s): texts.append(s)
                    case .integer(let n): integers.append((table, n))
                    default: break
                    }
                }
            }
        }
        return (texts, integers)
    }

    static func classifiedColumns(_ world: TestWorld) async throws -> [Int64?] {
        let rows = try await PlainRows.all(
            SQLQueryString(
                """
                SELECT total_investment_fen, approved_fen, planned_fen, disbursed_fen FROM projects WHERE classified = \(bind: true)
                """), on: world.app.db)
        return try rows.flatMap { r in try (0..<4).map { try r.optionalInt64($0) } }
    }

    @Test("no 涉密 amount in any clear column of any table; the named still see it, the reports' figures unchanged", arguments: Backend.all)
    func noAmountInTheClear(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var secret = Walk(world)
            try await secret.create(Walk.draft(name: "应急指挥专网", yuan: Self.investmentFen / 100, extra: ["classified": true]))
            for agency in ["drc", "bdb", "fin"] {
                try await world.must(
                    secret.projectId, "grant-classified-access", as: "unitA", ["userId": world.userIds[agency]!.uuidString])
            }
            try await secret.toReserve()
            try await secret.toPlanned(amountFen: Self.planFen)
            try await secret.toApproved(path: ["implementationPlan"], amountFen: Self.planFen)
            try await world.must(
                secret.projectId, "issue-fund-plan", as: "drc",
                ["amountFen": Self.fundPlanFen, "documentNumber": "资金计划7号", "issuedOn": secret.today])
            var plain = Walk(world)
            try await plain.create(Walk.draft(yuan: 1_000_000))
            try await plain.toReserve()

            let fen = [Self.investmentFen, Self.planFen, Self.fundPlanFen]
            let needles = fen.flatMap { [String($0), String($0 / 100)] }
            let (texts, integers) = try await Self.everyValue(world)
            #expect(integers.count > 100)
            for needle in needles {
                let found = texts.filter { $0.contains(needle) }.map { String($0.prefix(160)) }
                #expect(found.isEmpty, "「\(needle)」 found in the clear in the database: \(found)")
            }
            for amount in fen {
                let found = integers.filter { $0.value == amount || $0.value == amount / 100 }
                #expect(found.isEmpty, "\(amount) in \(found.map(\.table))")
            }
            // A plan with a 涉密 line is stored sealed: the line's id and amount are not in the clear.
            let plans = try await PlainRows.all(SQLQueryString("SELECT record FROM annual_plans"), on: world.app.db).map { try $0.text(0) }
            #expect(!plans.isEmpty && !plans.contains { $0.contains(String(Self.planFen)) || $0.contains(secret.projectId) })
            #expect(try await Self.classifiedColumns(world) == [0, nil, 0, 0])

            // Those named read the amounts: the project, and the list (sorted by investment, the 涉密 row at 0).
            let view = try await world.call(.GET, "/api/v1/projects/\(secret.projectId)", as: "drc")
            #expect(
                (view.project["totalInvestment"] as? NSNumber)?.int64Value == Self.investmentFen, "\(view.project["totalInvestment"] ?? "")"
            )
            let list = try await world.call(.GET, "/api/v1/projects?sort=investment", as: "unitA").array.compactMap { $0 as? [String: Any] }
            let listed = try #require(list.first { $0["id"] as? String == secret.projectId })
            #expect("\(listed["totalInvestment"] ?? "")" == String(Self.investmentFen), "\(listed)")
            #expect(list.first?["id"] as? String == secret.projectId)  // sorted as 0, ascending
            #expect(try await world.call(.GET, "/api/v1/projects?sort=investment", as: "unitB").array.count == 0)

            // The migration: amounts back from the sealed records on revert, cleared again, figures alike.
            let csv = try await ReportPagesTests.csvLines(world, "/reports/by-unit.csv", as: "drc")
            try await ClearClassifiedMoney().revert(on: world.app.db)
            #expect(try await Self.classifiedColumns(world) == [Self.investmentFen, Self.planFen, Self.fundPlanFen, 0])
            #expect(try await ReportPagesTests.csvLines(world, "/reports/by-unit.csv", as: "drc") == csv)
            try await ClearClassifiedMoney().prepare(on: world.app.db)
            #expect(try await Self.classifiedColumns(world) == [0, nil, 0, 0])
            #expect(try await ProjectTallies.drift(on: world.app.db).isEmpty)
            let tallied = try await PlainRows.all(
                SQLQueryString(
                    """
                    SELECT CAST(SUM(projects) AS BIGINT), CAST(SUM(requested + approved + planned + disbursed) AS BIGINT) FROM project_tallies WHERE classified = \(bind: true)
                    """), on: world.app.db)
            #expect(try tallied.first?.int64(0) == 1 && tallied.first?.int64(1) == 0)
            #expect(try await ReportPagesTests.csvLines(world, "/reports/by-unit.csv", as: "drc") == csv)
            #expect(try await AuditRecorder.verify(on: world.app.db).problem == nil)
        }
    }
}
