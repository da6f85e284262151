import Fluent
import Foundation
import SQLKit
import ZhengxinCore

/// A row of `projects`, the table's one shape: the whole `ProjectRecord` as stored text (sealed for a
/// 涉密 project), plus the columns lists, queues and portfolio reports filter, sort and sum on, so
/// that none of them decodes a record (there may be 100,000 projects). Writers read and store it
/// (ProjectVersioning), lists read it without the record, the audit binds it (ProjectStateDigest).
/// Read by position (PlainRows) and written with plain SQL: Fluent's model walked its property
/// wrappers by reflection on every read and write, a large part of an action's and a list's CPU.
package struct ProjectRow: Equatable, Sendable {
    package static let table = "projects"

    package var id: UUID
    /// Rises with every accepted action (ProjectVersioning).
    var version: Int
    var code: String
    /// 涉密: a placeholder (ProjectRecordStorage.listedName); the real name is in the sealed record.
    var name: String
    var unitId: UUID
    var stage: String
    var planYear: Int
    var totalInvestmentFen: Int64
    var classified: Bool
    /// 第九条 tier (1/2/3) under the policy governing the project at its last write.
    var tier: Int
    /// 批复概算 once approved (第十条).
    var approvedFen: Int64?
    /// Sum of fund plans (资金计划, 第十一条).
    var plannedFen: Int64
    /// Sum of disbursements (拨付, 第十一条).
    var disbursedFen: Int64
    /// The record as stored (ProjectRecordStorage); nil when the read left it out (a list page).
    var record: String?
    var updatedAt: Int64
    /// From which day the deadline scan looks at the project again (DeadlineReview): "" once written.
    package var deadlinesReviewOn: String?
    /// Open overdue marks of the deadline scan, counted by the database (AddOverdueMarks); never
    /// written from here.
    var overdueMarks: Int

    /// The row `record` makes once written at `now` as `version`; `policy` governs `record` (its tier).
    package init(_ record: ProjectRecord, policy: Policy, at now: Instant, version: Int = 0, overdueMarks: Int = 0) throws {
        let stored = try ProjectRecordStorage.encode(record)
        self.init(record, stored: stored, policy: policy, at: now, version: version, overdueMarks: overdueMarks)
    }

    /// The same, with the record's stored text already made (ProjectRecordStorage.encoded).
    init(_ record: ProjectRecord, stored: String, policy: Policy, at now: Instant, version: Int, overdueMarks: Int = 0) {
        id = record.id
        self.version = version
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
        self.overdueMarks = overdueMarks
    }

    /// The record, when the read loaded it.
    package func decoded() throws -> ProjectRecord {
        guard let record else { throw DecodingError.valueNotFound(String.self, .init(codingPath: [], debugDescription: "record not read")) }
        return try ProjectRecordStorage.decode(record)
    }

    /// What ClassifiedRecords keeps an opened record under.
    var key: ClassifiedRecords.Key { ClassifiedRecords.Key(id: id, version: version, updatedAt: updatedAt) }
}

// MARK: - Reading

extension ProjectRow {
    /// The columns `init(row:from:)` reads, in order; `record: false` reads NULL in the record's place,
    /// so a list never drags the records through the database. `marks: false` reads 0 for the overdue
    /// marks, for the migrations that run before AddOverdueMarks made the column.
    static func select(record: Bool = true, marks: Bool = true, as alias: String? = nil) -> String {
        let p = alias.map { $0 + "." } ?? ""
        var columns = [
            "id", "version", "code", "name", "unit_id", "stage", "plan_year", "total_investment_fen", "classified", "tier",
            "approved_fen", "planned_fen", "disbursed_fen", "record", "updated_at", "deadlines_review_on", "overdue_marks",
        ].map { p + $0 }
        if !record { columns[13] = "NULL" }
        if !marks { columns[16] = "0" }
        return columns.joined(separator: ", ")
    }

    /// How many columns `select` reads: what follows them in a joined row starts here.
    static let selectedCount = 17

    /// A row read with `select`, its first column at `start`.
    init(row r: PlainRows.Row, from start: Int = 0) throws {
        let i = start
        id = try r.uuid(i)
        version = try r.int(i + 1)
        code = try r.text(i + 2)
        name = try r.text(i + 3)
        unitId = try r.uuid(i + 4)
        stage = try r.text(i + 5)
        planYear = try r.int(i + 6)
        totalInvestmentFen = try r.int64(i + 7)
        classified = try r.bool(i + 8)
        tier = try r.int(i + 9)
        approvedFen = try r.optionalInt64(i + 10)
        plannedFen = try r.int64(i + 11)
        disbursedFen = try r.int64(i + 12)
        record = try r.optionalText(i + 13)
        updatedAt = try r.int64(i + 14)
        deadlinesReviewOn = try r.optionalText(i + 15)
        overdueMarks = try r.int(i + 16)
    }

    /// The rows passing `condition`, in `order` when given.
    static func read(
        where condition: SQLQueryString, order: String? = nil, record: Bool = true, on db: any Database
    ) async throws -> [ProjectRow] {
        var query: SQLQueryString = "SELECT \(unsafeRaw: select(record: record)) FROM projects WHERE " + condition
        if let order { query += " ORDER BY \(unsafeRaw: order)" }
        return try await PlainRows.all(query, on: db).map { try ProjectRow(row: $0) }
    }

    /// Project `id`'s row, or nil when there is none.
    static func find(_ id: UUID, record: Bool = true, on db: any Database) async throws -> ProjectRow? {
        let rows =
            record
            ? try await PlainRows.all(ByID.self, [id], on: db) : try await PlainRows.all(ByIDWithoutRecord.self, [id], on: db)
        return try rows.first.map { try ProjectRow(row: $0) }
    }

    /// Project `id`'s row when it is within `reach` (ProjectQueries.Reach), else nil as for no row.
    static func find(_ id: UUID, within reach: ProjectQueries.Reach, on db: any Database) async throws -> ProjectRow? {
        let rows =
            switch reach {
            case .all: try await PlainRows.all(ByID.self, [id], on: db)
            case .unit(let unit): try await PlainRows.all(ByIDInUnit.self, [id, unit], on: db)
            case .vendor(let firm): try await PlainRows.all(ByIDOfVendor.self, [id, firm], on: db)
            }
        return try rows.first.map { try ProjectRow(row: $0) }
    }

    /// One row by id: what every action reads before it decides (PlainStatement).
    private enum ByID: PlainStatement {
        static let name = "project_row"
        static let sql = "SELECT \(select()) FROM projects WHERE id = $1"
    }

    private enum ByIDInUnit: PlainStatement {
        static let name = "project_row_in_unit"
        static let sql = ByID.sql + ProjectQueries.Reach.inUnit
    }

    private enum ByIDOfVendor: PlainStatement {
        static let name = "project_row_of_vendor"
        static let sql = ByID.sql + ProjectQueries.Reach.ofVendor
    }

    private enum ByIDWithoutRecord: PlainStatement {
        static let name = "project_row_columns"
        static let sql = "SELECT \(select(record: false)) FROM projects WHERE id = $1"
    }

    /// The rows of `ids` that exist, in no particular order; read 500 ids a statement.
    static func all(_ ids: some Collection<UUID>, record: Bool = true, on db: any Database) async throws -> [ProjectRow] {
        var rows: [ProjectRow] = []
        for chunk in Array(Set(ids)).chunks(of: 500) {
            rows += try await read(where: "id IN \(SQLBind.ids(chunk))", record: record, on: db)
        }
        return rows
    }

    /// Every row, by code (tests, migrations and tools over a whole database).
    static func all(record: Bool = true, on db: any Database) async throws -> [ProjectRow] {
        try await read(where: "1 = 1", order: "code", record: record, on: db)
    }
}

// MARK: - Writing

extension ProjectRow {
    /// The columns this row's writers set, with their values, in table order; `id`, `version` and
    /// `overdue_marks` apart.
    private var written: [(column: String, value: any Encodable & Sendable, same: (ProjectRow) -> Bool)] {
        func column<V: Equatable & Encodable & Sendable>(_ name: String, _ path: KeyPath<ProjectRow, V>) -> (
            column: String, value: any Encodable & Sendable, same: (ProjectRow) -> Bool
        ) {
            let value = self[keyPath: path]
            return (name, value, { $0[keyPath: path] == value })
        }
        return [
            column("code", \.code), column("name", \.name), column("unit_id", \.unitId), column("stage", \.stage),
            column("plan_year", \.planYear), column("total_investment_fen", \.totalInvestmentFen),
            column("classified", \.classified), column("tier", \.tier), column("approved_fen", \.approvedFen),
            column("planned_fen", \.plannedFen), column("disbursed_fen", \.disbursedFen), column("record", \.record),
            column("updated_at", \.updatedAt), column("deadlines_review_on", \.deadlinesReviewOn),
        ]
    }

    /// The written columns whose value differs from `stored`, each with its new value. Only these go
    /// into an UPDATE: SQLite rewrites every index covering a column in the SET list, changed or
    /// not, and with all of them set an action rewrote all fifteen indexes.
    func changed(since stored: ProjectRow) -> [(column: String, value: any SQLExpression)] {
        written.filter { !$0.same(stored) }.map { ($0.column, SQLBind($0.value)) }
    }
}

extension ProjectRow: BulkRow {
    package static var schema: String { table }
    package static let bulkColumns = [
        "id", "version", "code", "name", "unit_id", "stage", "plan_year", "total_investment_fen", "classified", "tier",
        "approved_fen", "planned_fen", "disbursed_fen", "record", "updated_at", "deadlines_review_on",
    ]
    package var bulkValues: [any Encodable & Sendable] { [id, version] + written.map(\.value) }
    package var bulkID: UUID? { id }
}
