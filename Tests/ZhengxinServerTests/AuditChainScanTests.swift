import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit
import Testing
import ZhengxinCrypto

@testable import ZhengxinServer

/// audit-verify on SQLite hashes the canonical bytes it writes straight from SQLite's columns
/// (AuditChainSQLiteScan): they must be byte for byte AuditRecorder.canonical of the entry as
/// stored, or old chains would no longer verify.
@Suite("Audit chain scan")
struct AuditChainScanTests {
    @Test("the scan writes each stored entry's canonical text exactly, links and hashes included, across pages")
    func canonicalBytes() async throws {
        try await TestWorld.with(.sqlite) { world in
            let db = world.app.db
            var entries: [AuditEntryModel] = []
            var previous = try #require(try await AuditEntryModel.query(on: db).sort(\.$seq, .descending).first()).hash
            for seq in Int64(1)...45 {
                let e = AuditEntryDigestTests.entry(seq: seq, actor: seq % 2 == 0, text: seq % 5 == 0 ? "" : "登记第\(seq)条 |x:y|")
                e.seq = 1_000 + seq  // after the world's own entries
                e.at = seq % 7 == 0 ? -seq : e.at
                e.prevHash = previous
                e.hash = AuditRecorder.digest(e)
                previous = e.hash
                entries.append(e)
            }
            try await BatchInsert.create(entries, on: db)
            // A UUID stored in lower case hashes as upper case, as UUID(uuidString:) reads it.
            try await (db as! any SQLDatabase).raw("UPDATE audit_entries SET project_id = lower(project_id) WHERE seq = 1002").run()
            let scan = try #require(try await AuditChainSQLiteScan.open(on: db as! any SQLiteDatabase))
            var byHash: [String: AuditEntryModel] = [:]
            for e in entries { byHash[e.hash] = e }
            var seen = 0
            while true {
                let page = try scan.next(size: 16)
                guard case .canonical(let arena, let slots) = page.content, page.count > 0 else { break }
                #expect(page.digestsHold().allSatisfy { $0 })
                for (i, slot) in slots.enumerated() {
                    let hash = String(decoding: arena[slot.hash], as: UTF8.self)
                    if page.seqs[i] > 1_000 {
                        let e = try #require(byHash[hash])
                        #expect(Array(arena[slot.canonical]) == Array(AuditRecorder.canonical(e).utf8), "seq \(e.seq)")
                        #expect(page.linked[i], "seq \(e.seq)")
                        seen += 1
                    }
                }
            }
            #expect(seen == 45)
        }
    }
}
