import Foundation
import Testing

@testable import ZhengxinCore

/// Who sees what; R-CON-5 (第十七条, 第四十条): a 涉密 project only for named users.
@Suite("Visibility, §1 / R-CON-5")
struct VisibilityTests {
    // 第三条, 第五条: units see their own projects, agencies all.
    @Test func unitsSeeTheirOwnAgenciesSeeAll() throws {
        let p = try Scenario.draft().project
        #expect(p.isVisible(to: Actors.unit))
        #expect(p.isVisible(to: Actors.unitViewer))
        #expect(!p.isVisible(to: Actors.otherUnit))
        for agency in [Actors.drc, Actors.fin, Actors.bdb, Actors.aud] { #expect(p.isVisible(to: agency)) }
    }

    // Vendors see only projects they are contracted on (R-CON-3 contract).
    @Test func vendorsSeeOnlyProjectsTheyAreContractedOn() throws {
        let procuring = try Scenario.at(.procuring)
        #expect(!procuring.project.isVisible(to: Actors.vendor))
        let constructing = try Scenario.at(.constructing)
        #expect(constructing.project.isVisible(to: Actors.vendor), "the construction contract names the vendor's organisation")
        #expect(!constructing.project.isVisible(to: makeActor(.vendor, org: Orgs.otherUnit, user: 80)))
    }

    // R-CON-5 第十七条: only named users, whatever their organisation.
    @Test func classifiedProjectOnlyForNamedUsers() throws {
        var s = try Scenario.draft(NewProject(classified: true))
        #expect(s.project.isVisible(to: Actors.unit))
        #expect(!s.project.isVisible(to: Actors.unitViewer))
        #expect(!s.project.isVisible(to: Actors.drc))
        try s.act("grant-classified-access", by: Actors.unit, ["userId": Actors.drc.userId.uuidString])
        #expect(s.project.isVisible(to: Actors.drc))
        #expect(
            s.attempt("grant-classified-access", by: Actors.unit, ["userId": Actors.drc.userId.uuidString]).violations.map(\.field) == [
                "userId"
            ])
        #expect(s.attempt("grant-classified-access", by: Actors.drc, ["userId": Actors.fin.userId.uuidString]).isForbidden)
    }

    // R-CON-5 第十七条: only 涉密 projects take named access.
    @Test func grantingAccessToAnOrdinaryProjectRefused() throws {
        let s = try Scenario.draft()
        #expect(s.attempt("grant-classified-access", by: Actors.unit, ["userId": Actors.drc.userId.uuidString]).rules == ["R-CON-5"])
    }
}
