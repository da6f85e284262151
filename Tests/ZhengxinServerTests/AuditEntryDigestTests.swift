import Foundation
import Testing
import ZhengxinCore
import ZhengxinCrypto

@testable import ZhengxinServer

/// The streamed digest of an audit entry is byte for byte the SM3 of its canonical string: old
/// chains verify, new entries chain as before (GB/T 39786-2021 8.1 integrity of audit records).
@Suite("Audit entry digest")
struct AuditEntryDigestTests {
    static func entry(seq: Int64, actor: Bool, text: String) -> AuditEntryModel {
        let e = AuditEntryModel()
        e.id = UUID()
        e.seq = seq
        e.at = 1_790_000_000 + seq
        e.actorUserId = actor ? UUID() : nil
        e.actorName = actor ? "张三" : "系统"
        e.organisationId = actor ? UUID() : nil
        e.organisationType = actor ? "UNIT" : "SYSTEM"
        e.roles = actor ? "leader,staff" : ""
        e.action = "record-sharing-feedback"
        e.projectId = seq % 3 == 0 ? nil : UUID()
        e.result = "accepted"
        e.summary = text
        e.before = "{\"a\":\"\(text)\"}"
        e.after = String(repeating: "数据|:", count: Int(seq % 50))
        e.violations = "[]"
        e.clientAddress = "127.0.0.1"
        e.prevHash = String(repeating: "a", count: 64)
        return e
    }

    @Test("equals SM3 of the canonical string for every shape of entry, and with a seq override")
    func sameAsCanonical() {
        let digest = AuditEntryDigest()
        for seq in Int64(1)...60 {
            let e = Self.entry(seq: seq, actor: seq % 2 == 0, text: seq % 5 == 0 ? "" : "登记第\(seq)条 |x:y|")
            #expect(digest.hex(e) == SM3.hex(AuditRecorder.canonical(e)))
            #expect(AuditRecorder.digest(e) == SM3.hex(AuditRecorder.canonical(e)))
            #expect(digest.hex(e, seq: seq + 7) == SM3.hex(AuditRecorder.canonical(e, seq: seq + 7)))
            #expect(digest.hex(e) != digest.hex(e, seq: seq + 1))
        }
    }

    /// The hash of format 1, written out here rather than through the code under test: the sixteen
    /// fields from seq to prev_hash.
    static func originalDigest(_ e: AuditEntryModel) -> String {
        let fields: [String] = [
            String(e.seq), String(e.at), e.actorUserId?.uuidString ?? "", e.actorName, e.organisationId?.uuidString ?? "",
            e.organisationType, e.roles, e.action, e.projectId?.uuidString ?? "", e.result, e.summary, e.before, e.after,
            e.violations, e.clientAddress, e.prevHash,
        ]
        return SM3.hex(fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|"))
    }

    @Test("format 1 hashes as it always did; format 2 adds the format, the entry id and the state, and cannot pass for format 1")
    func formats() {
        let digest = AuditEntryDigest()
        for seq in Int64(1)...30 {
            let e = Self.entry(seq: seq, actor: seq % 2 == 0, text: "第\(seq)条")
            #expect(digest.hex(e) == Self.originalDigest(e))  // no format set: an entry stored before the format column
            e.format = AuditEntryFormat.original
            e.state = ""
            #expect(digest.hex(e) == Self.originalDigest(e))
            e.format = AuditEntryFormat.bound
            e.state = seq % 3 == 0 ? "" : String(repeating: "ab", count: 32) + ":" + String(repeating: "0", count: 120)
            let bound = digest.hex(e)
            #expect(bound == SM3.hex(AuditRecorder.canonical(e)))
            #expect(AuditRecorder.canonical(e).hasSuffix("|1:2|36:\(e.id!.uuidString)|\(e.state.utf8.count):\(e.state)"))
            #expect(bound != Self.originalDigest(e))
            let id = e.id
            e.id = UUID()
            #expect(digest.hex(e) != bound)
            e.id = id
            e.state += "0"
            #expect(digest.hex(e) != bound)
        }
    }

    @Test("a known vector: SM3(\"abc\") through the reused hasher, twice")
    func vector() {
        let hasher = SM3Hasher()
        for _ in 0..<2 {
            hasher.update(Array("abc".utf8))
            #expect(hasher.finalizeHex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
        }
        #expect(Data([0x00, 0x0f, 0xa5, 0xff]).hexString == "000fa5ff")
    }

    @Test("UUIDText parses UUIDs as UUID(uuidString:) does and writes them as uuidString does")
    func uuids() {
        for _ in 0..<200 {
            let id = UUID()
            #expect(UUIDText.parse(id.uuidString) == id)
            #expect(UUIDText.parse(id.uuidString.lowercased()) == id)
            #expect(UUIDText.string(id) == id.uuidString)
        }
        for id in [
            UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
            UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255)),
        ] {
            #expect(UUIDText.string(id) == id.uuidString && UUIDText.parse(id.uuidString) == id)
        }
        for bad in [
            "", "not-a-uuid", "00000000-0000-0000-0000-00000000000g", "00000000+0000-0000-0000-000000000000",
            "00000000-0000-0000-0000-0000000000000",
        ] {
            #expect(UUIDText.parse(bad) == nil && UUID(uuidString: bad) == nil, "\(bad)")
        }
    }
}
