import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// The audit administrator's reading of the whole record: page N is a range of sequence numbers
/// below the chain head (no OFFSET), the total is the head's number, and `before` walks on from an
/// entry, filtered or not, each entry once.
@Suite("Admin audit, keyset paging")
struct AdminAuditPagingTests {
    static func seqs(_ reply: JSONReply) -> [Int64] {
        ((reply["items"] as? [[String: Any]]) ?? []).compactMap { ($0["seq"] as? Int).map(Int64.init) }
    }

    /// Every entry from the first page down, following `nextBefore`.
    static func walk(_ world: TestWorld, _ query: String, per: Int) async throws -> (seqs: [Int64], first: JSONReply) {
        let first = try await world.call(.GET, "/api/v1/admin/audit?perPage=\(per)\(query)", as: "adminAud")
        #expect(first.status == .ok)
        var seen = seqs(first)
        var next = first["nextBefore"] as? Int
        var guardrail = 0
        while let before = next, guardrail < 500 {
            let page = try await world.call(.GET, "/api/v1/admin/audit?perPage=\(per)&before=\(before)\(query)", as: "adminAud")
            #expect(page.status == .ok)
            #expect(seqs(page).allSatisfy { $0 < Int64(before) })
            seen += seqs(page)
            next = page["nextBefore"] as? Int
            guardrail += 1
        }
        return (seen, first)
    }

    @Test("pages by sequence below the head; total is the head; before walks every entry once", arguments: Backend.all)
    func keyset(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var walk = Walk(world)
            try await walk.create(Walk.draft(name: "审计分页平台", yuan: 1_000_000))
            let (all, first) = try await Self.walk(world, "", per: 4)
            let head = try #require(first["total"] as? Int)
            #expect(all == Array((1...Int64(head)).reversed()), "every entry once, newest first, down to the first")
            #expect(first.object["perPage"] as? Int == 4)

            // Page N of the whole record: the entries at or below head − (N − 1)·perPage.
            let page3 = try await world.call(.GET, "/api/v1/admin/audit?page=3&perPage=4", as: "adminAud")
            let now = try #require(page3["total"] as? Int)
            #expect(now > head, "each reading is itself on the record")
            #expect(Self.seqs(page3) == (0..<4).map { Int64(now - 8 - $0) })
            let past = try await world.call(.GET, "/api/v1/admin/audit?page=100000&perPage=500", as: "adminAud")
            #expect(past.status == .ok && Self.seqs(past).isEmpty && past["nextBefore"] == nil)

            // Filtered: the same walk over the filter's index.
            let (logins, firstLogins) = try await Self.walk(world, "&action=login", per: 2)
            #expect(logins.count == TestWorld.accounts.count && firstLogins["total"] as? Int == TestWorld.accounts.count)
            #expect(logins == logins.sorted(by: >))
            let (byProject, _) = try await Self.walk(world, "&projectId=\(walk.projectId)", per: 1)
            #expect(byProject.count == 1)
            let unitA = world.userIds["unitA"]!
            let (byUnit, firstByUnit) = try await Self.walk(world, "&actorUserId=\(unitA)", per: 1)
            #expect(byUnit.count == firstByUnit["total"] as? Int && byUnit.count >= 2)
        }
    }
}
