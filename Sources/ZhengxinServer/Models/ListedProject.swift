import Foundation
import SQLKit
import ZhengxinCore

/// A project as a list shows it: the list columns of its row, whether it has an open overdue mark,
/// and (only when asked for) its stored record. Read by position (PlainRows), not as a Fluent model:
/// building fifty `ProjectModel`s through their property wrappers was a large part of an uncached list.
struct ListedProject: Sendable {
    var id: UUID
    var code: String
    /// 涉密: a placeholder (ProjectRecordStorage.listedName); the real name is in the sealed record.
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
    var version: Int
    var updatedAt: Int64
    /// An unresolved overdue mark from the deadline scan.
    var overdue: Bool
    /// The record as stored, when the query read it.
    var record: String?

    /// The page's rows in `order`; whether each is overdue is its `overdue_marks` column (AddOverdueMarks).
    /// `init(row:record:)` reads this SELECT.
    static func page(where condition: SQLQueryString, order: SQLQueryString, limit: Int, offset: Int, records: Bool) -> SQLQueryString {
        let columns =
            "id, code, name, unit_id, stage, plan_year, total_investment_fen, classified, tier, approved_fen, planned_fen, "
            + "disbursed_fen, version, updated_at, overdue_marks" + (records ? ", record" : "")
        return "SELECT \(unsafeRaw: columns) FROM projects WHERE " + condition + " ORDER BY " + order
            + " LIMIT \(unsafeRaw: String(limit)) OFFSET \(unsafeRaw: String(offset))"
    }

    init(row: PlainRows.Row, record withRecord: Bool) throws {
        id = try row.uuid(0)
        code = try row.text(1)
        name = try row.text(2)
        unitId = try row.uuid(3)
        stage = try row.text(4)
        planYear = try row.int(5)
        totalInvestmentFen = try row.int64(6)
        classified = try row.bool(7)
        tier = try row.int(8)
        approvedFen = try row.optionalInt64(9)
        plannedFen = try row.int64(10)
        disbursedFen = try row.int64(11)
        version = try row.int(12)
        updatedAt = try row.int64(13)
        overdue = try row.int64(14) > 0
        record = withRecord ? try row.text(15) : nil
    }

    /// What ClassifiedRecords keeps an opened record under.
    var key: ClassifiedRecords.Key { ClassifiedRecords.Key(id: id, version: version, updatedAt: updatedAt) }

    /// The record, when the query read it.
    func decoded() throws -> ProjectRecord {
        guard let record else { throw DecodingError.valueNotFound(String.self, .init(codingPath: [], debugDescription: "record not read")) }
        return try ProjectRecordStorage.decode(record)
    }
}
