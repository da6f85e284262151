import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// `project_sharing` (ProjectSharingRow) against the computation it replaced: a unit's figures and
/// projects as `/units/{unit}/sharing` answered them when it decoded every record of the unit, on
/// both databases; the migration's fill; `audit-verify` finding an edited row.
@Suite("Sharing figures kept at write time")
struct SharingTableTests {
    /// The view as the route computed it before the table: every record of the unit, by code, the
    /// ones the caller sees pooled (SharingFigures.pooled of SharingFigures.of).
    static func decodedView(_ world: TestWorld, unit: UUID, as actor: Actor) async throws -> (
        figures: SharingFigures, projects: [ProjectSharingView], hidden: Int
    ) {
        let all = try await ProjectRow.read(where: "unit_id = \(bind: unit)", order: "code", on: world.app.db).map { try $0.decoded() }
        let visible = all.filter { $0.isVisible(to: actor) }
        let views = visible.map(ProjectSharingView.init)
        return (SharingFigures.pooled(views.map(\.figures)), views, all.count - visible.count)
    }

    static func served(_ world: TestWorld, unit: UUID, as user: String) async throws -> UnitSharingView {
        let reply = try await world.call(.GET, "/api/v1/units/\(unit)/sharing?perPage=200", as: user)
        #expect(reply.status == .ok)
        return try JSONDecoder().decode(UnitSharingView.self, from: Data(buffer: reply.raw))
    }

    static func actor(_ world: TestWorld, _ user: String, _ type: OrganisationType) -> Actor {
        Actor(
            userId: world.userIds[user]!, displayName: user, organisationId: world.orgId(of: user), organisationType: type, roles: [.staff])
    }

    @Test("a unit's figures and projects equal what decoding every record gave; audit-verify checks the table", arguments: Backend.all)
    func figuresAsDecoded(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let built = try await RefusalTests.constructing(world)
            let id = built.projectId
            try await world.must(id, "add-catalog-entry", as: "unitA", SharingFixtures.entry(code: "A", open: "unconditional"))
            try await world.must(
                id, "add-catalog-entry", as: "unitA",
                SharingFixtures.entry(code: "B", name: "医疗机构名录", sharing: "conditional", basis: "依申请共享", method: "file"))
            try await world.must(
                id, "add-catalog-entry", as: "unitA",
                SharingFixtures.entry(code: "S", name: "应急保障机密数据", sharing: "notShared", basis: "涉及国家秘密", secret: true))
            try await world.must(
                id, "confirm-catalog-registration", as: "bdb",
                ["platformId": "ZZ-DATA-1", "registeredOn": built.today, "connectedToExchangePlatform": true])
            let other = try await RefusalTests.constructing(world)
            try await world.must(other.projectId, "add-catalog-entry", as: "unitA", SharingFixtures.entry(code: "T", method: "table"))
            try await world.must(other.projectId, "add-catalog-entry", as: "unitA", SharingFixtures.entry(code: "U"))
            try await world.must(other.projectId, "withdraw-catalog-entry", as: "unitA", ["code": "U", "reason": "系统整合"])
            var draft = Walk(world)
            try await draft.create(Walk.draft(name: "平台草稿", yuan: 1_000_000))
            var secret = Walk(world)
            try await secret.create(Walk.draft(name: "涉密专网", yuan: 1_000_000, extra: ["classified": true]))
            let unitA = world.orgId(of: "unitA")

            for (user, type) in [("unitA", OrganisationType.unit), ("drc", .drc), ("unitA2", .unit)] {
                let expected = try await Self.decodedView(world, unit: unitA, as: Self.actor(world, user, type))
                let got = try await Self.served(world, unit: unitA, as: user)
                #expect(got.figures == expected.figures, "\(user): pooled figures")
                #expect(got.projects.map(\.code) == expected.projects.map(\.code), "\(user): the projects, by code")
                for (a, b) in zip(got.projects, expected.projects) {
                    #expect(
                        a.figures == b.figures && a.name == b.name && a.stage == b.stage && a.catalogRegistered == b.catalogRegistered
                            && a.projectId == b.projectId)
                }
                #expect(got.hiddenClassifiedProjects == expected.hidden, "\(user)")
            }
            #expect(
                try await Self.served(world, unit: unitA, as: "drc").figures.entries == 4, "3 + 1 active entries; the withdrawn one is not")
            #expect(
                try await Self.served(world, unit: unitA, as: "unitA").projects.contains { $0.name == "涉密专网" }, "the creator is named on it"
            )

            // The table is what the records make; a row edited behind the server's back is found, and so is a row removed.
            #expect(try await AuditRecorder.verify(on: world.app.db).problem == nil)
            let sql = world.app.db as! any SQLDatabase
            try await sql.raw("UPDATE project_sharing SET entries = entries + 1 WHERE project_id = \(bind: UUID(uuidString: id)!)").run()
            let edited = try await AuditRecorder.verify(on: world.app.db)
            #expect(edited.problem == .sharingDiffers(rows: 1) && edited.message.contains("project_sharing"), "\(edited.message)")
            try await sql.raw("UPDATE project_sharing SET entries = entries - 1 WHERE project_id = \(bind: UUID(uuidString: id)!)").run()
            #expect(try await AuditRecorder.verify(on: world.app.db).problem == nil)

            // The migration's fill makes the same rows as the writes did.
            let before = try await PlainRows.all(SQLQueryString("SELECT * FROM project_sharing ORDER BY project_id"), on: world.app.db).map
            { "\($0.cells)" }
            try await AddProjectSharing().revert(on: world.app.db)
            try await AddProjectSharing().prepare(on: world.app.db)
            let after = try await PlainRows.all(SQLQueryString("SELECT * FROM project_sharing ORDER BY project_id"), on: world.app.db).map {
                "\($0.cells)"
            }
            #expect(before.count == 4 && after == before)
            try await sql.raw("DELETE FROM project_sharing WHERE project_id = \(bind: UUID(uuidString: draft.projectId)!)").run()
            #expect(try await AuditRecorder.verify(on: world.app.db).problem == .sharingDiffers(rows: 1), "a project without its row")
            try await AddProjectSharing().revert(on: world.app.db)
            try await AddProjectSharing().prepare(on: world.app.db)
            // A row moved to an id no project has: one project without its row, one row without its project.
            try await sql.raw(
                "UPDATE project_sharing SET project_id = \(bind: UUID()) WHERE project_id = \(bind: UUID(uuidString: draft.projectId)!)"
            ).run()
            #expect(try await AuditRecorder.verify(on: world.app.db).problem == .sharingDiffers(rows: 2), "and a row of no project")
        }
    }
}
