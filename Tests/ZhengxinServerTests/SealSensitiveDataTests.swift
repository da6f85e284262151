import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import ZhengxinCore
@testable import ZhengxinServer

/// A database made before sealing existed: the migration seals what it holds in the clear, and
/// everything still reads the same through the API.
@Suite("Sealing existing plaintext")
struct SealSensitiveDataTests {
    @Test("plaintext TOTP secrets, 涉密 records and contact phones are sealed by the migration", arguments: Backend.all)
    func migratesPlaintext(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var secret = Walk(world)
            try await secret.create(Walk.draft(name: "旧库涉密项目", yuan: 1_000_000, extra: ["classified": true]))
            let sql = world.app.db as! any SQLDatabase
            // Put the rows back as an older server stored them: plain JSON, real name, base32 secret.
            let model = try await ProjectRow.find(UUID(uuidString: secret.projectId)!, on: world.app.db)!
            var record = try model.decoded()
            record.responsibility = Responsibility(implementingAgency: "信息中心", responsiblePerson: "王芳", contactPhone: "13511112222")
            try await sql.raw("UPDATE projects SET record = \(bind: try RecordJSON.text(record)), name = \(bind: record.name)").run()
            let drc = world.userIds["drc"]!
            let base32 = TOTPCode.base32(TestWorld.totpSecret("drc"))
            try await sql.raw("UPDATE account_security SET totp_secret = \(bind: base32) WHERE user_id = \(bind: drc)").run()

            try await SealSensitiveData().prepare(on: world.app.db)

            let row = try await sql.raw("SELECT name, record FROM projects").first()!
            #expect(try row.decode(column: "name", as: String.self) == ProjectRecordStorage.classifiedName)
            let stored = try row.decode(column: "record", as: String.self)
            #expect(AtRest.isSealed(stored) && !stored.contains("13511112222") && !stored.contains("旧库涉密项目"))
            let totp = try await sql.raw("SELECT totp_secret FROM account_security WHERE user_id = \(bind: drc)").first()!
            #expect(AtRest.isSealed(try totp.decode(column: "totp_secret", as: String.self)))
            let view = try await world.call(.GET, "/api/v1/projects/\(secret.projectId)", as: "unitA")
            #expect(view.project["name"] as? String == "旧库涉密项目")
            #expect((view.project["responsibility"] as? [String: Any])?["contactPhone"] as? String == "13511112222")
            secret.advance(days: 1)  // a fresh TOTP step: the setup's code is spent
            #expect(try await world.login("drc", password: TestWorld.password("drc")).status == .ok)
        }
    }
}
