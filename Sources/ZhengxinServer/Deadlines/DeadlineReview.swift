import Fluent
import Foundation
import SQLKit
import ZhengxinCore
import ZhengxinCrypto

/// What the incremental deadline scan (期限扫描) remembers between runs. A project row's
/// `deadlines_review_on` says from which Beijing day the scan must look at it again: `written`
/// ("0000-00-00") when it was written since (every write sets it), the core's
/// `DeadlineHorizon.nextChange` after a scan, `never` ("9999-12-31") when nothing can change without
/// a write. The state row names the day of the last scan and the policy
/// book it used: a changed book, a clock set back, or no state at all makes the next scan a full one.
final class DeadlineScanStateModel: Model, @unchecked Sendable {
    static let schema = "deadline_scan_state"
    static let rowId = "deadlines"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "last_day") var lastDay: String
    /// SM3 of the policy versions and the lead time the last scan judged by.
    @Field(key: "policy_fingerprint") var policyFingerprint: String

    init() {}
}

package enum DeadlineReview {
    /// Every write of a project row: the next scan looks at it (ProjectRow's writers). Before
    /// every day, so "due by today" finds it.
    static let written = "0000-00-00"
    /// No day: nothing changes for the project's deadlines until it is written.
    static let never = "9999-12-31"

    /// The column's text for a next review day. Always ten characters, so that the scan setting it
    /// leaves the row's size as it was and SQLite overwrites the row in place, its ~5 KB record's
    /// overflow pages untouched; a value of another length made SQLite write the whole row again,
    /// and the commit's checkpoint copy it, a large part of the daily scan's time.
    package static func text(_ next: CivilDate?) -> String { next?.description ?? never }

    package static func fingerprint(_ book: PolicyBook) throws -> String {
        SM3.hex("\(DeadlineScan.defaultLeadDays)|" + (try RecordJSON.text(book.versions)))
    }

    /// Whether the scan on `today` may visit only the projects due for review.
    static func incrementalAllowed(today: CivilDate, fingerprint: String, on db: Database) async throws -> Bool {
        guard let state = try await DeadlineScanStateModel.find(DeadlineScanStateModel.rowId, on: db),
            let last = CivilDate(iso: state.lastDay)
        else { return false }
        return state.policyFingerprint == fingerprint && last <= today
    }

    package static func remember(today: CivilDate, fingerprint: String, on db: Database) async throws {
        let state =
            try await DeadlineScanStateModel.find(DeadlineScanStateModel.rowId, on: db)
            ?? {
                let s = DeadlineScanStateModel()
                s.id = DeadlineScanStateModel.rowId
                return s
            }()
        state.lastDay = today.description
        state.policyFingerprint = fingerprint
        try await state.save(on: db)
    }

    /// The visited projects still at the version the scan read (outside the write lock): the scan's
    /// judgements are stored for these only; one written since was judged by its own write.
    static func unchanged(_ visited: [DeadlineSweep.Visit], on db: Database) async throws -> [DeadlineSweep.Visit] {
        var current: [UUID: (Int, Int64)] = [:]
        for part in visited.chunks(of: BatchInsert.rowsPerStatement) {
            let rows = try await PlainRows.all(
                SQLQueryString("SELECT id, version, updated_at FROM projects WHERE id IN (\(binds: part.map(\.id)))"), on: db)
            for row in rows { current[try row.uuid(0)] = (try row.int(1), try row.int64(2)) }
        }
        return visited.filter { v in current[v.id].map { $0 == (v.version, v.updatedAt) } ?? false }
    }

    /// Sets each visited project's next review day, unless it was written after the scan read it
    /// (its version or write time moved): then it keeps `written` and the next scan looks again.
    static func setNext(_ unchanged: [DeadlineSweep.Visit], on db: Database) async throws {
        let chunk = BatchInsert.rowsPerStatement
        let byNext = Dictionary(grouping: unchanged, by: \.next)
        for (next, group) in byNext {
            for part in group.chunks(of: chunk) {
                let ids = part.map(\.id)
                try await (db as! any SQLDatabase).raw(
                    "UPDATE projects SET deadlines_review_on = \(bind: text(next)) WHERE id IN \(SQLBind.ids(ids))"
                ).run()
            }
        }
    }
}
