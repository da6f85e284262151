import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// Non-repudiation (GB/T 39786-2021 8.4): approvals, fund plans and disbursements carry the
/// acting agency's SM2 signature, verifiable against the agency key registry (DecisionForgeryTests
/// covers forgeries, rotation and pinned registries).
@Suite("Signed decisions")
struct DecisionSignatureTests {
    @Test("approve, fund plan and disburse are signed; an export verifies offline; a changed one does not", arguments: Backend.all)
    func signedDecisions(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            let reply = try await world.call(.GET, "/api/v1/projects/\(w.projectId)/decisions", as: "unitA")
            #expect(reply.status == .ok)
            let decisions = reply.array.compactMap { $0 as? [String: Any] }
            #expect(decisions.compactMap { $0["action"] as? String } == ["approve-document", "issue-fund-plan", "disburse"])
            #expect(decisions.allSatisfy { ($0["publicKey"] as? String)?.hasPrefix("-----BEGIN PUBLIC KEY-----") == true })
            // Each names the id its A4 document is downloaded by.
            for decision in decisions {
                let id = try #require(decision["id"] as? String)
                let pdf = try await world.call(.GET, "/api/v1/projects/\(w.projectId)/decisions/\(id).pdf", as: "unitA")
                #expect(pdf.status == .ok && String(buffer: pdf.raw).hasPrefix("%PDF-"), "\(id)")
            }
            // DRC signed twice with one key; FIN with its own.
            #expect(decisions[0]["publicKey"] as? String == decisions[1]["publicKey"] as? String)
            #expect(decisions[1]["publicKey"] as? String != decisions[2]["publicKey"] as? String)

            // The document names the project, the decision and the audit entry it belongs to.
            let document = try JSONSerialization.jsonObject(with: Data((decisions[2]["document"] as! String).utf8)) as! [String: Any]
            #expect(document["action"] as? String == "disburse")
            #expect(document["projectId"] as? String == w.projectId)
            #expect((document["organisation"] as? [String: Any])?["id"] as? String == world.orgId(of: "fin").uuidString)
            let audit = try await AuditEntryModel.query(on: world.app.db).filter(\.$seq == (document["auditSeq"] as! NSNumber).int64Value)
                .first()
            #expect(audit?.hash == document["auditHash"] as? String)
            #expect(audit?.action == "disburse")

            // Each names its key by fingerprint, and the signed document names the same key.
            #expect(decisions.allSatisfy { ($0["keyFingerprint"] as? String)?.count == 64 })
            #expect(document["keyFingerprint"] as? String == decisions[2]["keyFingerprint"] as? String)

            // The whole export, as downloaded, verifies through the CLI's code path.
            let export = Data(buffer: reply.raw)
            let registry = try await SigningKeyRegistry.load(on: world.app.db, at: world.clock.now)
            let all = DecisionVerification.check(export, against: registry, source: "数据库")
            #expect(all.allValid)
            #expect(all.lines.count == 3 && all.lines.allSatisfy { $0.hasPrefix("有效") })

            // One amount changed in the document: 无效.
            var forged = decisions[2]
            forged["document"] = (forged["document"] as! String).replacingOccurrences(
                of: "\"amount\":200000000", with: "\"amount\":300000000")
            #expect(forged["document"] as? String != decisions[2]["document"] as? String)
            let forgedResult = DecisionVerification.check(
                try JSONSerialization.data(withJSONObject: forged), against: registry, source: "数据库")
            #expect(!forgedResult.allValid)
            #expect(forgedResult.lines.first?.hasPrefix("无效") == true)
            // Another agency's key put in its place: 无效 too.
            var swapped = decisions[2]
            swapped["publicKey"] = decisions[0]["publicKey"]
            #expect(
                !DecisionVerification.check(try JSONSerialization.data(withJSONObject: swapped), against: registry, source: "数据库").allValid)

            // Private keys rest sealed under the master key, which sits in a 0600 file.
            let rows = try await (world.app.db as! any SQLDatabase).raw("SELECT private_key_sealed FROM signing_keys").all()
            #expect(rows.count == 2)
            for row in rows {
                let sealed = try row.decode(column: "private_key_sealed", as: String.self)
                #expect(!sealed.contains("PRIVATE KEY"))
                #expect(!String(decoding: Data(base64Encoded: sealed) ?? Data(), as: UTF8.self).contains("PRIVATE KEY"))
            }
            let keyFile = world.app.zhengxin.config.dataDirectory + "/master.key"
            let mode = try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int
            #expect(mode == 0o600)

            // A refusal signs nothing; a unit cannot read another unit's decisions.
            _ = try await world.act(
                w.projectId, "disburse", as: "fin", ["amountFen": 999_999_999_999, "paidOn": w.today, "voucherNumber": "X"])
            #expect(try await world.call(.GET, "/api/v1/projects/\(w.projectId)/decisions", as: "unitA").array.count == 3)
            #expect(try await world.call(.GET, "/api/v1/projects/\(w.projectId)/decisions", as: "unitB").status == .notFound)
        }
    }

    @Test("the master key comes from the environment when set, and must be 128 bits")
    func masterKeyFromEnvironment() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zx-mk-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let hex = "00112233445566778899aabbccddeeff"
        #expect(try MasterKey.load(dataDirectory: dir, environment: ["ZHENGXIN_MASTER_KEY": hex]).count == 16)
        #expect(!FileManager.default.fileExists(atPath: dir + "/master.key"))
        #expect(throws: MasterKeyError.self) { try MasterKey.load(dataDirectory: dir, environment: ["ZHENGXIN_MASTER_KEY": "abcd"]) }
        let first = try MasterKey.load(dataDirectory: dir, environment: [:])
        #expect(try MasterKey.load(dataDirectory: dir, environment: [:]) == first)
    }
}
