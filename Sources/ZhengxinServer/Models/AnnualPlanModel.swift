import Fluent
import Foundation
import ZhengxinCore

/// 年度政府投资计划, stored whole as JSON with its year and status as columns.
final class AnnualPlanModel: Model, @unchecked Sendable {
    static let schema = "annual_plans"

    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "status") var status: String
    @Field(key: "record") var record: String

    init() {}

    init(_ plan: AnnualInvestmentPlan) throws {
        self.id = plan.id
        try update(from: plan)
    }

    func update(from plan: AnnualInvestmentPlan) throws {
        year = plan.year
        status = plan.status.rawValue
        record = try RecordCoding.encode(plan)
    }

    func decoded() throws -> AnnualInvestmentPlan { try RecordCoding.decode(AnnualInvestmentPlan.self, record) }
}
