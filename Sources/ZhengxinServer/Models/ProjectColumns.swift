import Foundation
import SQLKit
import ZhengxinCore

/// The columns of a project row other than `id` and `version`, as derived from its record: the one
/// place that says how each list column follows from the record (ProjectModel fills itself from it).
///
/// Also the lifecycle actions' way to the row without Fluent: `ProjectModel.find` and the
/// model's `input(to:)` walk the model's sixteen property wrappers by reflection, and building and
/// serialising Fluent's query cost as much again; together a large part of an action's CPU.
struct ProjectColumns: Equatable, Sendable {
    var code: String
    var name: String
    var unitId: UUID
    var stage: String
    var planYear: Int
    var totalInvestmentFen: Int64
    var classified: Bool
    var tier: Int
    var approvedFen: Int64?
    var plannedFen: Int64
    var disbursedFen: Int64
    /// The record as stored (ProjectRecordStorage: sealed where the Measures' data must be).
    var record: String
    var updatedAt: Int64
    /// From which day the deadline scan looks at the project again (DeadlineReview).
    var deadlinesReviewOn: String?

    /// The row's columns once `record` is written at `now`; `policy` governs `record` (its tier).
    init(_ record: ProjectRecord, policy: Policy, at now: Instant) throws {
        self.init(record, stored: try ProjectRecordStorage.encode(record), policy: policy, at: now)
    }

    /// The same, with the record's stored text already made (ProjectRecordStorage.encoded).
    init(_ record: ProjectRecord, stored: String, policy: Policy, at now: Instant) {
        code = record.code
        name = ProjectRecordStorage.listedName(record)  // 涉密: a placeholder, the name lives in the sealed record
        unitId = record.unitId
        stage = record.stage.rawValue
        planYear = record.planYear
        // 涉密: no amount in the clear (the record holding them is sealed); lists sort such a row at 0
        // and the report's tallies count it without money (ClearClassifiedMoney).
        let open = !record.classified
        totalInvestmentFen = open ? record.totalInvestment.value : 0
        classified = record.classified
        tier = record.tier(policy).rawValue
        approvedFen = open ? record.approvedBudget?.value : nil
        plannedFen = open ? record.totalFundPlans.value : 0
        disbursedFen = open ? record.totalDisbursed.value : 0
        self.record = stored
        updatedAt = now.secondsSinceEpoch
        deadlinesReviewOn = DeadlineReview.written  // every write: the next scan looks at the project
    }

    init(
        code: String, name: String, unitId: UUID, stage: String, planYear: Int, totalInvestmentFen: Int64, classified: Bool, tier: Int,
        approvedFen: Int64?, plannedFen: Int64, disbursedFen: Int64, record: String, updatedAt: Int64, deadlinesReviewOn: String?
    ) {
        (self.code, self.name, self.unitId, self.stage, self.planYear) = (code, name, unitId, stage, planYear)
        (self.totalInvestmentFen, self.classified, self.tier, self.approvedFen) = (totalInvestmentFen, classified, tier, approvedFen)
        (self.plannedFen, self.disbursedFen, self.record, self.updatedAt, self.deadlinesReviewOn) = (
            plannedFen, disbursedFen, record, updatedAt, deadlinesReviewOn
        )
    }

    /// The columns a model holds (read whole, or filled from a record).
    init(model m: ProjectModel) {
        code = m.code
        name = m.name
        unitId = m.unitId
        stage = m.stage
        planYear = m.planYear
        totalInvestmentFen = m.totalInvestmentFen
        classified = m.classified
        tier = m.tier
        approvedFen = m.approvedFen
        plannedFen = m.plannedFen
        disbursedFen = m.disbursedFen
        record = m.record
        updatedAt = m.updatedAt
        deadlinesReviewOn = m.deadlinesReviewOn
    }

    /// Column names in table order, as `selectList` reads them.
    static let names = [
        "code", "name", "unit_id", "stage", "plan_year", "total_investment_fen", "classified", "tier",
        "approved_fen", "planned_fen", "disbursed_fen", "record", "updated_at", "deadlines_review_on",
    ]

    /// `names` joined for a SELECT.
    static let selectList = names.joined(separator: ", ")

    /// The columns as a row read with `selectList` holds them.
    init(row: any SQLRow) throws {
        code = try row.decode(column: "code", as: String.self)
        name = try row.decode(column: "name", as: String.self)
        unitId = try row.decode(column: "unit_id", as: UUID.self)
        stage = try row.decode(column: "stage", as: String.self)
        planYear = try row.decode(column: "plan_year", as: Int.self)
        totalInvestmentFen = try row.decode(column: "total_investment_fen", as: Int64.self)
        classified = try row.decode(column: "classified", as: Bool.self)
        tier = try row.decode(column: "tier", as: Int.self)
        approvedFen = try row.decode(column: "approved_fen", as: Int64?.self)
        plannedFen = try row.decode(column: "planned_fen", as: Int64.self)
        disbursedFen = try row.decode(column: "disbursed_fen", as: Int64.self)
        record = try row.decode(column: "record", as: String.self)
        updatedAt = try row.decode(column: "updated_at", as: Int64.self)
        deadlinesReviewOn = try row.decode(column: "deadlines_review_on", as: String?.self)
    }

    /// Every column with its value, in the order of `names`.
    var values: [any Encodable & Sendable] {
        [
            code, name, unitId, stage, planYear, totalInvestmentFen, classified, tier,
            approvedFen, plannedFen, disbursedFen, record, updatedAt, deadlinesReviewOn,
        ]
    }

    /// The columns whose value differs from `stored`, each with its new value bound. Only these go
    /// into the UPDATE: SQLite rewrites every index covering a column in the SET list, changed or
    /// not, and with all of them set an action rewrote all fifteen indexes.
    func changed(since stored: ProjectColumns) -> [(column: String, value: any SQLExpression)] {
        typealias Change = (column: String, value: any SQLExpression)
        func column<V: Equatable & Encodable & Sendable>(_ name: String, _ path: KeyPath<ProjectColumns, V>) -> Change? {
            self[keyPath: path] == stored[keyPath: path] ? nil : (name, SQLBind(self[keyPath: path]))
        }
        func column<V: Equatable & Encodable & Sendable>(_ name: String, _ path: KeyPath<ProjectColumns, V?>) -> Change? {
            self[keyPath: path] == stored[keyPath: path] ? nil : (name, self[keyPath: path].map { SQLBind($0) } ?? SQLLiteral.null)
        }
        let all: [Change?] = [
            column("code", \.code), column("name", \.name), column("unit_id", \.unitId), column("stage", \.stage),
            column("plan_year", \.planYear), column("total_investment_fen", \.totalInvestmentFen),
            column("classified", \.classified), column("tier", \.tier), column("approved_fen", \.approvedFen),
            column("planned_fen", \.plannedFen), column("disbursed_fen", \.disbursedFen), column("record", \.record),
            column("updated_at", \.updatedAt), column("deadlines_review_on", \.deadlinesReviewOn),
        ]
        return all.compactMap { $0 }
    }
}
