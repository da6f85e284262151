import Fluent
import Foundation
import SQLKit
import ZhengxinCore

/// The second half of `audit-verify`: once the chain holds, every project row must still be the
/// state its last accepted entry produced (ProjectStateDigest). The states compared are the ones the
/// chain walk just hashed (AuditChainPage.bindings), so a state cannot be rewritten to match an
/// edited row without breaking the chain.
struct ProjectStateReport: Sendable, Equatable {
    /// What is wrong with one project.
    struct Finding: Sendable, Equatable {
        enum Kind: Sendable, Equatable {
            /// The row no longer digests to its last entry's state: these fields changed.
            case differs(fields: [String])
            /// Entries bind a state, but the row is gone.
            case rowMissing
            /// A row no accepted entry ever recorded.
            case unrecorded
        }
        var projectId: UUID
        /// The row's code (as stored now), "" when the row is gone.
        var code: String
        /// The entry whose state no longer holds (0 for none).
        var seq: Int64
        var kind: Kind

        var message: String {
            let which = code.isEmpty ? "项目 \(projectId.uuidString)" : "项目 \(code)(\(projectId.uuidString))"
            switch kind {
            case .differs(let fields):
                return "\(which)的数据库记录与第\(seq)条审计记录所记状态不符,被改动的字段: \(fields.joined(separator: "、"))"
            case .rowMissing:
                return "\(which)的数据库记录缺失: 第\(seq)条审计记录记有其状态"
            case .unrecorded:
                return "\(which)无任何受理的审计记录: 非经本系统写入"
            }
        }
    }

    /// Rows that digest to their last entry's state.
    var bound = 0
    /// Rows whose last entry predates project states (AuditEntryFormat 1): not checked.
    var notBound = 0
    /// Projects whose sharing row (project_sharing) is missing or not what their record makes,
    /// compared in the same pass (ProjectSharingCheck).
    var sharingDiffering = 0
    /// Projects whose 查重 texts (project_review_texts) are missing, extra or not what their record
    /// makes, compared in the same pass (ProjectReviewText).
    var reviewTextsDiffering = 0
    /// Rows of project_parties missing or extra against what the records name, compared in the same
    /// pass (ProjectParties), rows of no project included.
    var partiesDiffering = 0
    var findings: [Finding] = []
}

enum ProjectStateCheck {
    /// A project's last binding entry as the walk found it.
    struct Last: Sendable {
        var seq: Int64
        var format: Int64
        var state: String
    }

    static let pageSize = 2_000

    /// The row, then its sharing row and its 查重 texts as stored (NULLs when missing): one read of
    /// every record serves the three comparisons.
    static let columns =
        ProjectRow.select(as: "p") + ", " + ProjectSharingRow.columns.map { "s." + $0 }.joined(separator: ", ") + ", "
        + ProjectReviewText.columns.map { "t." + $0 }.joined(separator: ", ")
    static let from =
        "projects p LEFT JOIN project_sharing s ON s.project_id = p.id LEFT JOIN project_review_texts t ON t.project_id = p.id"

    /// Compares every project row with `last` (from a walk that verified the chain up to `walkedThrough`).
    /// A row written after the walk is compared with its newer entry instead, so the check can run
    /// while the server writes.
    static func check(_ last: [UUID: Last], walkedThrough: Int64, on db: any Database) async throws -> ProjectStateReport {
        var report = ProjectStateReport()
        var seen = Set<UUID>()
        seen.reserveCapacity(last.count)
        var next = try await page(after: nil, on: db)
        while true {
            let (read, strayParties) = next
            let rows = read.map(\.row)
            guard let lastRow = rows.last else {
                report.partiesDiffering += strayParties
                break
            }
            for row in rows { seen.insert(row.id) }
            // The next page is read while this one is compared on every core.
            async let upcoming = page(after: lastRow.id, on: db)
            let compared = try await EveryCore.offLoop { compare(read, with: last) }
            let verdicts = compared.map(\.verdict)
            report.sharingDiffering += compared.filter { !$0.sharingHolds }.count
            report.reviewTextsDiffering += compared.filter { !$0.textsHold }.count
            report.partiesDiffering += strayParties + compared.reduce(0) { $0 + $1.partiesDiffering }
            next = try await upcoming
            for (row, differences) in zip(rows, verdicts) {
                switch differences {
                case .holds: report.bound += 1
                case .notBound: report.notBound += 1
                case .differs, .unrecorded:
                    // Written after the walk read the chain? Then its newer entry says what it should be.
                    if let newer = try await newest(row.id, after: walkedThrough, on: db),
                        let again = try await page(only: row.id, on: db)?.row
                    {
                        let verdict = ProjectStateDigest.Hasher().differences(newer.state, again)
                        if verdict == nil || newer.format == AuditEntryFormat.original {
                            if verdict == nil { report.bound += 1 } else { report.notBound += 1 }
                            continue
                        }
                    }
                    if case .differs(let fields) = differences {
                        report.findings.append(
                            .init(projectId: row.id, code: row.code, seq: last[row.id]?.seq ?? 0, kind: .differs(fields: fields)))
                    } else {
                        report.findings.append(.init(projectId: row.id, code: row.code, seq: 0, kind: .unrecorded))
                    }
                }
            }
        }
        for (id, entry) in last where !seen.contains(id) && entry.format != AuditEntryFormat.original {
            if try await page(only: id, on: db) != nil { continue }  // created after the page that would have held it was read
            report.findings.append(.init(projectId: id, code: "", seq: entry.seq, kind: .rowMissing))
        }
        report.findings.sort { ($0.seq, $0.projectId.uuidString) < ($1.seq, $1.projectId.uuidString) }
        return report
    }

    private enum Verdict {
        case holds, notBound, unrecorded
        case differs([String])
    }

    /// A project row as the check reads it, with its sharing row, 查重 texts and parties as stored.
    struct Read: Sendable {
        var row: ProjectRow
        var sharing: ProjectSharingRow?
        var reviewText: ProjectReviewText?
        var parties: Set<ProjectParties.Party> = []
    }

    /// What an ordinary record's sharing row, 查重 texts and parties are made of, read in one pass of its JSON.
    private struct DerivedParts: Decodable {
        var sharing: SharingFigures.Facts
        var texts: ProjectReviewText.Facts
        var named: ProjectParties.Named

        init(from decoder: any Decoder) throws {
            sharing = try SharingFigures.Facts(from: decoder)
            texts = try ProjectReviewText.Facts(from: decoder)
            named = try ProjectParties.Named(from: decoder)
        }
    }

    /// One row's outcome: its verdict, whether its sharing row and 查重 texts are what its record
    /// makes, and how many of its party rows are missing or extra.
    private struct Compared {
        var verdict = Verdict.holds
        var sharingHolds = true
        var textsHold = true
        var partiesDiffering = 0
    }

    /// Each row against its last entry and its record, on every core.
    private static func compare(_ read: [Read], with last: [UUID: Last]) -> [Compared] {
        read.mapOnEveryCore(lane: ProjectStateDigest.Hasher.init) { hasher, r in
            var out = Compared()
            let c = r.row
            if c.classified {
                // A 涉密 record is not opened: its sharing row holds no figures, it has no texts and names no party.
                out.sharingHolds = ProjectSharingRow.withheld(c) == r.sharing
                out.textsHold = r.reviewText == nil
                out.partiesDiffering = r.parties.count
            } else if let parts = try? RecordJSON.decode(DerivedParts.self, from: c.record ?? "") {
                let sharing = ProjectSharingRow(
                    projectId: c.id, unitId: c.unitId, code: c.code, classified: false, figures: SharingFigures.of(parts.sharing))
                out.sharingHolds = sharing == r.sharing
                out.textsHold = ProjectReviewText(projectId: c.id, facts: parts.texts) == r.reviewText
                out.partiesDiffering = parts.named.parties.symmetricDifference(r.parties).count
            } else {
                // A record that does not decode makes no row that holds.
                (out.sharingHolds, out.textsHold, out.partiesDiffering) = (false, false, max(1, r.parties.count))
            }
            if let entry = last[c.id] {
                if entry.format == AuditEntryFormat.original {
                    out.verdict = .notBound
                } else if let fields = hasher.differences(entry.state, c) {
                    out.verdict = .differs(fields)
                }
            } else {
                out.verdict = .unrecorded
            }
            return out
        }
    }

    /// The newest binding entry of project `id` after `seq`, if any.
    private static func newest(_ id: UUID, after seq: Int64, on db: any Database) async throws -> Last? {
        let rows = try await PlainRows.all(
            SQLQueryString(
                """
                SELECT seq, format, state FROM audit_entries WHERE project_id = \(bind: id) AND seq > \(bind: seq) AND result = 'accepted'
                  AND (format = 1 OR state <> '') ORDER BY seq DESC LIMIT 1
                """), on: db)
        guard let row = rows.first else { return nil }
        return Last(seq: try row.int64(0), format: try row.int64(1), state: try row.text(2))
    }

    /// The page of rows after `id` with their party rows, and how many party rows in the page's range
    /// of ids belong to no row of it (after the last page: every row past the last project) or name no
    /// one. Both are read in one snapshot, so that a write landing between the two reads is not taken
    /// for a table changed behind the server's back.
    private static func page(after id: UUID?, on db: any Database) async throws -> ([Read], strayParties: Int) {
        let query: SQLQueryString =
            if let id {
                "SELECT \(unsafeRaw: columns) FROM \(unsafeRaw: from) WHERE p.id > \(bind: id) ORDER BY p.id LIMIT \(unsafeRaw: String(pageSize))"
            } else {
                "SELECT \(unsafeRaw: columns) FROM \(unsafeRaw: from) ORDER BY p.id LIMIT \(unsafeRaw: String(pageSize))"
            }
        return try await db.transaction { tx in
            if let sql = tx as? any SQLDatabase, sql.dialect.name == "postgresql" {
                try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").run()
            }
            var read = try await PlainRows.all(query, on: tx).map(read)
            var (parties, malformed) = try await ProjectParties.stored(after: id, through: read.last?.row.id, on: tx)
            for i in read.indices { read[i].parties = parties.removeValue(forKey: read[i].row.id) ?? [] }
            return (read, malformed + parties.values.reduce(0) { $0 + $1.count })
        }
    }

    private static func page(only id: UUID, on db: any Database) async throws -> Read? {
        try await PlainRows.all(SQLQueryString("SELECT \(unsafeRaw: columns) FROM \(unsafeRaw: from) WHERE p.id = \(bind: id)"), on: db)
            .first.map(read)
    }

    /// A row read with `columns`: the project row, then its sharing row and its 查重 texts.
    private static func read(_ r: PlainRows.Row) throws -> Read {
        Read(
            row: try ProjectRow(row: r), sharing: try ProjectSharingRow.stored(r, from: ProjectRow.selectedCount),
            reviewText: try ProjectReviewText.stored(r, from: ProjectRow.selectedCount + ProjectSharingRow.columns.count))
    }
}
