import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// What the project page's 查重 panel shows a unit on its own draft (R-REV-3, 第七条, 第二十七条):
/// another unit's project only as the API gives it, its shared passages; the unit's own projects and
/// BDB's review side by side in full.
@Suite("查重 panel: what a declaring unit may read")
struct SimilarPanelDisclosureTests {
    typealias S = SimilarProjectsTests
    static let uniqueSentence = "另建设甲单位内部值班排班与应急值守台账模块"

    @Test("a unit's draft named after another unit's draft: the shared passage, not the other's own text", arguments: Backend.all)
    func otherUnitsDraftPassagesOnly(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let a = try await S.create(
                world, as: "unitA", name: S.query.name, content: S.query.content + Self.uniqueSentence + "。", goals: S.query.goals)
            let b = try await S.create(world, as: "unitB", name: S.query.name, content: S.query.content, goals: S.query.goals)
            let page = try await world.page("/projects/\(b.id)", session: world.tokens["unitB"])
            #expect(page.status == .ok)
            #expect(page.html.contains("similar-warning"))
            #expect(page.html.contains("<mark>接入三千个路口的信号机") || page.html.contains("接入三千个路口的信号机</mark>"))
            #expect(!page.html.contains(Self.uniqueSentence))
            #expect(!page.html.contains("href=\"/projects/\(a.id)\""))

            // The unit's own other project: the whole text, side by side.
            let own = try await S.create(
                world, as: "unitB", name: S.query.name, content: S.query.content + Self.uniqueSentence + "。", goals: S.query.goals)
            let again = try await world.page("/projects/\(b.id)", session: world.tokens["unitB"])
            #expect(again.html.contains(Self.uniqueSentence))
            #expect(again.html.contains("href=\"/projects/\(own.id)\""))
        }
    }
}
