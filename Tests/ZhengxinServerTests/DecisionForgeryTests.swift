import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore
import ZhengxinCrypto

@testable import ZhengxinServer

/// `verify-decision` against the agency key registry: a decision is valid only under the key
/// registered for the agency that signed it, at the time it signed. The verifier this replaced
/// checked a decision against the key in the file itself, so anyone could change an amount, sign
/// again with a key of their own and put that key in the file.
@Suite("Forged decisions and the agency key registry")
struct DecisionForgeryTests {
    /// A decision from an export, changed and signed again as an attacker would.
    struct Forgery {
        var decision: [String: Any]

        init(_ decision: [String: Any]) { self.decision = decision }

        var document: String {
            get { decision["document"] as! String }
            set { decision["document"] = newValue }
        }

        /// Changes a field of the signed document (re-serialised canonically, as the server signs).
        mutating func set(_ key: String, _ value: Any) throws {
            var object = try JSONSerialization.jsonObject(with: Data(document.utf8)) as! [String: Any]
            object[key] = value
            document = try DecisionSigner.canonicalDocument(object)
        }

        mutating func sign(with key: SM2PrivateKey) throws {
            decision["signature"] = try SM2.sign(Data(document.utf8), with: key, userId: DecisionSigner.userId).base64EncodedString()
        }

        mutating func embed(_ key: SM2PublicKey) throws {
            decision["publicKey"] = try key.pemRepresentation()
        }

        var data: Data { get throws { try JSONSerialization.data(withJSONObject: decision) } }
    }

    static func decisions(_ world: TestWorld, _ projectId: String) async throws -> (list: [[String: Any]], export: Data) {
        let reply = try await world.call(.GET, "/api/v1/projects/\(projectId)/decisions", as: "unitA")
        #expect(reply.status == .ok)
        return (reply.array.compactMap { $0 as? [String: Any] }, Data(buffer: reply.raw))
    }

    static func registry(_ world: TestWorld) async throws -> SigningKeyRegistry {
        try await SigningKeyRegistry.load(on: world.app.db, at: world.clock.now)
    }

    static func check(_ data: Data, _ registry: SigningKeyRegistry) -> DecisionVerification.Results {
        DecisionVerification.check(data, against: registry, source: "数据库")
    }

    static func masterKey(_ world: TestWorld) throws -> Data {
        try MasterKey.load(dataDirectory: world.app.zhengxin.config.dataDirectory)
    }

    /// An agency's registered private key, as the server holds it (sealed under the master key).
    static func privateKey(_ world: TestWorld, fingerprint: String) async throws -> SM2PrivateKey {
        let stored = try #require(try await SigningKeyModel.query(on: world.app.db).filter(\.$fingerprint == fingerprint).first())
        return try AgencyKeys.privateKey(of: stored, masterKey: try masterKey(world))
    }

    @Test("an amount changed and signed again with another key is refused, whatever key the file names", arguments: Backend.all)
    func forgeriesRefused(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            let (decisions, export) = try await Self.decisions(world, w.projectId)
            let registry = try await Self.registry(world)
            let genuine = Self.check(export, registry)
            #expect(genuine.allValid, "\(genuine.lines)")
            #expect(genuine.lines.count == 3 && genuine.lines.allSatisfy { $0.hasPrefix("有效") && $0.contains("(登记册: 数据库)") })
            #expect(genuine.lines[2].contains("「市财政局」"))
            let disburse = decisions[2]
            #expect(disburse["action"] as? String == "disburse")
            let finFingerprint = try #require(disburse["keyFingerprint"] as? String)

            // The attack: the amount raised, signed with a fresh key, that key put in the file.
            let fresh = try SM2.generateKey()
            var forged = Forgery(disburse)
            forged.document = forged.document.replacingOccurrences(of: "\"amount\":200000000", with: "\"amount\":900000000")
            #expect(forged.document != disburse["document"] as? String)
            try forged.sign(with: fresh)
            try forged.embed(fresh.publicKey)
            forged.decision["keyFingerprint"] = try SigningKeyFingerprint.of(fresh.publicKey)
            // What the old verifier checked holds: the signature verifies under the key in the file...
            let embedded = try SM2PublicKey(pem: forged.decision["publicKey"] as! String)
            #expect(
                SM2.verify(Data(base64Encoded: forged.decision["signature"] as! String)!, for: Data(forged.document.utf8), with: embedded))
            // ...and the registry has never heard of that key.
            let unknown = Self.check(try forged.data, registry)
            #expect(!unknown.allValid)
            #expect(unknown.lines.count == 1 && unknown.lines[0].hasPrefix("无效"))
            #expect(unknown.lines[0].contains("不在签名密钥登记册中"), "\(unknown.lines)")

            // An export of the old shape (no fingerprint): the embedded key's own stands in, and is unknown alike.
            var oldShape = forged
            oldShape.decision["keyFingerprint"] = nil
            #expect(Self.check(try oldShape.data, registry).lines[0].contains("不在签名密钥登记册中"))

            // The same forgery naming the agency's real key id: the embedded key is not the registry's.
            var posing = forged
            posing.decision["keyFingerprint"] = finFingerprint
            let posed = Self.check(try posing.data, registry)
            #expect(!posed.allValid)
            #expect(posed.lines[0].contains("文件内嵌的公钥") && posed.lines[0].contains("伪造"), "\(posed.lines)")
            #expect(posed.lines[0].contains("SM2 签名在登记册公钥下验证失败"))
            // Left with the real key embedded, the fresh key's signature still fails under the registry's key.
            var quiet = posing
            quiet.decision["publicKey"] = disburse["publicKey"]
            let quietResult = Self.check(try quiet.data, registry)
            #expect(!quietResult.allValid)
            #expect(!quietResult.lines[0].contains("文件内嵌的公钥"))
            #expect(quietResult.lines[0].contains("SM2 签名在登记册公钥下验证失败"), "\(quietResult.lines)")

            // Another agency's real key: FIN's decision signed with DRC's registered key is not FIN's.
            let drcFingerprint = try #require(decisions[0]["keyFingerprint"] as? String)
            #expect(drcFingerprint != finFingerprint)
            var borrowed = Forgery(disburse)
            try borrowed.set("keyFingerprint", drcFingerprint)
            try borrowed.sign(with: try await Self.privateKey(world, fingerprint: drcFingerprint))
            borrowed.decision["publicKey"] = decisions[0]["publicKey"]
            borrowed.decision["keyFingerprint"] = drcFingerprint
            let other = Self.check(try borrowed.data, registry)
            #expect(!other.allValid)
            #expect(other.lines[0].contains("签名密钥属于「市发展改革委」"), "\(other.lines)")
            #expect(!other.lines[0].contains("验证失败"))  // the signature is DRC's own: only the agency is wrong
            // Claiming the other agency's key for FIN's untouched decision fails too.
            var claimed = Forgery(disburse)
            claimed.decision["keyFingerprint"] = drcFingerprint
            claimed.decision["publicKey"] = decisions[0]["publicKey"]
            #expect(!Self.check(try claimed.data, registry).allValid)

            // A decision whose signing time precedes its key, signed with the agency's real key.
            var backdated = Forgery(disburse)
            let key = try #require(registry.entry(finFingerprint))
            try backdated.set("at", key.validFrom - 86_400)
            backdated.decision["signedAt"] = key.validFrom - 86_400
            try backdated.sign(with: try await Self.privateKey(world, fingerprint: finFingerprint))
            let early = Self.check(try backdated.data, registry)
            #expect(!early.allValid)
            #expect(early.lines[0].contains("不在该密钥的有效期内"), "\(early.lines)")
            #expect(!early.lines[0].contains("验证失败"))

            // A genuine signature under fields of the export that disagree with the signed document.
            var relabelled = Forgery(disburse)
            relabelled.decision["auditSeq"] = 1
            #expect(Self.check(try relabelled.data, registry).lines[0].contains("导出文件的 auditSeq 与签名文档不一致"))
        }
    }

    @Test(
        "genuine decisions verify against the database and an exported pinned registry; the registry holds no private key",
        arguments: Backend.all)
    func pinnedRegistry(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            let (_, export) = try await Self.decisions(world, w.projectId)
            // The API's answer saved as a file is a pinned registry.
            let reply = try await world.call(.GET, "/api/v1/signing-keys", as: "aud")
            #expect(reply.status == .ok)
            let text = String(buffer: reply.raw)
            #expect(!text.contains("PRIVATE") && !text.lowercased().contains("private"))
            let keys = try #require(reply["keys"] as? [[String: Any]])
            #expect(keys.count == 2)
            #expect(Set(keys.compactMap { $0["organisationName"] as? String }) == ["市发展改革委", "市财政局"])
            #expect(keys.allSatisfy { $0["validUntil"] is NSNull && ($0["fingerprint"] as? String)?.count == 64 })
            let fromAPI = try SigningKeyRegistry.read(Data(buffer: reply.raw))
            let pinned = DecisionVerification.check(export, against: fromAPI, source: "文件 keys.json")
            #expect(pinned.allValid, "\(pinned.lines)")
            #expect(pinned.lines.allSatisfy { $0.contains("(登记册: 文件 keys.json)") })
            // export-signing-keys writes the same registry.
            let file = try await SigningKeyRegistry.load(on: world.app.db, at: world.clock.now).fileData()
            #expect(!String(decoding: file, as: UTF8.self).lowercased().contains("private"))
            #expect(try SigningKeyRegistry.read(file).keys == fromAPI.keys)
            #expect(DecisionVerification.check(export, against: try SigningKeyRegistry.read(file), source: "文件").allValid)

            // A pinned file edited to pair FIN's fingerprint with another key is refused as a whole.
            var tampered = try JSONSerialization.jsonObject(with: file) as! [String: Any]
            var entries = tampered["keys"] as! [[String: Any]]
            entries[0]["publicKey"] = try SM2.generateKey().publicKey.pemRepresentation()
            tampered["keys"] = entries
            #expect(throws: SigningKeyRegistry.Unreadable.self) {
                try SigningKeyRegistry.read(try JSONSerialization.data(withJSONObject: tampered))
            }

            // Anonymous callers get nothing; every logged-in business account reads it.
            #expect(try await world.call(.GET, "/api/v1/signing-keys").status == .unauthorized)
            #expect(try await world.call(.GET, "/api/v1/signing-keys", as: "unitB").status == .ok)
        }
    }

    @Test(
        "after rotation old decisions verify under the old key, new ones under the new; a retired key cannot sign later",
        arguments: Backend.all)
    func rotation(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let first = try await RefusalTests.constructing(world)
            let (before, _) = try await Self.decisions(world, first.projectId)
            let oldDRC = try #require(before[0]["keyFingerprint"] as? String)
            let pinnedBefore = try await Self.registry(world)

            // Only the security administrator rotates, and only an agency's key.
            world.clock.set(world.clock.now.beijingDate.addingDays(1))
            let drcOrg = world.orgId(of: "drc")
            #expect(try await world.call(.POST, "/api/v1/admin/signing-keys/\(drcOrg)/rotate", as: "drc").status == .forbidden)
            #expect(try await world.call(.POST, "/api/v1/admin/signing-keys/\(drcOrg)/rotate", as: "adminSys").status == .forbidden)
            let unit = try await world.call(.POST, "/api/v1/admin/signing-keys/\(world.orgId(of: "unitA"))/rotate", as: "adminSec")
            #expect(unit.status == .unprocessableEntity && unit.errorCode == "NOT_A_SIGNING_AGENCY")
            #expect(try await world.call(.POST, "/api/v1/admin/signing-keys/\(UUID())/rotate", as: "adminSec").status == .notFound)
            let rotated = try await world.call(.POST, "/api/v1/admin/signing-keys/\(drcOrg)/rotate", as: "adminSec")
            #expect(rotated.status == .ok)
            let retired = try #require(rotated["retired"] as? [String: Any])
            let current = try #require(rotated["current"] as? [String: Any])
            let newDRC = try #require(current["fingerprint"] as? String)
            #expect(retired["fingerprint"] as? String == oldDRC && newDRC != oldDRC)
            #expect((retired["validUntil"] as? NSNumber)?.int64Value == world.clock.now.secondsSinceEpoch)
            #expect((current["validFrom"] as? NSNumber)?.int64Value == world.clock.now.secondsSinceEpoch)
            // FIN's key rotated the way `zhengxin rotate-signing-key --org 市财政局` does it.
            let finOrg = try #require(try await OrganisationModel.find(world.orgId(of: "fin"), on: world.app.db))
            let finRotation = try await SigningKeyRotation.rotate(finOrg, by: nil, client: "cli", app: world.app)
            #expect(finRotation.retired?.fingerprint == before[2]["keyFingerprint"] as? String)
            // Both rotations and both refused attempts are on the audit record.
            let entries = try await AuditEntryModel.query(on: world.app.db).filter(\.$action == "rotate-signing-key").all()
            #expect(entries.filter { $0.result == "accepted" }.count == 2 && entries.filter { $0.result == "forbidden" }.count == 2)
            #expect(try await AuditRecorder.verify(on: world.app.db).problem == nil)

            // New decisions, a day later, are signed with the new keys.
            world.clock.set(world.clock.now.beijingDate.addingDays(1))
            try await world.must(
                first.projectId, "issue-fund-plan", as: "drc",
                ["amountFen": 1_000_000, "documentNumber": "资金计划2号", "issuedOn": first.today])
            try await world.must(
                first.projectId, "disburse", as: "fin", ["amountFen": 500_000, "paidOn": first.today, "voucherNumber": "ZF-2"])
            let (all, export) = try await Self.decisions(world, first.projectId)
            #expect(all.count == 5)
            let after = Array(all.dropFirst(3))
            #expect(after.compactMap { $0["keyFingerprint"] as? String } == [newDRC, finRotation.current.fingerprint])
            #expect(all.prefix(3).compactMap { $0["keyFingerprint"] as? String } == before.compactMap { $0["keyFingerprint"] as? String })
            let registry = try await Self.registry(world)
            #expect(registry.keys.count == 4)
            #expect(registry.keys.filter { $0.validUntil == nil }.count == 2)
            let verified = Self.check(export, registry)
            #expect(verified.allValid, "\(verified.lines)")
            // Pinned copies: the one exported before rotation knows only the old keys; one exported now knows all.
            let stale = DecisionVerification.check(export, against: pinnedBefore, source: "文件")
            #expect(!stale.allValid)
            #expect(stale.lines.prefix(3).allSatisfy { $0.hasPrefix("有效") })
            #expect(stale.lines.dropFirst(3).allSatisfy { $0.contains("不在签名密钥登记册中") }, "\(stale.lines)")
            let fresh = try SigningKeyRegistry.read(try registry.fileData())
            #expect(DecisionVerification.check(export, against: fresh, source: "文件").allValid)

            // The retired key signing a decision dated after its retirement is refused for the time alone.
            var late = Forgery(after[0])
            try late.set("keyFingerprint", oldDRC)
            try late.sign(with: try await Self.privateKey(world, fingerprint: oldDRC))
            late.decision["keyFingerprint"] = oldDRC
            late.decision["publicKey"] = before[0]["publicKey"]
            let refused = Self.check(try late.data, registry)
            #expect(!refused.allValid)
            #expect(refused.lines[0].contains("不在该密钥的有效期内"), "\(refused.lines)")
            #expect(!refused.lines[0].contains("验证失败") && !refused.lines[0].contains("签名密钥属于"))
            // And the new key signing a decision dated before it existed likewise.
            var early = Forgery(before[0])
            try early.set("keyFingerprint", newDRC)
            try early.sign(with: try await Self.privateKey(world, fingerprint: newDRC))
            early.decision["keyFingerprint"] = newDRC
            early.decision["publicKey"] = after[0]["publicKey"]
            #expect(Self.check(try early.data, registry).lines[0].contains("不在该密钥的有效期内"))
        }
    }

    @Test("keys made before the registry move into it, valid from their creation, and their decisions still verify", arguments: Backend.all)
    func migration(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            let (_, export) = try await Self.decisions(world, w.projectId)
            let keys = try await Self.registry(world).keys
            // Back to the one-key-per-agency table, with creation times of their own, then forward again.
            try await CreateSigningKeyRegistry().revert(on: world.app.db)
            let sql = world.app.db as! any SQLDatabase
            try await sql.raw("UPDATE agency_keys SET created_at = created_at - 3600").run()
            let created = try await AgencyKeyModel.query(on: world.app.db).all()
            #expect(created.count == 2)
            try await CreateSigningKeyRegistry().prepare(on: world.app.db)
            let migrated = try await Self.registry(world).keys
            #expect(migrated.map(\.fingerprint).sorted() == keys.map(\.fingerprint).sorted())
            for key in migrated {
                let old = try #require(created.first { $0.organisationId == key.organisationId })
                #expect(key.validFrom == old.createdAt && key.validUntil == nil)
                #expect(key.fingerprint == (try SigningKeyFingerprint.of(pem: old.publicKeyPEM)))
            }
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM signing_keys").first()?.decode(column: "n", as: Int.self) == 2)
            let result = Self.check(export, try await Self.registry(world))
            #expect(result.allValid, "\(result.lines)")
            // The next decision is signed with the migrated key.
            try await world.must(w.projectId, "disburse", as: "fin", ["amountFen": 1_000_000, "paidOn": w.today, "voucherNumber": "ZF-2"])
            let (after, _) = try await Self.decisions(world, w.projectId)
            #expect(after.last?["keyFingerprint"] as? String == after[2]["keyFingerprint"] as? String)
        }
    }

    @Test("the fingerprint is SM3 of the DER public key, whatever the PEM's line breaks")
    func fingerprint() throws {
        let key = try SM2.generateKey().publicKey
        let pem = try key.pemRepresentation()
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        #expect(try SigningKeyFingerprint.of(key) == SM3.hex(Data(base64Encoded: body)!))
        #expect(try SigningKeyFingerprint.of(pem: pem.replacingOccurrences(of: "\n", with: "\r\n")) == SigningKeyFingerprint.of(key))
        #expect(
            SigningTime.text(Instant(beijing: CivilDate(2026, 3, 2), hour: 9, minute: 5, second: 7).secondsSinceEpoch)
                == "2026-03-02 09:05:07")
    }
}
