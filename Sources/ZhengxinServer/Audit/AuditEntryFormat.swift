import Fluent
import SQLKit

/// The canonical forms an audit entry's hash covers. Format 1 hashes the sixteen fields from `seq`
/// to `prev_hash`; format 2 appends the format number, the entry's row id and the project state the
/// entry produced (ProjectStateDigest), so neither the id nor a project row can be changed behind
/// the server's back without the chain or the state check noticing. Each entry keeps the format it
/// was written in: entries written before format 2 verify exactly as they always did, and an entry
/// cannot be moved from one format to the other, since the two forms hash a different number of fields.
enum AuditEntryFormat {
    static let original: Int64 = 1
    /// Entry id and project state hashed.
    static let bound: Int64 = 2
    /// What new entries are written in.
    static let current = bound
}

struct AuditFormatRevertRefused: Error, CustomStringConvertible {
    var description: String { "审计记录中已有第2版格式的条目(含记录标识与项目状态摘要): 删除这两列会使其哈希无法校验,不予回退" }
}
