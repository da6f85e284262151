import Foundation
import Testing
import Vapor
import ZhengxinCore

/// Projects of each tier walked over HTTP from declaration to accepted (第七条 to 第二十一条).
@Suite("Lifecycle walks over HTTP")
struct LifecycleWalkTests {
    func walk(_ backend: Backend, yuan: Int64, path: [String], simple: Bool = false, major: Bool = false) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: yuan))
            try await w.toReserve(major: major)
            try await w.toPlanned(amountFen: yuan * 100)
            if simple {
                try await world.must(w.projectId, "rule-on-simple-content", as: "drc", ["accepted": true, "reason": "建设内容单一、技术方案简单"])
            }
            try await w.toApproved(path: path, amountFen: yuan * 100)
            #expect(try await w.project().stage == "approved")
            try await w.toConstructing(budgetFen: yuan * 100)
            try await w.toAccepted()
            let final = try await w.project()
            #expect(final.stage == "accepted")
            let surplus = final.project["surplus"] as? [String: Any]
            // Budget minus a quarter disbursed: three quarters go back (R-FUND-2).
            #expect((surplus?["amount"] as? Int64 ?? (surplus?["amount"] as? Int).map(Int64.init)) == yuan * 100 - yuan * 100 / 4)
            let approvals = final.project["approvals"] as? [[String: Any]] ?? []
            #expect(approvals.map { $0["kind"] as? String ?? "" } == path)
            let audit = try await world.call(.GET, "/api/v1/projects/\(w.projectId)/audit", as: "aud")
            #expect(audit.status == .ok)
            #expect(audit.array.count > 20)
        }
    }

    @Test("tier 1 (9,999,999.99元): 实施方案", arguments: Backend.all)
    func tierOne(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 0).merging(["totalInvestmentFen": Int64(999_999_999)]) { $1 })
            try await w.toReserve()
            try await w.toPlanned(amountFen: 999_999_999)
            try await w.toApproved(path: ["implementationPlan"], amountFen: 999_999_999)
            try await w.toConstructing(budgetFen: 999_999_999)
            try await w.toAccepted()
            #expect(try await w.project().stage == "accepted")
        }
    }

    @Test("tier 2 (1000万元): 可研 → 初设", arguments: Backend.all)
    func tierTwo(_ backend: Backend) async throws {
        try await walk(backend, yuan: 10_000_000, path: ["feasibilityStudy", "preliminaryDesign"])
    }

    @Test("tier 2 merged (内容单一): one 实施方案", arguments: Backend.all)
    func tierTwoMerged(_ backend: Backend) async throws {
        try await walk(backend, yuan: 20_000_000, path: ["implementationPlan"], simple: true)
    }

    @Test("tier 3 (5000万元): 建议书 → 可研 → 初设, via 政府常务会", arguments: Backend.all)
    func tierThree(_ backend: Backend) async throws {
        try await walk(backend, yuan: 50_000_000, path: ["projectProposal", "feasibilityStudy", "preliminaryDesign"], major: true)
    }
}
