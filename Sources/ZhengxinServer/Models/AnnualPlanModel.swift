import Fluent
import Foundation
import ZhengxinCore

/// 年度政府投资计划, stored whole as JSON with its year and status as columns. A plan with a 涉密
/// line is stored SM4-sealed (AtRest), as that project's record is: its line holds the project's id
/// and planned amount, which the clear columns of the database never show.
final class AnnualPlanModel: Model, @unchecked Sendable {
    static let schema = "annual_plans"

    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "status") var status: String
    @Field(key: "record") var record: String

    init() {}

    init(_ plan: AnnualInvestmentPlan, sealed: Bool = false) throws {
        self.id = plan.id
        try update(from: plan, sealed: sealed)
    }

    /// `sealed`: the plan names a 涉密 project.
    func update(from plan: AnnualInvestmentPlan, sealed: Bool) throws {
        year = plan.year
        status = plan.status.rawValue
        let json = try RecordJSON.text(plan)
        record = sealed ? try AtRest.seal(json) : json
    }

    func decoded() throws -> AnnualInvestmentPlan {
        try RecordJSON.decode(AnnualInvestmentPlan.self, from: AtRest.isSealed(record) ? try AtRest.open(record) : record)
    }
}
