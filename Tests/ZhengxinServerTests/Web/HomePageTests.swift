import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// GET / per role: a unit's projects and next steps; an agency's queue and recent activity; a
/// vendor's contracted projects; nothing of another unit anywhere.
@Suite("Home pages")
struct HomePageTests {
    @Test("unit: its projects with what is open and what is unmet; another unit's never shown", arguments: Backend.all)
    func unitHome(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var mine = Walk(world)
            try await mine.create(Walk.draft(name: "全民健康信息平台", yuan: 1_000_000))
            var theirs = Walk(world, unit: "unitB")
            try await theirs.create(Walk.draft(name: "教育专网", yuan: 1_000_000))
            let page = try await world.page("/", session: world.webLogin("unitA"))
            #expect(page.status == .ok && page.html.contains("本单位项目及下一步"))
            #expect(page.html.contains("href=\"/projects/\(mine.projectId)\"") && page.html.contains("全民健康信息平台"))
            #expect(!page.html.contains(theirs.projectId) && !page.html.contains("教育专网"))
            #expect(page.html.contains(#"<strong id="project-count">1</strong>"#))
            // A draft: 申报项目 (第七条) is either open now or listed with every unmet condition.
            let actions = try await world.call(.GET, "/api/v1/projects/\(mine.projectId)/actions", as: "unitA")
            let declare = try #require((actions["actions"] as? [[String: Any]])?.first { $0["action"] as? String == "declare" })
            if declare["open"] as? Bool == true {
                #expect(page.html.contains("申报项目(第七条)"))
            } else {
                for unmet in declare["unmetConditions"] as? [[String: Any]] ?? [] {
                    #expect(page.html.contains(unmet["rule"] as? String ?? "?"))
                }
            }
        }
    }

    @Test(
        "agencies: BDB's queue holds the declared project until it acts; DRC sees recent activity; the vendor its contracted project",
        arguments: Backend.all)
    func agencyHome(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let contracted = try await RefusalTests.constructing(world)
            var declared = Walk(world)
            try await declared.create(Walk.draft(name: "城市运行监测平台", yuan: 2_000_000))
            try await world.must(declared.projectId, "declare", as: "unitA")
            let bdb = try await world.webLogin("bdb")
            let before = try await world.page("/", session: bdb)
            #expect(before.status == .ok && before.html.contains("待本部门办理"))
            #expect(before.html.contains("城市运行监测平台") && before.html.contains("受理技术审查</a><span class=\"article\">第七条"))
            #expect(before.html.contains(#"<strong id="queue-count">1</strong>"#))
            #expect(before.html.contains("没有逾期事项") && !before.html.contains("个项目有逾期事项"))  // an empty list is said so
            try await world.must(declared.projectId, "start-technical-review", as: "bdb")
            let during = try await world.page("/", session: bdb)
            #expect(during.html.contains("出具技术审查意见</a><span class=\"article\">第七条"))
            // DRC: nothing of BDB's queue; its recent activity names what happened.
            let drc = try await world.page("/", session: world.webLogin("drc"))
            #expect(!drc.html.contains("出具技术审查意见</a>") && drc.html.contains("最近动态"))
            #expect(drc.html.contains("城市运行监测平台"))
            let vendor = try await world.page("/", session: world.webLogin("vendor"))
            #expect(vendor.html.contains("签约项目") && vendor.html.contains("href=\"/projects/\(contracted.projectId)\""))
            #expect(!vendor.html.contains(declared.projectId))
        }
    }
}
