import Testing

@testable import ZhengxinCore

/// R-APP-1 (第九条): the tier follows the total investment, exact in fen; R-POL-1: the limits are policy.
@Suite("Tier, R-APP-1 第九条")
struct TierTests {
    let policy = Policy.zhengzhou2020

    // R-APP-1 第九条: 9,999,999.99元 tier 1; 10,000,000.00元 and 49,999,999.99元 tier 2; 50,000,000.00元 tier 3.
    @Test(arguments: [
        (Int64(1), Tier.one),
        (999_999_999, .one),  // 9,999,999.99元
        (1_000_000_000, .two),  // 10,000,000.00元
        (4_999_999_999, .two),  // 49,999,999.99元
        (5_000_000_000, .three),  // 50,000,000.00元
        (900_000_000_000, .three),
    ])
    func tierBoundariesAreExactInFen(_ fen: Int64, _ tier: Tier) {
        #expect(Tier.of(Fen(fen), policy: policy) == tier)
    }

    // R-POL-1 with 第九条: a tier is labelled with the limits of the version that judged it.
    @Test func tierLabelCarriesTheJudgingVersionsLimits() {
        #expect(Tier.two.chinese(policy) == "二类(1000万元至5000万元)")
        var county = policy
        county.tier2Threshold = Fen(500_000_000)
        county.tier3Threshold = Fen(3_000_050_000)
        #expect(Tier.one.chinese(county) == "一类(500万元以下)")
        #expect(Tier.two.chinese(county) == "二类(500万元至3000.05万元)")
        #expect(Tier.three.chinese(county) == "三类(3000.05万元及以上)")
        #expect(Fen(1).wanText == "0.000001万元")
        #expect(Tier.two.name == "二类")
    }

    // R-APP-1 第九条: a project's tier is its total investment's.
    @Test func projectTierFollowsTotalInvestment() throws {
        let s = try Scenario.draft(NewProject(total: Fen(999_999_999)))
        #expect(s.project.tier(policy) == .one)
        var p = s.project
        p.totalInvestment = Fen(1_000_000_000)
        #expect(p.tier(policy) == .two)
    }

    // R-APP-1: the documents and their order per tier.
    @Test func approvalPathPerTier() throws {
        var p = try Scenario.draft().project
        p.totalInvestment = Fen(999_999_999)
        #expect(ApprovalPath.documents(for: p, policy) == [.implementationPlan])
        p.totalInvestment = Fen(1_000_000_000)
        #expect(ApprovalPath.documents(for: p, policy) == [.feasibilityStudy, .preliminaryDesign])
        p.simpleContentRuling = SimpleContentRuling(accepted: false, reason: "否", ruledOn: Timeline.applied)
        #expect(ApprovalPath.documents(for: p, policy) == [.feasibilityStudy, .preliminaryDesign])
        p.simpleContentRuling = SimpleContentRuling(accepted: true, reason: "内容单一", ruledOn: Timeline.applied)
        #expect(ApprovalPath.documents(for: p, policy) == [.implementationPlan])
        p.totalInvestment = Fen(5_000_000_000)
        // A tier-3 project cannot merge, whatever a ruling says (第九条).
        #expect(ApprovalPath.documents(for: p, policy) == [.projectProposal, .feasibilityStudy, .preliminaryDesign])
    }

    // R-APP-2 第九条: the next document follows the approvals given.
    @Test func nextDocumentAdvancesWithApprovals() throws {
        var p = try Scenario.draft(NewProject(total: Fen(yuan: 60_000_000))).project
        #expect(ApprovalPath.next(for: p, policy) == .projectProposal)
        p.approvals.append(
            Approval(
                kind: .projectProposal, documentNumber: "1", approvedOn: Timeline.approvedOn,
                approvedAmount: p.totalInvestment, approvedBy: Actors.drc.userId))
        #expect(ApprovalPath.next(for: p, policy) == .feasibilityStudy)
        p.approvals += [p.approvals[0], p.approvals[0]]
        #expect(ApprovalPath.next(for: p, policy) == nil)
    }

    // R-POL-1 (第四十二条): a county's policy with other limits changes the tier, not the code.
    @Test func tierLimitsComeFromThePolicy() {
        var county = policy
        county.id = "county"
        county.tier2Threshold = Fen(yuan: 5_000_000)
        county.tier3Threshold = Fen(yuan: 20_000_000)
        #expect(Tier.of(Fen(yuan: 6_000_000), policy: policy) == .one)
        #expect(Tier.of(Fen(yuan: 6_000_000), policy: county) == .two)
        #expect(Tier.of(Fen(yuan: 20_000_000), policy: county) == .three)
    }
}
