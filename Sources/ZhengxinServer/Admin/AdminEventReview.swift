import Fluent
import Foundation
import SQLKit
import Vapor
import ZhengxinCore

/// 审计管理员's review of the other administrators' operations and the security events
/// (GB/T 22239-2019 8.1.4.3, 8.1.4.4 b)): the entries of `AdminQueues.reviewed` after the last
/// review are waiting; a review is itself an audit entry (`review-admin-events`) whose `after`
/// names the last entry reviewed, so an entry appended while the page was read stays waiting.
enum AdminEventReview {
    struct Kind { var action: String; var title: String; var count: Int }
    struct Last { var seq: Int64; var when: String; var reviewer: String; var through: Int64 }
    struct Pending {
        var kinds: [Kind]
        var total: Int
        var last: Last?
        /// The oldest entries waiting, oldest first (when asked for).
        var entries: [AuditEntryModel]
        /// The last shown entry's number: what a review of these entries covers.
        var through: Int64
    }

    struct Marker: Codable { var reviewedThrough: Int64 }

    static func last(on db: Database) async throws -> Last? {
        guard let row = try await PlainRows.all(AdminQueues.lastReview(), on: db).first else { return nil }
        let after = try row.text(3)
        let marker = try? JSONDecoder().decode(Marker.self, from: Data(after.utf8))
        return Last(
            seq: try row.int64(0), when: LoginFlow.beijing(try row.int64(1)), reviewer: try row.text(2),
            through: marker?.reviewedThrough ?? 0)
    }

    /// What waits after the last review; `limitPerAction` entries of each kind are read (0: counts only).
    static func pending(limitPerAction: Int, _ req: Request) async throws -> Pending {
        let last = try await last(on: req.db)
        let after = last?.through ?? 0
        var kinds: [Kind] = []
        var seqs: [Int64] = []
        for (action, title) in AdminQueues.reviewed {
            let count = try await PlainRows.all(AdminQueues.eventCount(action, after: after), on: req.db).first?.int(0) ?? 0
            guard count > 0 else { continue }
            kinds.append(Kind(action: action, title: title, count: count))
            if limitPerAction > 0 {
                seqs += try await PlainRows.all(AdminQueues.events(action, after: after, limit: limitPerAction), on: req.db)
                    .map { try $0.int64(0) }
            }
        }
        // The oldest waiting entries of all kinds: any older one of a kind is among that kind's first
        // `limitPerAction`, so a review through the last of these leaves none unseen.
        let shown = Array(seqs.sorted().prefix(limitPerAction))
        var entries: [AuditEntryModel] = []
        if !shown.isEmpty {
            let query: SQLQueryString = "SELECT * FROM audit_entries WHERE seq IN (\(binds: shown)) ORDER BY seq"
            entries = try await (req.db as! any SQLDatabase).raw(query).all(decodingFluent: AuditEntryModel.self)
        }
        return Pending(
            kinds: kinds, total: kinds.reduce(0) { $0 + $1.count }, last: last, entries: entries, through: shown.last ?? after)
    }

    /// Records that `actor` reviewed the waiting entries through `through` (the last the page showed).
    static func record(through: Int64, by actor: Actor, _ req: Request) async throws -> String {
        let last = try await last(on: req.db)
        let head = try await AuditChainHead.read(on: req.db)?.seq ?? 0
        guard through > (last?.through ?? 0), through <= head else {
            throw APIError(status: .conflict, code: "NOTHING_TO_REVIEW", message: "没有待审阅的事件,或页面已过期,请刷新后再审阅")
        }
        let marker = String(decoding: try JSONEncoder().encode(Marker(reviewedThrough: through)), as: UTF8.self)
        let summary = "审阅管理员操作和安全事件至审计记录第\(through)条"
        let (now, client) = (req.now, req.clientAddress)
        try await req.application.writeTransaction { db in
            try await AuditRecorder.append(
                AuditEvent(
                    actor: actor, action: AdminQueues.reviewAction, result: .accepted, summary: summary, after: marker,
                    clientAddress: client), at: now, on: db)
        }
        return summary
    }
}
