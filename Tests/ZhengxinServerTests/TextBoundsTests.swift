import Fluent
import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// Text that reaches an index, a filter or a LIKE pattern by a way other than a screened JSON field:
/// each is refused with 400 naming the field and changes nothing, on both databases (PostgreSQL refused
/// NUL and over-long index rows with a 500 where SQLite took them).
@Suite("Bounds on administrators', importers' and searchers' text")
struct TextBoundsTests {
    @Test("policy id, title, jurisdiction and amount cap; organisation name and jurisdiction; the audit filter", arguments: Backend.all)
    func administratorsText(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            func policy(_ change: [String: Any]) -> [String: Any] {
                PolicyVersionTests.policyJSON(id: "zhongmou-2027", jurisdiction: "zhongmou", from: "2027-01-01", tier2Fen: 1_000_000_000)
                    .merging(change) { _, new in new }
            }
            let longId = String((0..<4_000).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
            for (change, field) in [
                (["id": longId], "id"), (["title": String(repeating: "办", count: 201)], "title"),
                (["jurisdiction": String(repeating: "区", count: 51)], "jurisdiction"),
                (["maximumAmount": Policy.zhengzhou2020.maximumAmount.value + 1], "maximumAmount"),
            ] as [([String: Any], String)] {
                let reply = try await world.call(.POST, "/api/v1/policies", as: "adminSec", json: policy(change))
                #expect(reply.status == .badRequest && reply.violations.contains { $0["field"] as? String == field }, "\(field)")
            }
            #expect(try await world.call(.POST, "/api/v1/policies", as: "adminSec", json: policy([:])).status == .created)

            // 90 characters, each carrying 12 combining marks: 2,430 bytes, past the name's 800.
            let marked = String(repeating: "名" + String(repeating: "\u{0301}", count: 12), count: 90)
            for (body, field) in [
                (["name": marked, "type": "UNIT"], "name"),
                (["name": "市新设机构", "type": "UNIT", "jurisdiction": String(repeating: "区", count: 51)], "jurisdiction"),
            ] {
                let reply = try await world.call(.POST, "/api/v1/admin/organisations", as: "adminSys", json: body)
                #expect(reply.status == .badRequest && reply.violations.first?["field"] as? String == field, "\(field)")
            }
            #expect(try await OrganisationModel.query(on: world.app.db).filter(\.$name == "市新设机构").count() == 0)
            // The same checks for `zhengxin create-org`.
            #expect(SystemAdminController.organisationFaults(name: marked, jurisdiction: nil).map(\.field) == ["name"])
            #expect(SystemAdminController.organisationFaults(name: "市\u{202E}局", jurisdiction: nil).map(\.field) == ["name"])
            #expect(SystemAdminController.organisationFaults(name: "市新设机构", jurisdiction: "").map(\.field) == ["jurisdiction"])
            #expect(SystemAdminController.organisationFaults(name: "市新设机构", jurisdiction: "zhongmou").isEmpty)

            for action in ["%00", "a%00", "%1B%5B31m", "%E2%80%AE", "login%0Aforged", "a%09b"] {
                let reply = try await world.call(.GET, "/api/v1/admin/audit?action=\(action)", as: "adminAud")
                #expect(reply.status == .badRequest && reply.violations.first?["field"] as? String == "action", "\(action)")
            }
            #expect(try await world.call(.GET, "/api/v1/admin/audit?action=create", as: "adminAud").status == .ok)
            // A malformed escape is not dropped (which answered the whole record, unfiltered): it filters as written,
            // and an id so written is no id.
            let malformed = try await world.call(.GET, "/api/v1/admin/audit?action=%FF", as: "adminAud")
            #expect(malformed.status == .ok && malformed.array.isEmpty, "\(malformed.status) \(malformed.array.count)")
            #expect(try await world.call(.GET, "/api/v1/admin/audit?projectId=%FF", as: "adminAud").status == .badRequest)
        }
    }

    @Test(
        "a workbook cell with a bidi override or a C1 control is refused (422, the row and field named), nothing stored",
        arguments: Backend.all)
    func importedCells(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let before = try await ProjectImportTests.projectCount(world)
            for name in ["导入\u{202E}B测试", "导入\u{85}测试"] {
                let file = try ProjectImportTests.workbook([ProjectImportTests.row("正常项目"), ProjectImportTests.row(name)])
                let reply = try await ProjectImportTests.post(world, file)
                #expect(reply.status == .unprocessableEntity, "\(name.debugDescription): \(reply.status)")
                #expect(reply.violations.contains { $0["field"] as? String == "rows[3].name" }, "\(reply.violations)")
            }
            #expect(try await ProjectImportTests.projectCount(world) == before)
        }
    }

    @Test("a % or a quote joined by a combining mark is still a literal character in a search", arguments: Backend.all)
    func searchEscapesByScalar(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(name: "通配测试ZZZ\u{0301}平台", yuan: 1_000_000))
            let query = "通配%\u{0301}".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            for user in ["unitA", "drc"] {
                let reply = try await world.call(.GET, "/api/v1/projects?q=\(query)", as: user)
                #expect(reply.status == .ok && reply.array.isEmpty, "\(user): \(reply.array.count)")
            }
            // A quote joined by a combining mark is still a quote inside SQLite's FTS5 phrase: no 500 on an
            // unterminated string, and no OR of two phrases.
            try await w.create(Walk.draft(name: "政务云平台", yuan: 1_000_000))
            for text in ["x\"\u{0301} OR \"y", "通配测试\"\u{0301} OR \"政务云"] {
                let quoted = text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                for user in ["unitA", "drc"] {
                    let reply = try await world.call(.GET, "/api/v1/projects?q=\(quoted)", as: user)
                    #expect(reply.status == .ok && reply.array.isEmpty, "\(user) \(text.debugDescription): \(reply.status)")
                }
            }
            let plain = "通配测试".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            #expect(try await world.call(.GET, "/api/v1/projects?q=\(plain)", as: "unitA").array.count == 1)
        }
    }

    @Test("an id followed by NUL and more names nothing: 404, as any other text that is not an id", arguments: [Backend.sqlite])
    func idsEndAtTheirLastCharacter(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            #expect(try await world.call(.GET, "/api/v1/projects/\(w.projectId)", as: "unitA").status == .ok)
            // Foundation's parser stopped at the NUL and took the id before it.
            for suffix in ["%00garbage", "%00", "0"] {
                #expect(try await world.call(.GET, "/api/v1/projects/\(w.projectId)\(suffix)", as: "unitA").status == .notFound)
            }
            let user = try #require(world.userIds["unitB"])
            #expect(try await world.call(.POST, "/api/v1/admin/users/\(user)%00x/unlock", as: "adminSec").status == .notFound)
            #expect(try await world.call(.POST, "/api/v1/admin/users/\(user)/unlock", as: "adminSec").status == .ok)
        }
    }
}
