import Foundation

/// What a walk of the audit chain found. GB/T 22239-2019 8.1.4.3(c) wants audit records protected
/// against unexpected deletion, modification or overwriting; naming which of the three happened,
/// and where, tells the auditor where to look.
struct AuditChainReport: Sendable, Equatable {
    enum Problem: Sendable, Equatable {
        /// The entry's own content no longer matches its hash.
        case changed(seq: Int64)
        /// Entries `from...through` are missing (a gap in the sequence, or an entry whose
        /// predecessor is gone and was renumbered to hide it).
        case removed(from: Int64, through: Int64)
        /// The entry sits in the wrong place: it chains to an entry that is still present elsewhere.
        case reordered(seq: Int64)
        /// The chain is intact but ends before the entry the anchor names: the newest were cut off.
        case truncated(lastPresent: Int64, anchored: Int64)
        /// Entries from `from` on were added without moving the anchor (not written by the server).
        case beyondAnchor(from: Int64)
        /// The anchor row is gone.
        case anchorMissing
        /// The anchor's MAC does not hold: it was rewritten without the master key.
        case anchorForged
        /// The anchor was made under another master key: the wrong key is configured.
        case anchorKeyMismatch(keyId: String)
        /// The chain holds, but project rows are not the state their last accepted entry produced
        /// (ProjectStateCheck): changed, removed or added behind the server's back.
        case projectStates([ProjectStateReport.Finding])
        /// Projects and chain hold, but the report tallies (kept by triggers in every writing
        /// transaction) are not what the projects add up to: `rows` tally groups differ.
        case talliesDiffer(rows: Int)
        /// The inbox and overdue counts' tallies (reminder_tallies) differ from the open reminders.
        case reminderTalliesDiffer(rows: Int)
        /// The 风险等级 counts' tallies (risk_tallies) differ from the ratings.
        case riskTalliesDiffer(rows: Int)
        /// The overdue counts (projects.overdue_marks, overdue_tallies) differ from the open overdue marks.
        case overdueMarksDiffer(rows: Int)
        /// Projects, chain and tallies hold, but the sharing figures (project_sharing, written with
        /// every project row) are not what the records make: `rows` projects differ (ProjectSharingCheck).
        case sharingDiffers(rows: Int)
        /// Everything above holds, but the contracted parties (project_parties, which decide what a
        /// vendor reaches) are not what the records name: `rows` rows missing or extra (ProjectStateCheck).
        case partiesDiffer(rows: Int)
        /// Everything but the parties holds, but 查重's texts (project_review_texts, written with the
        /// project rows) are not what the records make: `rows` projects differ (ProjectReviewText).
        case reviewTextsDiffer(rows: Int)
    }

    var entries: Int
    var problem: Problem?
    /// How the project rows compared with the chain (checked only once the chain and its anchor hold).
    var projects = ProjectStateReport()

    /// The first sequence number where the chain breaks, nil when intact.
    var firstBroken: Int64? {
        switch problem {
        case nil: return nil
        case .changed(let seq), .reordered(let seq): return seq
        case .removed(let from, _): return from
        case .truncated(let lastPresent, _): return lastPresent + 1
        case .beyondAnchor(let from): return from
        case .anchorMissing, .anchorForged, .anchorKeyMismatch, .talliesDiffer, .reminderTalliesDiffer, .riskTalliesDiffer,
            .overdueMarksDiffer,
            .sharingDiffers, .partiesDiffer, .reviewTextsDiffer:
            return 0
        case .projectStates(let findings): return findings.first?.seq ?? 0
        }
    }

    /// The line `zhengxin audit-verify` prints.
    var message: String {
        switch problem {
        case nil:
            return "审计记录完整: 共\(entries)条,哈希链(SM3)校验通过" + projectsLine
        case .changed(let seq):
            return "审计记录第\(seq)条被修改: 内容与其SM3哈希不符(共\(entries)条)"
        case .removed(let from, let through):
            let which = from == through ? "第\(from)条" : "第\(from)至\(through)条"
            return "审计记录\(which)被删除: 哈希链在此断开(现存\(entries)条)"
        case .reordered(let seq):
            return "审计记录第\(seq)条顺序被调换: 其前序哈希指向另一条现存记录(共\(entries)条)"
        case .truncated(let lastPresent, let anchored):
            let which = lastPresent + 1 == anchored ? "第\(anchored)条" : "第\(lastPresent + 1)至\(anchored)条"
            return "审计记录被截断: 锚点记至第\(anchored)条,现仅存至第\(lastPresent)条(\(which)被删除)"
        case .beyondAnchor(let from):
            return "审计记录第\(from)条起不在锚点覆盖范围内: 非经本系统写入(共\(entries)条)"
        case .anchorMissing:
            return "审计记录锚点缺失: 无法确认记录未被截断(共\(entries)条)"
        case .anchorForged:
            return "审计记录锚点校验失败(HMAC-SM3): 锚点被改写(共\(entries)条)"
        case .anchorKeyMismatch(let keyId):
            return "审计记录锚点由另一主密钥(标识 \(keyId))生成: 当前主密钥不符,请检查 ZHENGXIN_MASTER_KEY 或主密钥文件"
        case .projectStates(let findings):
            let shown = findings.prefix(20).map { "  " + $0.message }
            let more = findings.count > shown.count ? ["  ……另有\(findings.count - shown.count)个项目"] : []
            return (["审计记录哈希链完整(共\(entries)条),但\(findings.count)个项目的数据库记录不是其审计记录所记的状态:"] + shown + more)
                .joined(separator: "\n") + projectsLine
        case .talliesDiffer(let rows):
            return "审计记录哈希链完整(共\(entries)条),项目记录与审计记录一致,但报表汇总表(project_tallies)有\(rows)组数字与项目合计不符: 汇总表被改动"
                + projectsLine
        case .reminderTalliesDiffer(let rows):
            return "审计记录哈希链完整(共\(entries)条),项目记录与审计记录一致,但提醒计数表(reminder_tallies)有\(rows)组数字与未解除的提醒不符: 计数表被改动"
                + projectsLine
        case .riskTalliesDiffer(let rows):
            return "审计记录哈希链完整(共\(entries)条),项目记录与审计记录一致,但风险等级计数表(risk_tallies)有\(rows)组数字与风险评级不符: 计数表被改动"
                + projectsLine
        case .overdueMarksDiffer(let rows):
            return "审计记录哈希链完整(共\(entries)条),项目记录与审计记录一致,但逾期计数(overdue_marks、overdue_tallies)有\(rows)处与未解除的逾期提醒不符: 计数被改动"
                + projectsLine
        case .sharingDiffers(let rows):
            return "审计记录哈希链完整(共\(entries)条),项目记录与审计记录一致,但信息资源共享统计表(project_sharing)有\(rows)个项目的数字与项目记录不符: 统计表被改动"
                + projectsLine
        case .reviewTextsDiffer(let rows):
            return "审计记录哈希链完整(共\(entries)条),项目记录与审计记录一致,但查重文本表(project_review_texts)有\(rows)个项目的建设内容、绩效目标或基础设施与项目记录不符: 该表被改动"
                + projectsLine
        case .partiesDiffer(let rows):
            return "审计记录哈希链完整(共\(entries)条),项目记录与审计记录一致,但合同相对方表(project_parties,决定供应商可见的项目)有\(rows)行与项目记录所载合同不符: 该表被改动"
                + projectsLine
        }
    }

    /// The project rows' part of the verdict.
    private var projectsLine: String {
        var line = "\n项目状态: \(projects.bound)个与其最后一条审计记录一致"
        if projects.notBound > 0 { line += ", \(projects.notBound)个未绑定(最后一条审计记录早于状态摘要,未校验)" }
        return line
    }
}

enum AuditChainVerifier {
    /// How far back a renumbered deletion is looked for (entries removed in one go).
    static let renumberSearch: Int64 = 64

    /// `entries` sorted by seq ascending.
    static func check(_ entries: [AuditEntryModel]) -> AuditChainReport {
        let hashes = Set(entries.map(\.hash))
        var previousHash = AuditRecorder.genesis
        var expectedSeq: Int64 = 1
        for e in entries {
            let report = { (p: AuditChainReport.Problem) in AuditChainReport(entries: entries.count, problem: p) }
            if e.seq > expectedSeq { return report(.removed(from: expectedSeq, through: e.seq - 1)) }
            if e.seq < expectedSeq { return report(.changed(seq: e.seq)) }  // duplicate sequence number
            let ownHashHolds = AuditRecorder.digest(e) == e.hash
            if e.prevHash != previousHash {
                if hashes.contains(e.prevHash) { return report(.reordered(seq: e.seq)) }
                if let removed = renumberedDeletion(AuditChainEntry(e), using: AuditEntryDigest()) {
                    return report(.removed(from: e.seq, through: e.seq + removed - 1))
                }
                // Intact itself but chained to a hash nobody has: its predecessor was rewritten, hash and all.
                return report(.changed(seq: ownHashHolds ? e.seq - 1 : e.seq))
            }
            if !ownHashHolds { return report(.changed(seq: e.seq)) }
            previousHash = e.hash
            expectedSeq += 1
        }
        return AuditChainReport(entries: entries.count, problem: nil)
    }

    /// An entry whose content hashes correctly under a higher sequence number was renumbered down
    /// to close a gap: that many entries before it were deleted.
    static func renumberedDeletion(_ e: AuditChainEntry, using digest: AuditEntryDigest) -> Int64? {
        (1...renumberSearch).first { digest.matches(e, seq: e.seq + $0, hex: e.hash) }
    }
}
