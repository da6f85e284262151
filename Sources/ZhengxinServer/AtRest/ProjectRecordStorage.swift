import Foundation
import ZhengxinCore

/// How a `ProjectRecord` rests in `projects.record` and `projects.name` (GB/T 39786-2021 8.3
/// 数据存储机密性):
/// - a 涉密 project's whole record is SM4-sealed, and its name column holds only `classifiedName`, so
///   neither the JSON nor the list columns reveal its name, content, goals or contracts;
/// - an ordinary project's record stays readable JSON (lists and reports never decode it) with one
///   field sealed: the contact phone of its 项目责任人 (个人信息), one small seal per write.
/// The JSON is written and read by Foundation's coders (RecordJSON), once per write.
enum ProjectRecordStorage {
    /// What list columns, reports and the audit record show for a 涉密 project.
    static let classifiedName = "（涉密项目）"

    static func listedName(_ record: ProjectRecord) -> String {
        record.classified ? classifiedName : record.name
    }

    static func encode(_ record: ProjectRecord) throws -> String { try encoded(record).stored }

    /// The record's JSON in the clear (what an answer shows its reader) and its stored text, from ONE
    /// encode (else a lifecycle action would encode the record a second time for its answer). The stored
    /// text is the clear JSON sealed whole (涉密), or the record encoded with its contact phone sealed;
    /// the clear JSON is that text with the seal (random, so found exactly once) put back as the phone.
    static func encoded(_ record: ProjectRecord) throws -> (clear: [UInt8], stored: String) {
        guard !record.classified else {
            let clear = try RecordJSON.encode(record)
            return (clear, try AtRest.seal(String(decoding: clear, as: UTF8.self)))
        }
        guard let phone = record.responsibility?.contactPhone, !phone.isEmpty else {
            let clear = try RecordJSON.encode(record)
            return (clear, String(decoding: clear, as: UTF8.self))
        }
        var sealed = record
        let seal = try AtRest.seal(phone)
        sealed.responsibility?.contactPhone = seal
        let stored = try RecordJSON.encode(sealed)
        let sealJSON = try RecordJSON.encode(seal)
        guard let at = offset(of: sealJSON, in: stored) else { throw SealedPhoneNotFound() }
        var clear = Array(stored[..<at])
        clear.append(contentsOf: try RecordJSON.encode(phone))
        clear.append(contentsOf: stored[(at + sealJSON.count)...])
        return (clear, String(decoding: stored, as: UTF8.self))
    }

    /// Where `needle` first stands in `haystack`: a plain loop over the bytes, not Foundation's
    /// generic `firstRange(of:)`, which compared them through protocol witnesses (6% of an action's CPU).
    static func offset(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty else { return 0 }
        guard haystack.count >= needle.count else { return nil }
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pattern in
                for start in 0...(hay.count - pattern.count) where hay[start] == pattern[0] {
                    if memcmp(hay.baseAddress! + start, pattern.baseAddress!, pattern.count) == 0 { return start }
                }
                return nil
            }
        }
    }

    /// The most a stored record may hold, in UTF-8 bytes. Every write reads, decodes, encodes and
    /// digests the whole record, and the project's page shows it: 300 incident reports of 5,000
    /// characters made one record 4.5 MB, its page 9.8 MB and each write three times slower. A
    /// typical record is ~9 KB; the largest a long-lived project reaches in use, a few hundred KB.
    static let largestRecordBytes = 2 << 20
    /// How far the unit's own actions may grow it: the rest is the agencies', so that a unit filling its
    /// record cannot keep DRC, FIN or BDB from ordering rectification, suspending it or urging it.
    static let largestRecordBytesByUnit = 3 << 19

    /// Why `actor` may not store `next`: it would grow a record past the bound. An action that does not
    /// grow it (an approval on a record at the bound) is never refused so.
    static func outgrown(_ next: String, from stored: String?, by actor: Actor) -> Violation? {
        let size = next.utf8.count
        let bound = actor.organisationType == .unit ? largestRecordBytesByUnit : largestRecordBytes
        guard size > bound, size > (stored?.utf8.count ?? 0) else { return nil }
        return .input(
            "record", "本项目的记录已达系统可保存的上限(\(String(format: "%.1f", Double(bound) / Double(1 << 20))) MB),不能再增加内容;请联系系统管理员")
    }

    /// Rows written before sealing (plain JSON, plain phone) still read; their next write seals them.
    static func decode(_ stored: String) throws -> ProjectRecord {
        if AtRest.isSealed(stored) { return try RecordJSON.decode(ProjectRecord.self, from: AtRest.open(stored)) }
        var record = try RecordJSON.decode(ProjectRecord.self, from: stored)
        if let phone = record.responsibility?.contactPhone, AtRest.isSealed(phone) {
            record.responsibility?.contactPhone = try AtRest.open(phone)
        }
        return record
    }
}

/// The sealed phone was not in the encoded record: never expected, refused rather than stored.
struct SealedPhoneNotFound: Error {}
