import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// The home page's queue: each waiting situation seeded through the real actions shows on the home
/// of the organisation that must act next, linked to the form that acts on it, and on no other's.
@Suite("Home queues")
struct HomeQueueTests {
    /// The queue panel of a home page (the activity panel below it may name any project).
    static func queue(_ world: TestWorld, _ session: String) async throws -> String {
        let page = try await world.page("/", session: session)
        #expect(page.status == .ok)
        guard let start = page.html.range(of: "id=\"queue-heading\"") else { return "" }
        let rest = page.html[start.upperBound...]
        return String(rest[..<(rest.range(of: "</section>")?.lowerBound ?? rest.endIndex)])
    }

    static func count(_ panel: String) -> Int? {
        guard let r = panel.range(of: "<strong id=\"queue-count\">") else { return nil }
        return Int(panel[r.upperBound...].prefix { $0.isNumber })
    }

    @Test(
        "reserve pool, approval, fund plan, disbursement and findings each on the right agency's home, and on no other",
        arguments: Backend.all)
    func agencyQueues(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            // One sign-in per account: a TOTP code is accepted once.
            var sessions: [String: String] = [:]
            for user in ["drc", "fin", "bdb", "aud", "unitA", "unitB"] { sessions[user] = try await world.webLogin(user) }
            var reserve = Walk(world)
            try await reserve.create(Walk.draft(name: "储备库待列计划项目", yuan: 1_000_000))
            try await reserve.toReserve()
            var approving = Walk(world)
            try await approving.create(Walk.draft(name: "待批复项目", yuan: 1_000_000))
            try await approving.toReserve()
            try await approving.toPlanned(amountFen: 100_000_000)
            _ = try await approving.upload("implementationPlan")
            try await world.must(approving.projectId, "apply-for-approval", as: "unitA")
            var approved = Walk(world)
            try await approved.create(Walk.draft(name: "待下达资金计划项目", yuan: 1_000_000))
            try await approved.toReserve()
            try await approved.toPlanned(amountFen: 100_000_000)
            try await approved.toApproved(path: ["implementationPlan"], amountFen: 100_000_000)
            let building = try await RefusalTests.constructing(world)  // fund plan half paid: FIN's to disburse
            try await world.must(
                building.projectId, "record-oversight", as: "fin",
                [
                    "kind": "inspection", "heldOn": building.today, "subject": "建设资金使用情况", "conclusion": "存在问题,限期整改",
                    "findings": [["description": "设备采购未按批复清单执行", "basis": "第十条", "deadline": "2026-12-31"]],
                ])

            let drc = try await Self.queue(world, sessions["drc"]!)
            #expect(drc.contains("储备库待列计划项目") && drc.contains("编制年度政府投资计划") && drc.contains("第八条"))
            #expect(drc.contains("href=\"/projects/\(reserve.projectId)#facts-heading\""))
            #expect(drc.contains("批复「实施方案」") && drc.contains("href=\"/projects/\(approving.projectId)#action-approve-document\""))
            #expect(drc.contains("下达资金计划") && drc.contains("href=\"/projects/\(approved.projectId)#action-issue-fund-plan\""))
            #expect(!drc.contains(building.projectId))
            #expect(Self.count(drc) == 3)
            let fin = try await Self.queue(world, sessions["fin"]!)
            #expect(fin.contains("href=\"/projects/\(building.projectId)#action-disburse\"") && fin.contains("拨付建设资金"))
            #expect(!fin.contains(reserve.projectId) && !fin.contains(approving.projectId) && !fin.contains(approved.projectId))
            #expect(!fin.contains("审核整改意见"))  // the unit has not reported yet
            for other in ["bdb", "aud"] {
                let panel = try await Self.queue(world, sessions[other]!)
                for w in [reserve, approving, approved, building] { #expect(!panel.contains(w.projectId), "\(other)") }
                #expect(panel.contains("当前没有等待本部门办理的项目"), "\(other)")
            }
            // The unit owes the rectification report; another unit owes nothing.
            let unitA = try await Self.queue(world, sessions["unitA"]!)
            #expect(unitA.contains("待本单位办理") && unitA.contains("报送整改意见第1号的整改情况"))
            #expect(unitA.contains("href=\"/projects/\(building.projectId)#action-report-rectification\""))
            #expect(!unitA.contains(reserve.projectId) && !unitA.contains(approving.projectId))
            let unitB = try await Self.queue(world, sessions["unitB"]!)
            #expect(unitB.contains("当前没有等待本单位办理的事项") && Self.count(unitB) == 0)
            try await world.must(
                building.projectId, "report-rectification", as: "unitA", ["findingNumber": 1, "description": "已按批复清单重新采购"])
            let finAfter = try await Self.queue(world, sessions["fin"]!)
            #expect(
                finAfter.contains("审核整改意见第1号的整改情况") && finAfter.contains("href=\"/projects/\(building.projectId)#action-close-finding\""))
            #expect(!(try await Self.queue(world, sessions["drc"]!)).contains(building.projectId))  // not DRC's finding
            #expect(!(try await Self.queue(world, sessions["unitA"]!)).contains("报送整改意见"))

            // Each link lands on a form the project page holds for that agency.
            for (user, id, anchor) in [
                ("drc", approving.projectId, "action-approve-document"), ("drc", approved.projectId, "action-issue-fund-plan"),
                ("fin", building.projectId, "action-disburse"), ("fin", building.projectId, "action-close-finding"),
                ("drc", reserve.projectId, "facts-heading"),
            ] {
                let page = try await world.page("/projects/\(id)", session: sessions[user]!)
                #expect(page.html.contains("id=\"\(anchor)\""), "\(user) \(anchor)")
            }
            // Acting clears the matter: the plan is issued, the reserve project leaves DRC's queue.
            try await reserve.toPlanned(amountFen: 100_000_000)
            let drcAfter = try await Self.queue(world, sessions["drc"]!)
            #expect(!drcAfter.contains(reserve.projectId) && Self.count(drcAfter) == 2)
            #expect(
                (try await Self.queue(world, sessions["unitA"]!)).contains(
                    "href=\"/projects/\(reserve.projectId)#action-apply-for-approval\""))
        }
    }

    @Test("a 涉密 project enters BDB's queue once a BDB user is named on it, and never a user who cannot act", arguments: Backend.all)
    func classifiedQueue(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let (bdb, drcViewer, unitA2) = (
                try await world.webLogin("bdb"), try await world.webLogin("drcViewer"), try await world.webLogin("unitA2")
            )
            var secret = Walk(world)
            try await secret.create(Walk.draft(name: "涉密申报项目", yuan: 1_000_000, extra: ["classified": true]))
            try await world.must(secret.projectId, "declare", as: "unitA")
            let before = try await Self.queue(world, bdb)
            #expect(!before.contains(secret.projectId) && !before.contains("涉密申报项目") && Self.count(before) == 0)
            try await world.must(secret.projectId, "grant-classified-access", as: "unitA", ["userId": world.userIds["bdb"]!.uuidString])
            let after = try await Self.queue(world, bdb)
            #expect(after.contains("涉密申报项目") && after.contains("#action-start-technical-review") && Self.count(after) == 1)
            #expect(Self.count(try await Self.queue(world, drcViewer)) == 0)
            #expect(!(try await Self.queue(world, unitA2)).contains(secret.projectId))  // same unit, not named
        }
    }
}
