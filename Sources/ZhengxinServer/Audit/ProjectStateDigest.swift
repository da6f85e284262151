import Foundation
import ZhengxinCrypto

/// The stored state of a project row as the audit record binds it (AuditEntryFormat 2): every
/// accepted entry that writes a project row carries the SM3 of the row it left, and `audit-verify`
/// checks that each project's row still digests to what its last such entry carries
/// (ProjectStateCheck). Without it, the chain proved that the record of changes was intact while
/// the rows themselves (an investment, a name, a stage, a sealed record) could be edited at will.
///
/// Canonical form, version 1. The row's fields, in this order, each as UTF-8 text: id and unit id as
/// `uuidString` (upper case), integers in decimal, `classified` as `1`/`0`, a NULL approved budget as
/// the empty text, the record exactly as stored (SM4-sealed for a 涉密 project). Each field's text is
/// hashed on its own, h_i = SM3(text_i); the state digest is SM3(`zhengxin/project-state/1` ‖ h_1 ‖ …
/// ‖ h_15). Stored as `<digest, 64 hex>:<first 4 bytes of each h_i, 8 hex each>`: the digest binds
/// every field in full; the short parts only say which field differs when it no longer holds.
///
/// Not bound: `deadlines_review_on`, the deadline scan's own bookkeeping (from which day it looks at
/// the project again). The scan moves it for thousands of rows without an audit entry and nothing a
/// project is or may do depends on it; a wrong value only makes a scan look at a project early or late.
package enum ProjectStateDigest {
    static let label = Array("zhengxin/project-state/1".utf8)

    /// Each field's name in messages, in canonical order (the column it is stored in).
    static let fieldNames = [
        "标识(id)", "版本(version)", "编号(code)", "名称(name)", "建设单位(unit_id)", "阶段(stage)",
        "计划年度(plan_year)", "总投资(total_investment_fen)", "涉密标记(classified)", "层级(tier)",
        "批复概算(approved_fen)", "资金计划合计(planned_fen)", "拨付合计(disbursed_fen)",
        "更新时间(updated_at)", "项目记录(record)",
    ]

    /// The row as the audit entry of its write carries it: read or made with its record (a row read
    /// without it digests as if its record were empty, which binds nothing and verifies against nothing).
    package static func of(_ row: ProjectRow) -> String { Hasher().state(row) }

    /// One per thread: a reused SM3 context.
    final class Hasher {
        private let sm3 = SM3Hasher()

        /// The stored form: digest and per-field tags.
        func state(_ f: ProjectRow) -> String {
            var digests: [(UInt64, UInt64, UInt64, UInt64)] = []
            digests.reserveCapacity(ProjectStateDigest.fieldNames.count)
            ProjectStateDigest.texts(f) { text in
                sm3.update(text)
                digests.append(sm3.finalize())
            }
            sm3.update(ProjectStateDigest.label)
            for var d in digests { withUnsafeBytes(of: &d) { sm3.update($0) } }
            var out = sm3.finalizeHex() + ":"
            for var d in digests { out += withUnsafeBytes(of: &d) { Hex.lowercase(UnsafeRawBufferPointer(rebasing: $0[0..<4])) } }
            return out
        }

        /// nil when `stored` is the state of `f`; else the names of the fields whose tags differ (all
        /// of them when `stored` is not in the stored form at all).
        func differences(_ stored: String, _ f: ProjectRow) -> [String]? {
            let actual = state(f)
            if actual == stored { return nil }
            let names = ProjectStateDigest.fieldNames
            let a = Array(actual.utf8), s = Array(stored.utf8)
            guard s.count == a.count else { return names }
            var differing: [String] = []
            for (i, name) in names.enumerated() {
                let range = (65 + 8 * i)..<(65 + 8 * (i + 1))
                if a[range] != s[range] { differing.append(name) }
            }
            // Tags alike, digest not: a change the 32-bit tags happen to miss, or a rewritten digest.
            return differing.isEmpty ? ["状态摘要"] : differing
        }
    }

    /// Each field's canonical text, in order.
    private static func texts(_ c: ProjectRow, _ body: (UnsafeRawBufferPointer) -> Void) {
        func text(_ s: String) {
            var s = s
            s.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        }
        text(c.id.uuidString)
        text(String(c.version))
        text(c.code)
        text(c.name)
        text(c.unitId.uuidString)
        text(c.stage)
        text(String(c.planYear))
        text(String(c.totalInvestmentFen))
        text(c.classified ? "1" : "0")
        text(String(c.tier))
        text(c.approvedFen.map { String($0) } ?? "")
        text(String(c.plannedFen))
        text(String(c.disbursedFen))
        text(String(c.updatedAt))
        text(c.record ?? "")
    }
}
