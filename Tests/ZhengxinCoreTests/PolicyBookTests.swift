import Foundation
import Testing

@testable import ZhengxinCore

/// R-POL-1 (第四十二条, 第四十三条): versions by jurisdiction and effective date.
@Suite("Policy versions")
struct PolicyBookTests {
    static func county(from date: CivilDate, tier2Yuan: Int64 = 5_000_000) -> Policy {
        var p = Policy.zhengzhou2020
        p.id = "zhongmou-test"
        p.jurisdiction = "zhongmou"
        p.effectiveFrom = date
        p.tier2Threshold = Fen(yuan: tier2Yuan)
        return p
    }

    @Test("a version applies from its effective date, not the day before")
    func effectiveDate() {
        let book = PolicyBook(versions: [.zhengzhou2020, Self.county(from: CivilDate(2026, 7, 1))])
        #expect(book.inForce(jurisdiction: "zhongmou", on: CivilDate(2026, 6, 30)).id == Policy.zhengzhou2020.id)
        #expect(book.inForce(jurisdiction: "zhongmou", on: CivilDate(2026, 7, 1)).id == "zhongmou-test")
        #expect(book.inForce(jurisdiction: PolicyBook.city, on: CivilDate(2026, 7, 1)).id == Policy.zhengzhou2020.id)
        // 第四十三条: the 2020 Measures are in force from 2020-05-29.
        #expect(book.inForce(jurisdiction: PolicyBook.city, on: CivilDate(2020, 5, 29)).id == Policy.zhengzhou2020.id)
    }

    @Test("the same 800万元 is tier 1 in the city and tier 2 under a county's 500万元 threshold")
    func sideBySide() {
        let county = Self.county(from: CivilDate(2026, 1, 1))
        let total = Fen(yuan: 8_000_000)
        #expect(Tier.of(total, policy: .zhengzhou2020) == .one)
        #expect(Tier.of(total, policy: county) == .two)
        #expect(Tier.of(Fen(yuan: 5_000_000).subtracting(Fen(1))!, policy: county) == .one)
    }

    @Test("a declared project stays under the version pinned at declaration")
    func pinnedAtDeclaration() {
        let later = Self.county(from: CivilDate(2026, 8, 1))
        var p = ProjectRecord(
            id: UUID(), code: "ZZ-1", name: "n", unitId: UUID(), source: .unitDeclaration, planYear: 2027,
            category: .businessSystem, totalInvestment: Fen(yuan: 8_000_000), content: "c", goals: "g",
            classified: false, simpleContentRequested: false, ownInfrastructure: nil, nationalCode: nil,
            policyId: Policy.zhengzhou2020.id, createdOn: CivilDate(2026, 3, 1), createdBy: UUID())
        p.jurisdiction = "zhongmou"
        let book = PolicyBook(versions: [.zhengzhou2020, later])
        #expect(book.governing(p, today: CivilDate(2026, 9, 1)).id == "zhongmou-test")  // a draft follows today's version
        p.declaredAt = Instant(beijing: CivilDate(2026, 3, 2))
        #expect(book.governing(p, today: CivilDate(2026, 9, 1)).id == Policy.zhengzhou2020.id)
    }

    @Test("a new version is checked before it is added")
    func validation() {
        var bad = Self.county(from: CivilDate(2026, 1, 1))
        bad.tier2Threshold = bad.tier3Threshold
        bad.declarationDeadlineMonth = 2
        bad.declarationDeadlineDay = 30
        let problems = PolicyBook.builtIn.problems(adding: bad).compactMap(\.field)
        #expect(problems.contains("tier3Threshold"))
        #expect(problems.contains("declarationDeadlineDay"))
        #expect(PolicyBook.builtIn.problems(adding: .zhengzhou2020).compactMap(\.field) == ["id"])
        // Every period and level bounded: each feeds date arithmetic on every action.
        var extreme = Self.county(from: CivilDate(2026, 1, 1))
        extreme.minimumTrialRunMonths = Int.max
        extreme.acceptanceWindowMonths = 0
        extreme.performanceEvaluationMonths = 121
        extreme.operationsAndSecurity = OperationsSecurityParameters(
            annualAssessmentMinimumLevel: 0, gradedProtectionAssessmentMonths: Int.max, cryptoAssessmentMinimumLevel: 6,
            cryptoAssessmentMonths: -1, operationsFeeYearsAhead: -1, securityRecordsBeforeAcceptance: true)
        #expect(
            Set(PolicyBook.builtIn.problems(adding: extreme).compactMap(\.field)) == [
                "minimumTrialRunMonths", "acceptanceWindowMonths", "performanceEvaluationMonths", "gradedProtectionAssessmentMonths",
                "cryptoAssessmentMonths", "annualAssessmentMinimumLevel", "cryptoAssessmentMinimumLevel", "operationsFeeYearsAhead",
            ])
        extreme.minimumTrialRunMonths = PolicyBook.longestMonths
        extreme.acceptanceWindowMonths = 1
        extreme.performanceEvaluationMonths = 120
        extreme.operationsAndSecurity = OperationsSecurityParameters(
            annualAssessmentMinimumLevel: 1, gradedProtectionAssessmentMonths: 120, cryptoAssessmentMinimumLevel: 5,
            cryptoAssessmentMonths: 1, operationsFeeYearsAhead: 10, securityRecordsBeforeAcceptance: false)
        #expect(PolicyBook.builtIn.problems(adding: extreme).isEmpty)
        // A version stored before the bound reads its years ahead within it (they are added to a year).
        var stored = Policy.zhengzhou2020
        stored.operationsAndSecurity = OperationsSecurityParameters(
            annualAssessmentMinimumLevel: 3, gradedProtectionAssessmentMonths: Int.max, cryptoAssessmentMinimumLevel: 3,
            cryptoAssessmentMonths: 12, operationsFeeYearsAhead: Int.max, securityRecordsBeforeAcceptance: true)
        #expect(stored.operationsSecurity.operationsFeeYearsAhead == 10)
        stored.operationsAndSecurity?.operationsFeeYearsAhead = -5
        #expect(stored.operationsSecurity.operationsFeeYearsAhead == 0)
        #expect(PolicyBook.builtIn.problems(adding: Self.county(from: CivilDate(2026, 1, 1))).isEmpty)
    }
}
