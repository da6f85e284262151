import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// 第十七条 in 查重 (R-REV-3): to a caller not named on them, 涉密 matches are one line,
/// 「有受限项目相似」, last, with no score or verdict, the same for one as for several, and they shift
/// nothing among the visible matches (no content oracle through scores, ranks or counts).
@Suite("查重: restricted matches are one line without a score")
struct SimilarRestrictedLineTests {
    typealias S = SimilarProjectsTests

    static func panel(_ html: String) -> String {
        guard let start = html.range(of: "similar-panel"), let end = html[start.upperBound...].range(of: "</section>") else {
            return ""
        }
        return String(html[start.lowerBound..<end.upperBound])
    }

    @Test("one or two restricted matches of different scores: the same answer, API and page", arguments: Backend.all)
    func oneOrSeveralAlike(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let q = try await S.create(world, as: "unitB", name: S.query.name, content: S.query.content, goals: S.query.goals)
            _ = try await S.create(world, as: "unitA", name: S.duplicate.name, content: S.duplicate.content, goals: S.duplicate.goals)
            for u in S.unrelated { _ = try await S.create(world, as: u.unit, name: u.name, content: u.content, goals: u.goals) }
            func answer() async throws -> (api: [[String: Any]], page: String) {
                let reply = try await world.call(.GET, "/api/v1/projects/\(q.id)/similar", as: "unitB")
                #expect(reply.status == .ok)
                let page = try await world.page("/projects/\(q.id)", session: world.tokens["unitB"])
                return (S.matches(reply), Self.panel(page.html))
            }
            let none = try await answer()
            #expect(!none.api.isEmpty && none.api.allSatisfy { $0["restricted"] == nil && $0["score"] != nil })
            #expect(!none.page.contains("有受限项目相似"))

            // A weaker 涉密 match: one line, last, no score; the visible ones as they were.
            _ = try await S.create(
                world, as: "unitA", name: "郑州市交通信号保密控制系统", content: "建设全市路口交通信号灯的集中控制系统,其余内容保密。",
                goals: "保密。", classified: true)
            let one = try await answer()
            #expect(one.api.count == none.api.count + 1)
            #expect(NSArray(array: Array(one.api.dropLast())).isEqual(to: none.api), "the visible matches unchanged")
            let line = try #require(one.api.last)
            #expect(NSDictionary(dictionary: line).isEqual(to: ["restricted": true, "summary": "有受限项目相似"]))
            #expect(one.page.contains("有受限项目相似"))

            // A near-duplicate 涉密 one as well, far higher: nothing changes, in the API or on the page.
            _ = try await S.create(
                world, as: "unitA", name: S.secretName, content: S.duplicate.content, goals: S.duplicate.goals, classified: true)
            let two = try await answer()
            #expect(NSArray(array: two.api).isEqual(to: one.api))
            #expect(two.page == one.page)
            #expect(two.page.components(separatedBy: "有受限项目相似").count == 2, "one line")
            // The one line sits after every visible match, and carries no 相似度 of its own.
            let restricted = try #require(two.page.range(of: "有受限项目相似"))
            #expect(!two.page[restricted.upperBound...].contains("相似度"))
        }
    }

    @Test("OpenAPI: a match's score and verdict are optional; the restricted line has its summary")
    func openAPI() async throws {
        try await TestWorld.with(.sqlite) { world in
            let doc = try await world.call(.GET, "/api/v1/openapi.json", as: "bdb")
            let schemas = (doc.object["components"] as? [String: Any])?["schemas"] as? [String: Any]
            let match = try #require(schemas?["SimilarProject"] as? [String: Any])
            #expect((match["required"] as? [String] ?? []).isEmpty)
            let summary = (match["properties"] as? [String: Any])?["summary"] as? [String: Any]
            #expect(summary?["enum"] as? [String] == ["有受限项目相似"])
            #expect((match["description"] as? String)?.contains("无论几个") == true)
        }
    }
}
