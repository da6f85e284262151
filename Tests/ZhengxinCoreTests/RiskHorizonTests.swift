import Foundation
import Testing

@testable import ZhengxinCore

/// RiskAssessment.nextChange: the day a fund plan's disbursement lag (第十一条) can first raise the
/// rating, the one time-only input of the rating that DeadlineHorizon does not name.
@Suite("Risk horizon (pure)")
struct RiskHorizonTests {
    static func plan(_ number: Int, issuedOn: CivilDate) -> FundPlan {
        FundPlan(number: number, amount: Fen(yuan: 4_000_000), documentNumber: "郑财〔2026〕\(number)号", issuedOn: issuedOn)
    }

    @Test("第十一条: the lag day of the earliest plan still ahead; none once every plan has reached it")
    func lagDay() {
        var p = RiskAssessmentTests.underConstruction()
        #expect(RiskAssessment.nextChange(for: p, today: CivilDate(2026, 3, 1)) == nil, "no fund plan: nothing moves with time")
        p.fundPlans = [Self.plan(1, issuedOn: CivilDate(2026, 3, 5)), Self.plan(2, issuedOn: CivilDate(2026, 5, 1))]
        // 2026-03-05 + 180 days = 2026-09-01; 2026-05-01 + 180 days = 2026-10-28.
        #expect(RiskAssessment.nextChange(for: p, today: CivilDate(2026, 8, 31)) == CivilDate(2026, 9, 1))
        #expect(RiskAssessment.nextChange(for: p, today: CivilDate(2026, 9, 1)) == CivilDate(2026, 10, 28), "on the day: the next one")
        #expect(RiskAssessment.nextChange(for: p, today: CivilDate(2026, 10, 28)) == nil)
        // The rating is the same on every day before the horizon and may differ on it.
        let before = RiskAssessmentTests.rate(p, on: CivilDate(2026, 8, 31))
        #expect(RiskAssessmentTests.rate(p, on: CivilDate(2026, 8, 1)) == before)
        #expect(RiskAssessmentTests.rate(p, on: CivilDate(2026, 9, 1)) != before)
    }
}
