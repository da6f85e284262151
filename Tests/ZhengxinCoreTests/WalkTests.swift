import Testing

@testable import ZhengxinCore

/// The standard walk reaches every stage through the real actions of the lifecycle.
@Test(arguments: Scenario.order)
func walkReachesStage(_ stage: Stage) throws {
    let s = try Scenario.at(stage)
    #expect(s.project.stage == stage)
}

// R-APP-1 第九条 / R-CON-5 第十七条: tier-2 and tier-3 paths, classified, all the way to acceptance.
@Test(arguments: [Fen(yuan: 20_000_000), Fen(yuan: 60_000_000)])
func walkReachesAcceptanceInHigherTiers(_ total: Fen) throws {
    let s = try Scenario.at(.accepted, NewProject(total: total, classified: true))
    #expect(s.project.stage == .accepted)
    #expect(s.project.approvedBudget == total)
}
