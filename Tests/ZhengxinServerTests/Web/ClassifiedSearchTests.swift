import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// Searching by a 涉密 project's real name: its name column and the text indexes hold only the
/// placeholder, so the list matches the real name on the opened records of the 涉密 projects the
/// caller is named on (ProjectListing.classifiedMatches). Those named find it; anyone else gets
/// exactly the answer of a term nothing matches — rows, X-Total-Count and body.
@Suite("涉密 search by real name")
struct ClassifiedSearchTests {
    static func q(_ text: String) -> String { "q=" + text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }

    @Test(
        "named users find a 涉密 project by its real name; the unit's other users, another unit and an agency not named get a nonsense term's answer",
        arguments: Backend.all)
    func realName(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var secret = Walk(world)
            try await secret.create(Walk.draft(name: "机要通信专网改造", yuan: 1_000_000, extra: ["classified": true]))
            var open = Walk(world)
            try await open.create(Walk.draft(name: "政务专网改造二期", yuan: 2_000_000))
            let nonsense = Self.q("无此名称的项目")
            for term in ["机要通信", "通信专网改造", "机要"] {
                let found = try await ProjectListTests.list(world, Self.q(term), as: "unitA")
                #expect(found.status == .ok && found.ids == [secret.projectId] && found.total == 1, "\(term)")
                #expect(found.names == ["机要通信专网改造"], "\(term)")
                for user in ["unitA2", "unitB", "drc", "vendor"] {
                    let answer = try await ProjectListTests.list(world, Self.q(term), as: user)
                    let none = try await ProjectListTests.list(world, nonsense, as: user)
                    #expect(answer.status == none.status && answer.ids == none.ids && answer.total == none.total, "\(user) \(term)")
                    #expect(answer.reply.raw == none.reply.raw && answer.ids.isEmpty && answer.total == 0, "\(user) \(term)")
                }
            }
            // A term both match: the named user gets both, everyone else only the open project.
            let both = try await ProjectListTests.list(world, Self.q("专网改造"), as: "unitA")
            #expect(Set(both.ids) == [secret.projectId, open.projectId] && both.total == 2)
            let others = try await ProjectListTests.list(world, Self.q("专网改造"), as: "unitA2")
            #expect(others.ids == [open.projectId] && others.total == 1)
            // The placeholder of the name column finds nothing for anyone, named or not.
            for user in ["unitA", "unitA2"] {
                #expect(
                    try await ProjectListTests.list(world, Self.q(ProjectRecordStorage.classifiedName), as: user).ids.isEmpty, "\(user)")
            }
            // Named later, an agency user finds it too; the page shows the real name in the row.
            let drcBefore = try await ProjectListTests.list(world, Self.q("机要通信"), as: "drc")
            #expect(drcBefore.ids.isEmpty && drcBefore.total == 0)
            try await world.must(secret.projectId, "grant-classified-access", as: "unitA", ["userId": world.userIds["drc"]!.uuidString])
            let drc = try await ProjectListTests.list(world, Self.q("机要通信"), as: "drc")
            #expect(drc.ids == [secret.projectId] && drc.total == 1)
            let page = try await world.page("/projects?" + Self.q("机要通信"), session: world.tokens["unitA"])
            #expect(page.status == .ok && page.html.contains("href=\"/projects/\(secret.projectId)\"") && page.html.contains("机要通信专网改造"))
            let unnamedPage = try await world.page("/projects?" + Self.q("机要通信"), session: world.tokens["unitA2"])
            #expect(unnamedPage.status == .ok && !unnamedPage.html.contains(secret.projectId))
        }
    }
}
