import Testing

@testable import ZhengxinCore

/// R-SEC-1 (第三十三条) 等级测评 and R-SEC-2 (第三十二条) 密评: when the next one is due, as the
/// deadline scan asks. Records are set directly: these are pure functions of the record.
@Suite("Security assessment deadlines, R-SEC-1/R-SEC-2")
struct SecurityDeadlineTests {
    let policy = Policy.zhengzhou2020

    func project(level: Int, filedOn: CivilDate = CivilDate(2027, 6, 1)) throws -> ProjectRecord {
        var p = try Scenario.at(.constructing).project
        p.security.gradedProtection = GradedProtection(level: level, filingNumber: "F-1", filedOn: filedOn)
        return p
    }

    func assessment(_ n: Int, _ date: CivilDate, _ result: AssessmentResult = .pass) -> SecurityAssessment {
        SecurityAssessment(number: n, assessedOn: date, result: result, body: "测评机构", reportNumber: nil)
    }

    // Level 2: no yearly assessment; level 3: filing + 12 months until the first.
    @Test func levelTwoHasNoYearlyAssessmentLevelThreeHas() throws {
        #expect(SecurityDeadlines.nextGradedProtectionAssessment(try project(level: 2), policy) == nil)
        #expect(!SecurityDeadlines.isGradedProtectionAssessmentOverdue(try project(level: 2), policy, on: CivilDate(2040, 1, 1)))
        #expect(SecurityDeadlines.nextGradedProtectionAssessment(try project(level: 3), policy) == CivilDate(2028, 6, 1))
        #expect(SecurityDeadlines.nextGradedProtectionAssessment(try project(level: 5), policy) == CivilDate(2028, 6, 1))
        var unfiled = try project(level: 3)
        unfiled.security.gradedProtection = nil
        #expect(SecurityDeadlines.nextGradedProtectionAssessment(unfiled, policy) == nil)
    }

    // Due exactly 12 months after the last passing assessment: not overdue that day, overdue the next.
    @Test func dueTwelveMonthsAfterTheLastOverdueTheDayAfter() throws {
        var p = try project(level: 3)
        p.security.assessments = [assessment(1, CivilDate(2028, 3, 31))]
        let due = try #require(SecurityDeadlines.nextGradedProtectionAssessment(p, policy))
        #expect(due == CivilDate(2029, 3, 31))
        #expect(!SecurityDeadlines.isGradedProtectionAssessmentOverdue(p, policy, on: CivilDate(2029, 3, 31)))
        #expect(SecurityDeadlines.isGradedProtectionAssessmentOverdue(p, policy, on: CivilDate(2029, 4, 1)))
    }

    // A failed assessment does not restart the clock; the latest pass counts, in any order of entry.
    @Test func failedAssessmentDoesNotRestartTheClock() throws {
        var p = try project(level: 3)
        p.security.assessments = [assessment(1, CivilDate(2028, 5, 1)), assessment(2, CivilDate(2029, 4, 1), .fail)]
        #expect(SecurityDeadlines.nextGradedProtectionAssessment(p, policy) == CivilDate(2029, 5, 1))
        p.security.assessments.append(assessment(3, CivilDate(2029, 4, 20)))
        #expect(SecurityDeadlines.nextGradedProtectionAssessment(p, policy) == CivilDate(2030, 4, 20))
    }

    // Calendar months, clamped: 2028-02-29 + 12 months is 2029-02-28.
    @Test func leapDayClampsToMonthEnd() throws {
        var p = try project(level: 3)
        p.security.assessments = [assessment(1, CivilDate(2028, 2, 29))]
        #expect(SecurityDeadlines.nextGradedProtectionAssessment(p, policy) == CivilDate(2029, 2, 28))
        #expect(SecurityDeadlines.isGradedProtectionAssessmentOverdue(p, policy, on: CivilDate(2029, 3, 1)))
    }

    // The level and the period are policy parameters.
    @Test func levelAndPeriodComeFromThePolicy() throws {
        var custom = policy
        var params = OperationsSecurityParameters.zhengzhou2020
        params.annualAssessmentMinimumLevel = 2
        params.gradedProtectionAssessmentMonths = 24
        params.cryptoAssessmentMinimumLevel = 4
        custom.operationsAndSecurity = params
        #expect(SecurityDeadlines.nextGradedProtectionAssessment(try project(level: 2), custom) == CivilDate(2029, 6, 1))
        var p = try project(level: 3)
        p.security.crypto.built = CryptoMilestone(on: CivilDate(2028, 1, 10), summary: "x", recordedOn: CivilDate(2028, 1, 10))
        #expect(SecurityDeadlines.nextCryptoAssessment(p, custom) == nil, "level 3 is below this policy's 密评 level")
        #expect(SecurityDeadlines.nextCryptoAssessment(p, policy) == CivilDate(2029, 1, 10))
    }

    // 密评: from the day the crypto system was built, then from the last passing 密评; level 2 none; unbuilt none.
    @Test func cryptoAssessmentDue() throws {
        var p = try project(level: 3)
        #expect(SecurityDeadlines.nextCryptoAssessment(p, policy) == nil, "not built")
        p.security.crypto.built = CryptoMilestone(on: CivilDate(2028, 1, 10), summary: "x", recordedOn: CivilDate(2028, 1, 10))
        #expect(SecurityDeadlines.nextCryptoAssessment(p, policy) == CivilDate(2029, 1, 10))
        p.security.crypto.assessments = [assessment(1, CivilDate(2028, 12, 1)), assessment(2, CivilDate(2029, 1, 5), .fail)]
        let due = try #require(SecurityDeadlines.nextCryptoAssessment(p, policy))
        #expect(due == CivilDate(2029, 12, 1))
        #expect(!SecurityDeadlines.isCryptoAssessmentOverdue(p, policy, on: due))
        #expect(SecurityDeadlines.isCryptoAssessmentOverdue(p, policy, on: due.addingDays(1)))
        p.security.gradedProtection?.level = 2
        #expect(SecurityDeadlines.nextCryptoAssessment(p, policy) == nil)
    }

    @Test func closedProjectsHaveNoDeadline() throws {
        var p = try project(level: 4)
        p.stage = .terminated
        #expect(SecurityDeadlines.nextGradedProtectionAssessment(p, policy) == nil)
    }
}
