import Fluent
import Foundation
import ZhengxinCore

/// A project row: the whole `ProjectRecord` as JSON, plus the columns lists, queues and portfolio
/// reports filter, sort and sum on, so that none of them decodes a record (there may be 100,000
/// projects). `version` rises with every accepted action.
package final class ProjectModel: Model, @unchecked Sendable {
    package static let schema = "projects"

    @ID(key: .id) package var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "unit_id") var unitId: UUID
    @Field(key: "stage") var stage: String
    @Field(key: "plan_year") var planYear: Int
    @Field(key: "total_investment_fen") var totalInvestmentFen: Int64
    @Field(key: "classified") var classified: Bool
    /// 第九条 tier (1/2/3) under the policy governing the project at its last write.
    @Field(key: "tier") var tier: Int
    /// 批复概算 once approved (第十条).
    @OptionalField(key: "approved_fen") var approvedFen: Int64?
    /// Sum of fund plans (资金计划, 第十一条).
    @Field(key: "planned_fen") var plannedFen: Int64
    /// Sum of disbursements (拨付, 第十一条).
    @Field(key: "disbursed_fen") var disbursedFen: Int64
    @Field(key: "record") var record: String
    @Field(key: "version") var version: Int
    @Field(key: "updated_at") var updatedAt: Int64
    /// From which day the deadline scan looks at the project again (DeadlineReview): "" once written.
    @OptionalField(key: "deadlines_review_on") package var deadlinesReviewOn: String?

    package init() {}

    package init(_ record: ProjectRecord, policy: Policy, at now: Instant) throws {
        self.id = record.id
        self.version = 0
        try fill(from: record, policy: policy, at: now, changedOnly: false)
    }

    /// A row read from the database, brought up to `record`. `policy` is the one governing `record`
    /// (PolicyBook.governing), for its tier. Only the columns that changed are assigned, so only they
    /// are in Fluent's UPDATE (see ProjectColumns.changed for why). Lifecycle actions write through
    /// ProjectVersioning.store instead.
    func update(from record: ProjectRecord, policy: Policy, at now: Instant) throws {
        try fill(from: record, policy: policy, at: now, changedOnly: true)
    }

    private func fill(from record: ProjectRecord, policy: Policy, at now: Instant, changedOnly: Bool) throws {
        let c = try ProjectColumns(record, policy: policy, at: now)
        // Plain assignments: a key path write goes through the property wrapper's modify, which reads
        // the field first, and a field of a new model has nothing to read yet.
        func differs<V: Equatable>(_ current: @autoclosure () -> V, _ value: V) -> Bool { !changedOnly || current() != value }
        if differs(code, c.code) { code = c.code }
        if differs(name, c.name) { name = c.name }
        if differs(unitId, c.unitId) { unitId = c.unitId }
        if differs(stage, c.stage) { stage = c.stage }
        if differs(planYear, c.planYear) { planYear = c.planYear }
        if differs(totalInvestmentFen, c.totalInvestmentFen) { totalInvestmentFen = c.totalInvestmentFen }
        if differs(classified, c.classified) { classified = c.classified }
        if differs(tier, c.tier) { tier = c.tier }
        if differs(approvedFen, c.approvedFen) { approvedFen = c.approvedFen }
        if differs(plannedFen, c.plannedFen) { plannedFen = c.plannedFen }
        if differs(disbursedFen, c.disbursedFen) { disbursedFen = c.disbursedFen }
        self.record = c.record
        if differs(updatedAt, c.updatedAt) { updatedAt = c.updatedAt }
        if differs(deadlinesReviewOn, c.deadlinesReviewOn) { deadlinesReviewOn = c.deadlinesReviewOn }
    }

    func decoded() throws -> ProjectRecord { try ProjectRecordStorage.decode(record) }
}

/// JSON for the other records stored in text columns (annual plans, policy versions, violations):
/// sorted keys so equal records store equal text. Project records use ProjectRecordStorage.
enum RecordCoding {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }
}

extension ProjectModel: BulkRow {
    package static let bulkColumns = [
        "id", "code", "name", "unit_id", "stage", "plan_year", "total_investment_fen", "classified", "tier",
        "approved_fen", "planned_fen", "disbursed_fen", "record", "version", "updated_at", "deadlines_review_on",
    ]
    package var bulkValues: [any Encodable & Sendable] {
        [
            id, code, name, unitId, stage, planYear, totalInvestmentFen, classified, tier,
            approvedFen, plannedFen, disbursedFen, record, version, updatedAt, deadlinesReviewOn,
        ]
    }
}
