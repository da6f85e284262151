import Foundation
import Testing
import Vapor
import VaporTesting
import ZhengxinCore

@testable import ZhengxinServer

/// The project list page by page: 下一页 and 上一页 by cursor (`Link`, `after`, `before`) and pages by
/// number (the later half read from the end of the order) give exactly the rows of the whole list,
/// in its order, under every sort in both directions, with ties and a 涉密 row; a cursor that is not
/// one the server wrote is a 400 naming its field.
@Suite("Project list by cursor")
struct ProjectListCursorTests {
    struct Listed {
        var status: HTTPStatus
        var ids: [String]
        var total: Int?
        var next: String?
        var previous: String?
        var errorField: String?
    }

    static func list(_ world: TestWorld, _ path: String, as user: String) async throws -> Listed {
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: world.tokens[user]!)
        let response = try await world.app.testing().sendRequest(.GET, path, headers: headers)
        let parsed = try? JSONSerialization.jsonObject(with: Data(buffer: response.body))
        let items = parsed as? [[String: Any]] ?? []
        let violations = ((parsed as? [String: Any])?["error"] as? [String: Any])?["violations"] as? [[String: Any]]
        let links = response.headers.first(name: "Link") ?? ""
        func link(_ rel: String) -> String? {
            links.components(separatedBy: ", ").first { $0.hasSuffix("rel=\"\(rel)\"") }
                .map { String($0.dropFirst().prefix { $0 != ">" }) }
        }
        return Listed(
            status: response.status, ids: items.compactMap { $0["id"] as? String },
            total: response.headers.first(name: "X-Total-Count").flatMap(Int.init), next: link("next"), previous: link("prev"),
            errorField: violations?.first?["field"] as? String)
    }

    @Test("下一页 and 上一页 by cursor, and pages by number, give every row once in the list's order", arguments: Backend.all)
    func walkEverySort(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            // Equal amounts and names that sort apart from their codes, so the tie-break by code shows.
            for (n, yuan) in [3, 1, 2, 2, 5, 1, 4, 2].enumerated() {
                var walk = Walk(world)
                try await walk.create(Walk.draft(name: "平台\(["乙", "甲", "丙"][n % 3])\(9 - n)", yuan: Int64(yuan) * 1_000_000))
            }
            var secret = Walk(world)
            try await secret.create(Walk.draft(name: "涉密专网", yuan: 2_000_000, extra: ["classified": true]))
            for sort in ProjectListQuery.SortKey.allCases.flatMap({ [$0.rawValue, "-" + $0.rawValue] }) {
                for user in ["unitA", "drc"] {
                    let base = "/api/v1/projects?sort=\(sort)&perPage=2"
                    let whole = try await Self.list(world, "/api/v1/projects?sort=\(sort)&perPage=200", as: user)
                    #expect(whole.ids.count == (user == "unitA" ? 9 : 8), "\(sort) \(user): the creator is named on the 涉密 one")
                    var pages: [[String]] = []
                    var path: String? = base
                    var last = whole
                    while let next = path, pages.count < 10 {
                        last = try await Self.list(world, next, as: user)
                        #expect(last.status == .ok && last.total == whole.total, "\(sort) \(user) \(next)")
                        pages.append(last.ids)
                        path = last.next
                    }
                    #expect(pages.joined().elementsEqual(whole.ids), "\(sort) \(user): 下一页 gives each row once, in order")
                    #expect(pages.count == (whole.ids.count + 1) / 2)
                    var back: [[String]] = []
                    path = last.previous
                    while let previous = path, back.count < 10 {
                        let page = try await Self.list(world, previous, as: user)
                        back.append(page.ids)
                        path = page.previous
                    }
                    #expect(back.reversed() == Array(pages.dropLast()), "\(sort) \(user): 上一页 walks back the same pages")
                    for (n, page) in pages.enumerated() {
                        let byNumber = try await Self.list(world, base + "&page=\(n + 1)", as: user)
                        #expect(byNumber.ids == page, "\(sort) \(user): page \(n + 1) by number (read from the end past the middle)")
                    }
                    #expect(try await Self.list(world, base + "&page=\(pages.count + 1)", as: user).ids.isEmpty)
                }
            }

            // A cursor the server did not write is refused, naming its field; an empty one is no cursor.
            func token(_ text: String) -> String {
                Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                    .replacingOccurrences(of: "=", with: "")
            }
            let refused: [(String, String)] = [
                ("after=%25%25%25", "after"), ("before=@@", "before"), ("after=" + String(repeating: "A", count: 5_000), "after"),
                ("sort=investment&after=" + token("很多\nZZ-1"), "after"), ("sort=code&after=" + token("x\nZZ-1"), "after"),
                ("after=" + token("no newline"), "after"), ("after=" + token("\n"), "after"),
                ("after=" + token("\nZZ-1") + "&before=" + token("\nZZ-2"), "before"), ("after=" + token("\nZZ-\u{0}1"), "after"),
                ("sort=name&before=" + token("平台\u{0}\nZZ-1"), "before"), ("q=%00", "q"), ("q=%E5%B9%B3%0A", "q"),
                ("after=" + String(token("\nZZ-1").dropLast()) + "*", "after"),
            ]
            for (query, field) in refused {
                let reply = try await Self.list(world, "/api/v1/projects?" + query, as: "drc")
                #expect(reply.status == .badRequest && reply.errorField == field, "\(query.prefix(60)): \(reply.status)")
            }
            #expect(try await Self.list(world, "/api/v1/projects?after=&before=", as: "drc").ids.count == 8)
            // With a cursor the page number is the client's label: whatever it says, 下一页 is offered while rows follow.
            let start = try await Self.list(world, "/api/v1/projects?perPage=3", as: "drc")
            let after = try #require(start.next?.components(separatedBy: "after=").last)
            let labelled = try await Self.list(world, "/api/v1/projects?perPage=3&page=999&after=" + after, as: "drc")
            #expect(labelled.ids.count == 3 && labelled.next != nil, "rows 4-6 of 8, more after them")
            // Any values at all only position a read of the caller's own rows.
            let top = try await Self.list(world, "/api/v1/projects?sort=-investment&after=" + token("\(Int64.max)\n\u{10FFFF}"), as: "drc")
            #expect(top.status == .ok && top.ids.count == 8)
            let none = try await Self.list(
                world, "/api/v1/projects?sort=investment&after=" + token("\(Int64.max)\n\u{10FFFF}"), as: "unitB")
            #expect(none.status == .ok && none.ids.isEmpty)

            // The page's own links step by cursor too.
            let session = try await world.webLogin("drc")
            let first = try await world.page("/projects?perPage=3&sort=-investment", session: session)
            let next = try #require(Self.href(titled: "下一页", in: first.html))
            #expect(next.contains("after=") && next.contains("page=2"))
            let second = try await world.page(next, session: session)
            #expect(second.status == .ok && second.html.contains("aria-current=\"page\">2<"))
            let previous = try #require(Self.href(titled: "上一页", in: second.html))
            #expect(!previous.contains("before="), "page 1 is read by number")
        }
    }

    /// The href of the link titled `title` on a page (entities undone).
    static func href(titled title: String, in html: String) -> String? {
        guard let end = html.range(of: "\">\(title)</a>") else { return nil }
        guard let start = html[..<end.lowerBound].range(of: "<a href=\"", options: .backwards) else { return nil }
        return String(html[start.upperBound..<end.lowerBound]).replacingOccurrences(of: "&amp;", with: "&")
    }
}
