import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore
import ZhengxinCrypto

@testable import ZhengxinServer

/// GB/T 39786-2021 8.3 数据存储机密性: the data goes in through the API, then the
/// database is read behind the server's back, every text column of every table and every file under
/// the data directory, and no phone number, ID number, TOTP secret or 涉密 detail is found in the clear.
@Suite("Confidentiality at rest")
struct ConfidentialityAtRestTests {
    static let secretName = "边境指挥调度专网XQ7"
    static let secretContent = "建设内容-涉密-甲乙丙丁-4711"
    static let secretGoals = "建设目标-涉密-戊己庚辛-0815"
    static let secretPhone = "13912345678"
    static let plainPhone = "13787654321"
    static let userPhone = "13600001111"
    static let secretDocument = "涉密文档正文-会议纪要-9931"
    static var userIdNumber: String {
        let first17 = "41010519900101123"
        return first17 + String(PersonalData.checkCharacter(first17)!)
    }

    @Test("nothing sensitive in any text column or data file; the entitled still read it all", arguments: Backend.all)
    func noPlaintextAtRest(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var secret = Walk(world)
            try await secret.create(
                Walk.draft(
                    name: Self.secretName, yuan: 3_000_000,
                    extra: ["classified": true, "content": Self.secretContent, "goals": Self.secretGoals]))
            for agency in ["drc", "bdb", "fin"] {
                try await world.must(
                    secret.projectId, "grant-classified-access", as: "unitA", ["userId": world.userIds[agency]!.uuidString])
            }
            try await secret.toReserve()
            try await secret.toPlanned(amountFen: 300_000_000)
            try await secret.toApproved(path: ["implementationPlan"], amountFen: 300_000_000)
            try await world.must(
                secret.projectId, "issue-fund-plan", as: "drc",
                ["amountFen": 100_000_000, "documentNumber": "资金计划1号", "issuedOn": secret.today])
            try await world.must(
                secret.projectId, "record-responsibility", as: "unitA",
                ["implementingAgency": "信息中心", "responsiblePerson": "张伟", "contactPhone": Self.secretPhone])
            let upload = try await world.call(
                .POST, "/api/v1/projects/\(secret.projectId)/documents?kind=other&filename=note.txt", as: "unitA",
                raw: Data(Self.secretDocument.utf8), contentType: "text/plain")
            #expect(upload.status == .created)
            let documentNumber = (upload.project["documents"] as? [[String: Any]])?.last?["number"] as? Int ?? 0
            var plain = Walk(world)
            try await plain.create(Walk.draft(yuan: 1_000_000))
            try await plain.toReserve()
            try await plain.toPlanned(amountFen: 100_000_000)
            try await plain.toApproved(path: ["implementationPlan"], amountFen: 100_000_000)
            try await world.must(
                plain.projectId, "record-responsibility", as: "unitA",
                ["implementingAgency": "信息中心", "responsiblePerson": "李娜", "contactPhone": Self.plainPhone])
            let created = try await AccountActivationAndPasswordTests.newAccount(
                world, "zhangsan", org: "unitA",
                more: [
                    "password": "Passw0rd-zhangsan", "phone": Self.userPhone, "idNumber": Self.userIdNumber,
                ])
            #expect(created.approved.status == .created)
            // The holder sets the password with the activation code (no administrator sets it).
            let activation = created.code
            #expect(
                try await world.call(.POST, "/api/v1/auth/activate", json: ["code": activation, "newPassword": "Passw0rd-zhangsan"]).status
                    == .ok)

            // Read behind the server's back.
            let documentDigest = DocumentStore.sha256Hex(Data(Self.secretDocument.utf8))
            var needles = [
                Self.secretName, Self.secretContent, Self.secretGoals, Self.secretPhone, Self.plainPhone, Self.userPhone, Self.userIdNumber,
                Self.secretDocument, documentDigest,
            ]
            for account in TestWorld.accounts where RoleRules.requiresSecondFactor(organisation: account.type, roles: account.roles) {
                needles.append(TOTPCode.base32(TestWorld.totpSecret(account.username)))
                needles.append(String(decoding: TestWorld.totpSecret(account.username), as: UTF8.self))
            }
            let texts = try await Self.everyTextValue(world)
            #expect(texts.count > 100)
            for needle in needles {
                #expect(!texts.contains { $0.contains(needle) }, "「\(needle)」 found in the clear in the database")
            }
            for (path, bytes) in Self.everyFile(world.app.zhengxin.config.dataDirectory) {
                #expect(!path.contains(documentDigest), "a 涉密 document named by its SHA-256: \(path)")
                for needle in needles { #expect(bytes.range(of: Data(needle.utf8)) == nil, "「\(needle)」 in \(path)") }
            }
            let sql = world.app.db as! any SQLDatabase
            let names = try await sql.raw("SELECT name FROM projects WHERE classified = \(bind: true)").all().map {
                try $0.decode(column: "name", as: String.self)
            }
            #expect(names == [ProjectRecordStorage.classifiedName])

            // Those entitled read everything back, in full.
            for reader in ["unitA", "drc"] {
                let view = try await world.call(.GET, "/api/v1/projects/\(secret.projectId)", as: reader)
                #expect(view.project["name"] as? String == Self.secretName)
                #expect(view.project["content"] as? String == Self.secretContent)
                #expect((view.project["responsibility"] as? [String: Any])?["contactPhone"] as? String == Self.secretPhone)
            }
            let download = try await world.call(.GET, "/api/v1/projects/\(secret.projectId)/documents/\(documentNumber)", as: "drc")
            #expect(download.status == .ok && String(buffer: download.raw) == Self.secretDocument)
            let list = try await world.call(.GET, "/api/v1/projects", as: "unitA").array.compactMap {
                ($0 as? [String: Any])?["name"] as? String
            }
            #expect(list.contains(Self.secretName))
            #expect(try await world.call(.GET, "/api/v1/projects/\(secret.projectId)", as: "unitB").status == .notFound)
            let plainView = try await world.call(.GET, "/api/v1/projects/\(plain.projectId)", as: "unitA")
            #expect((plainView.project["responsibility"] as? [String: Any])?["contactPhone"] as? String == Self.plainPhone)
            let decisions = try await world.call(.GET, "/api/v1/projects/\(secret.projectId)/decisions", as: "unitA")
            #expect(decisions.array.count >= 2)
            let keys = try await SigningKeyRegistry.load(on: world.app.db, at: world.clock.now)
            #expect(DecisionVerification.check(Data(buffer: decisions.raw), against: keys, source: "数据库").allValid)
            #expect(String(buffer: decisions.raw).contains(Self.secretName))
            let audit = try await world.call(.GET, "/api/v1/projects/\(secret.projectId)/audit", as: "unitA")
            #expect(String(buffer: audit.raw).contains(Self.secretName))
            let adminAudit = try await world.call(.GET, "/api/v1/admin/audit?projectId=\(secret.projectId)", as: "adminAud")
            #expect(!String(buffer: adminAudit.raw).contains(Self.secretName))
            #expect(String(buffer: adminAudit.raw).contains(AuditConfidentiality.sealedNotice))
            // The masked phone of the ordinary project is on its audit record; the full one is not.
            let plainAudit = String(buffer: try await world.call(.GET, "/api/v1/projects/\(plain.projectId)/audit", as: "unitA").raw)
            #expect(plainAudit.contains(PersonalData.maskPhone(Self.plainPhone)) && !plainAudit.contains(Self.plainPhone))
            #expect(try await AuditRecorder.verify(on: world.app.db).problem == nil)

            // Personal data: in full to its holder, masked to administrators.
            let login = try await world.login("zhangsan", password: "Passw0rd-zhangsan")
            var own = world
            own = TestWorld(
                app: world.app, clock: world.clock, backend: world.backend,
                tokens: ["zhangsan": login["token"] as! String], orgIds: world.orgIds, userIds: world.userIds)
            let mine = try await own.call(.GET, "/api/v1/me/personal", as: "zhangsan")
            #expect(mine["phone"] as? String == Self.userPhone)
            #expect(mine["idNumber"] as? String == Self.userIdNumber)
            let users = try await world.call(.GET, "/api/v1/admin/users", as: "adminSec").array.compactMap { $0 as? [String: Any] }
            let row = users.first { $0["username"] as? String == "zhangsan" }
            #expect(row?["phone"] as? String == "136****1111")
            #expect(row?["idNumber"] as? String == "4101**********" + String(Self.userIdNumber.suffix(4)))
        }
    }

    @Test("the sealed phone is found where it stands in the encoded record, and only there")
    func sealFoundInEncodedRecord() {
        let text = Array(#"{"a":"SEAL","b":"SEAL2"}"#.utf8)
        #expect(ProjectRecordStorage.offset(of: Array(#""SEAL""#.utf8), in: text) == 5)
        #expect(ProjectRecordStorage.offset(of: Array(#""SEAL2"}"#.utf8), in: text) == 16)
        #expect(ProjectRecordStorage.offset(of: Array(#"{"a""#.utf8), in: text) == 0)
        #expect(ProjectRecordStorage.offset(of: Array(#""SEAL3""#.utf8), in: text) == nil)
        #expect(ProjectRecordStorage.offset(of: text + [0x20], in: text) == nil)
        #expect(ProjectRecordStorage.offset(of: Array("x".utf8), in: []) == nil)
    }

    @Test("a tampered sealed value and a wrong master key fail clearly, never as garbage", arguments: Backend.all)
    func tamperingAndWrongKey(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var secret = Walk(world)
            try await secret.create(Walk.draft(name: Self.secretName, yuan: 1_000_000, extra: ["classified": true]))
            let sql = world.app.db as! any SQLDatabase
            let stored = try await sql.raw("SELECT record FROM projects WHERE classified = \(bind: true)").first()!.decode(
                column: "record", as: String.self)
            #expect(AtRest.isSealed(stored))

            // Another master key: named as such, not decrypted into nonsense.
            let otherKeys = try AtRestKeys(master: try secureRandomBytes(16))
            #expect(throws: AtRestError.self) { try AtRest.open(stored, with: otherKeys) }
            do { _ = try AtRest.open(stored, with: otherKeys) } catch let error as AtRestError { #expect(error.kind == .wrongKey) }
            let anchorVerdict = try await AuditAnchor.check(
                last: try await AuditEntryModel.query(on: world.app.db).sort(\.$seq, .descending).first(),
                entries: 0, on: world.app.db, keys: otherKeys)
            if case .anchorKeyMismatch = anchorVerdict {
            } else {
                Issue.record("wrong key not reported: \(String(describing: anchorVerdict))")
            }

            // One character of the sealed record changed: the API says so with a stable code.
            var bytes = Array(stored)
            let i = bytes.count - 10
            bytes[i] = bytes[i] == "A" ? "B" : "A"
            try await sql.raw("UPDATE projects SET record = \(bind: String(bytes)) WHERE classified = \(bind: true)").run()
            let read = try await world.call(.GET, "/api/v1/projects/\(secret.projectId)", as: "unitA")
            #expect(read.status == .internalServerError)
            #expect(read.errorCode == "SEALED_VALUE_TAMPERED")

            // A TOTP secret altered at rest: the login fails with the same clear code, not a code mismatch.
            let drc = world.userIds["drc"]!
            let totp = try await sql.raw("SELECT totp_secret FROM account_security WHERE user_id = \(bind: drc)").first()!.decode(
                column: "totp_secret", as: String.self)
            #expect(AtRest.isSealed(totp))
            try await sql.raw(
                "UPDATE account_security SET totp_secret = \(bind: String(totp.dropLast(6)) + "AAAA==") WHERE user_id = \(bind: drc)"
            ).run()
            let login = try await world.call(
                .POST, "/api/v1/auth/login",
                json: ["username": "drc", "password": TestWorld.password("drc"), "totp": world.totpCode("drc")])
            #expect(login.errorCode == "SEALED_VALUE_TAMPERED")
        }
    }
}

extension ConfidentialityAtRestTests {
    /// Every value of every column of every table that reads as text.
    static let secretFinding = "整改意见-涉密-壬癸子丑-2718"

    @Test("a 涉密 project's reminders hold its finding sealed; the named read it, the others see nothing", arguments: Backend.all)
    func classifiedReminders(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var secret = Walk(world)
            try await secret.create(Walk.draft(name: Self.secretName, yuan: 3_000_000, extra: ["classified": true]))
            try await world.must(secret.projectId, "grant-classified-access", as: "unitA", ["userId": world.userIds["drc"]!.uuidString])
            try await world.must(secret.projectId, "declare", as: "unitA")
            let deadline = world.clock.now.beijingDate.addingDays(1)
            try await world.must(
                secret.projectId, "record-oversight", as: "drc",
                [
                    "kind": "inspection", "heldOn": secret.today, "subject": "建设资金使用情况", "conclusion": "存在问题",
                    "findings": [["description": Self.secretFinding, "basis": "第十一条", "deadline": deadline.description]],
                ])
            world.clock.set(deadline.addingDays(2))
            #expect(try await DeadlineScanner.run(world.app, full: true).raised >= 1)

            let sql = world.app.db as! any SQLDatabase
            let messages = try await sql.raw(
                "SELECT message FROM reminders WHERE project_id = \(bind: UUID(uuidString: secret.projectId)!)"
            ).all()
                .map { try $0.decode(column: "message", as: String.self) }
            #expect(!messages.isEmpty && messages.allSatisfy(AtRest.isSealed), "\(messages)")
            #expect(!(try await Self.everyTextValue(world)).contains { $0.contains(Self.secretFinding) })
            for path in ["/api/v1/overdue", "/api/v1/inbox"] {
                let named = String(buffer: try await world.call(.GET, path, as: "drc").raw)
                let unnamed = String(buffer: try await world.call(.GET, path, as: "fin").raw)
                #expect(!unnamed.contains(Self.secretFinding) && !unnamed.contains("zx-sm4"), "\(path)")
                #expect(!named.contains("zx-sm4"), "\(path)")
                if path == "/api/v1/overdue" { #expect(named.contains(Self.secretFinding), "the named read the finding") }
            }
        }
    }

    /// Every text value of every table, read behind the server's back.
    static func everyTextValue(_ world: TestWorld) async throws -> [String] {
        try await ClassifiedMoneyAtRestTests.everyValue(world).texts
    }

    static func everyFile(_ directory: String) -> [(String, Data)] {
        let enumerator = FileManager.default.enumerator(atPath: directory)
        var files: [(String, Data)] = []
        while let relative = enumerator?.nextObject() as? String {
            let path = directory + "/" + relative
            if let data = FileManager.default.contents(atPath: path) { files.append((path, data)) }
        }
        return files
    }
}
