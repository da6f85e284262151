import Fluent
import Foundation
import SQLKit
import ZhengxinCore

/// One project's latest 绩效评价 as `project_evaluations` keeps it (CreateProjectEvaluations): written
/// in the transaction of the action that records or moves it, read by UnitEvaluations. A 涉密
/// project's row carries its mark so readers check the record before naming it.
struct ProjectEvaluationRow: Sendable, Equatable {
    var projectId: UUID
    var unitId: UUID
    var classified: Bool
    var evaluatedOn: CivilDate
    var total: String
    var grade: PerformanceGrade

    /// nil for a project not evaluated yet.
    init?(_ record: ProjectRecord) {
        guard let latest = record.supervision.latestEvaluation else { return nil }
        (projectId, unitId, classified) = (record.id, record.unitId, record.classified)
        (evaluatedOn, total, grade) = (latest.evaluatedOn, latest.total.text, latest.grade)
    }

    static let columns = ["project_id", "unit_id", "classified", "evaluated_on", "total", "grade"]

    func store(on db: any Database) async throws {
        let updates = Self.columns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        let values: [any Encodable & Sendable] = [projectId, unitId, classified, evaluatedOn.description, total, grade.rawValue]
        try await (db as! any SQLDatabase).raw(
            """
            INSERT INTO project_evaluations (\(unsafeRaw: Self.columns.joined(separator: ", "))) VALUES \(SQLBind.group(values))
            ON CONFLICT (project_id) DO UPDATE SET \(unsafeRaw: updates)
            """
        ).run()
    }

    /// The newest evaluations of `unit` but `except`'s, in date order, from the unit index.
    static func newest(of unit: UUID, except: UUID, limit: Int) -> SQLQueryString {
        """
        SELECT project_id, classified, evaluated_on, total, grade FROM project_evaluations
        WHERE unit_id = \(bind: unit) AND project_id <> \(bind: except)
        ORDER BY evaluated_on DESC, project_id LIMIT \(unsafeRaw: String(limit))
        """
    }
}
