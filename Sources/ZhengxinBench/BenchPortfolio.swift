import Fluent
import SQLKit
import Vapor
import ZhengxinCore
import ZhengxinCrypto
import ZhengxinServer

/// `seed-bench`'s engine: a whole portfolio written with multi-row INSERTs in large transactions.
/// Projects are walked in parallel, a chunk ahead of the writer; the audit chain is then built in
/// order with the recorder's own hashing, so `audit-verify` checks it like any other chain.
enum BenchPortfolio {
    struct Summary: Sendable {
        var projects = 0
        var auditEntries = 0
        var reminders = 0
        var lastHash = AuditRecorder.genesis
        /// SM3 over the hashes of the chain as it would be unsealed and without row states (sealed
        /// values differ run to run): equal for equal seeds.
        var fingerprint = ""
        var codes: [String] = []
    }

    struct NotEmpty: Error, CustomStringConvertible {
        var description: String { "数据库已有数据: seed-bench 只在空数据库上生成压测数据" }
    }

    static let chunkSize = 1_000

    /// A walked project made ready to store, on any core: its row, its audit events (a 涉密
    /// project's sealed, with the plain event kept for the fingerprint) and its reminders. Only the
    /// chain (seq, previous hash) and the numbering of ids are left to the writer, in order.
    struct Prepared: @unchecked Sendable {
        var row: ProjectRow
        var code: String
        var events: [(stored: AuditEvent, plain: AuditEvent?, at: Instant)]
        var reminders: [ReminderModel]
        /// The project's sharing figures (ProjectSharingRow), stored with its row.
        var sharing: ProjectSharingRow
        /// 查重's texts of the project (ProjectReviewText), none for a 涉密 one.
        var reviewText: ProjectReviewText?
        /// The project's 风险评级 on `today` (ProjectRiskRow), stored with its row.
        var risk: ProjectRiskRow
        /// What waits on whom, as the scan that left the reminders would have judged it.
        var waiting: [ProjectWaitingRow]
        /// The project's last write: its waits are dated from it.
        var updatedAt: Int64
    }

    /// The tables whose secondary indexes are built after the load rather than during it (DeferredIndexes).
    static let loadedTables = [
        ProjectRow.table, AuditEntryModel.schema, ReminderModel.schema, ProjectSharingRow.table, "project_parties",
        ProjectReviewText.table,
    ]

    static func seed(
        _ app: Application, projects count: Int, seed: UInt64, units: Int, today: CivilDate, yieldToWriter: Bool = false,
        progress: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws -> Summary {
        guard try await OrganisationModel.query(on: app.db).count() == 0 else { throw NotEmpty() }
        let (deferred, search) = try await app.writeTransaction { db in
            (try await DeferredIndexes.setAside(loadedTables, on: db), try await DeferredSearchRows.setAside(on: db))
        }
        do {
            let summary = try await load(
                app, projects: count, seed: seed, units: units, today: today, yieldToWriter: yieldToWriter, progress: progress)
            try await app.writeTransaction { db in
                try await search.restore(on: db)
                try await deferred.restore(on: db)
            }
            try await settle(on: app.db)
            return summary
        } catch {
            try? await app.writeTransaction { db in
                try await search.restore(on: db)
                try await deferred.restore(on: db)
            }
            throw error
        }
    }

    /// On PostgreSQL, what autovacuum does after a load this size, before anyone measures: the
    /// planner's statistics and the visibility map. Without them a freshly loaded table is planned
    /// blind and no index-only scan can skip the heap (counting one stage of 100,000 projects took
    /// 48 ms through a bitmap heap scan, 3 ms from the index after VACUUM). SQLite keeps no such map.
    static func settle(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        for table in loadedTables { try await sql.raw("VACUUM (ANALYZE) \(ident: table)").run() }
    }

    private static func load(
        _ app: Application, projects count: Int, seed: UInt64, units: Int, today: CivilDate, yieldToWriter: Bool,
        progress: @escaping @Sendable (Int) -> Void
    ) async throws -> Summary {
        let orgs = BenchOrganisations(seed: seed, units: units, passwordHash: try app.password.hash(DemoAccounts.password))
        try await app.writeTransaction { db in try await orgs.save(on: db) }
        let plans = numbered((0..<count).map { BenchPlan.draw(index: $0, seed: seed, units: orgs.unitNames, today: today) })
        let context = PrepareContext(
            seed: seed, orgs: orgs, store: app.zhengxin.documents, book: try await PolicyStore.book(on: app.db), today: today,
            yieldToWriter: yieldToWriter)
        var summary = Summary()
        var fingerprint = ""
        var plainTail = AuditRecorder.genesis
        let chunks = stride(from: 0, to: count, by: chunkSize).map { $0..<min(count, $0 + chunkSize) }
        // Two chunks walked ahead of the writer, so neither core waits on the other's chunk.
        var ahead: [Task<[Prepared], any Error>] = []
        func walkAhead(_ k: Int) {
            guard k < chunks.count else { return }
            let slice = Array(plans[chunks[k]])
            ahead.append(Task { try await prepare(slice, context) })
        }
        walkAhead(0)
        walkAhead(1)
        // Chunk k is chained while chunk k-1 is still being inserted: the chain needs only the
        // previous hash, not the database, so the writer's two halves overlap.
        // Audit entry ids in seq order (UUIDv7): random ones put each of a chunk's ~22,000 rows on a
        // random leaf of the id index, so every chunk rewrote most of that index.
        let idClock = UInt64(Instant(beijing: today, hour: 0).secondsSinceEpoch) * 1000
        var inserting: Task<Void, any Error>?
        do {
            for k in chunks.indices {
                let prepared = try await ahead.removeFirst().value
                walkAhead(k + 2)
                var entries: [AuditEntryModel] = []
                var reminders: [ReminderModel] = []
                for b in prepared {
                    summary.codes.append(b.code)
                    for e in b.events {
                        let seq = Int64(summary.auditEntries + entries.count + 1)
                        var ids = SeededRandom(seed: seed, stream: "audit", index: Int(seq))
                        let previous = entries.last?.hash ?? summary.lastHash
                        let entry = AuditRecorder.chained(
                            e.stored, at: e.at, id: ids.uuid(v7: idClock + UInt64(seq)), seq: seq, after: previous)
                        // Sealing draws a fresh IV (a 涉密 entry; the state of a row holding a sealed phone or record),
                        // and every later hash chains to it, so the fingerprint follows a chain of its own: the plain,
                        // unbound entries, the same for the same seed.
                        var unbound = e.plain ?? e.stored
                        unbound.state = ""
                        plainTail = AuditRecorder.chained(unbound, at: e.at, id: entry.id!, seq: seq, after: plainTail).hash
                        fingerprint += plainTail
                        entries.append(entry)
                    }
                    for r in b.reminders {
                        var ids = SeededRandom(seed: seed, stream: "reminder", index: summary.reminders + reminders.count)
                        r.id = ids.uuid()
                        reminders.append(r)
                    }
                }
                let (p, e, r, s) = (prepared.map(\.row), entries, reminders, prepared.map(\.sharing))
                let risks = prepared.map(\.risk)
                let reviewTexts = prepared.compactMap(\.reviewText)
                let waiting = prepared.flatMap(\.waiting)
                let written = Dictionary(prepared.map { ($0.row.id, $0.updatedAt) }, uniquingKeysWith: { a, _ in a })
                try await inserting?.value
                progress(summary.projects)  // every chunk before this one, now stored
                inserting = Task {
                    try await app.writeTransaction { db in
                        try await BatchInsert.create(p, on: db)
                        try await ProjectSharingRow.insert(s, on: db)
                        try await ProjectReviewText.insert(reviewTexts, on: db)
                        try await ProjectRiskStore.insert(risks, cause: "fill", at: Instant(beijing: today, hour: 1), on: db)
                        try await ProjectWaitingStore.insert(waiting, since: { written[$0] ?? 0 }, on: db)
                        try await BatchInsert.create(e, on: db)
                        try await BatchInsert.create(r, on: db)
                        if let last = e.last { try await AuditAnchor.advance(toSeq: last.seq, hash: last.hash, on: db) }
                    }
                }
                summary.fingerprint = SM3.hex(summary.fingerprint + fingerprint)
                fingerprint = ""
                summary.projects += p.count
                summary.auditEntries += e.count
                summary.reminders += r.count
                summary.lastHash = e.last?.hash ?? summary.lastHash
            }
            try await inserting?.value
            progress(summary.projects)
        } catch {
            _ = try? await inserting?.value  // nothing of the load may still be writing when the caller restores the indexes
            throw error
        }
        // The reminders above are the scan's on `today`; remembering that scan makes the next one
        // incremental, as after any daily scan (DeadlineReview).
        try await app.writeTransaction { db in
            try await DeadlineReview.remember(today: today, fingerprint: try DeadlineReview.fingerprint(context.book), on: db)
        }
        return summary
    }

    /// Codes as the server numbers them: ZZ-<year of creation>-<serial within that year>, in project order.
    static func numbered(_ plans: [BenchPlan]) -> [BenchPlan] {
        var serial: [Int: Int] = [:]
        return plans.map { plan in
            var p = plan
            let year = plan.declaredOn.year
            serial[year, default: 0] += 1
            p.code = "ZZ-\(year)-" + String(format: "%04d", serial[year]!)
            return p
        }
    }

    struct PrepareContext: Sendable {
        var seed: UInt64
        var orgs: BenchOrganisations
        var store: DocumentStore
        var book: PolicyBook
        var today: CivilDate
        /// Whether the walking threads step back for the writer (lowerPriority); only the
        /// seed-bench command's own process asks, where Dispatch's threads do nothing else.
        var yieldToWriter = false
    }

    /// Walks and prepares a chunk on every core and returns it in order. On Dispatch's threads, not
    /// the cooperative pool: slices that compute for a second without a suspension point held both of
    /// its threads, and the writer waited for one after every statement.
    static func prepare(_ plans: [BenchPlan], _ c: PrepareContext) async throws -> [Prepared] {
        try await withCheckedThrowingContinuation { answer in
            DispatchQueue.global().async {
                if c.yieldToWriter { lowerPriority() }
                let lanes = max(1, ProcessInfo.processInfo.activeProcessorCount)
                var out = [Result<[Prepared], any Error>](repeating: .success([]), count: lanes)
                out.withUnsafeMutableBufferPointer { buffer in
                    nonisolated(unsafe) let results = buffer.baseAddress!
                    DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                        if c.yieldToWriter { lowerPriority() }
                        results[lane] = Result { try stride(from: lane, to: plans.count, by: lanes).map { try prepare(plans[$0], c) } }
                    }
                }
                answer.resume(
                    with: Result {
                        let lanes = try out.map { try $0.get() }
                        // Back in plan order: lane l holds plans l, l + lanes, l + 2·lanes, ...
                        return (0..<plans.count).map { lanes[$0 % lanes.count][$0 / lanes.count] }
                    })
            }
        }
    }

    /// Nice 10 for the calling thread (on Linux a thread's own): the walk only runs ahead of the
    /// writer, and measured with both at one priority the insert of a chunk took 2.5 s of wall time
    /// for 1.1 s of CPU.
    private static func lowerPriority() {
        #if os(Linux)
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
    }

    static func prepare(_ plan: BenchPlan, _ c: PrepareContext) throws -> Prepared {
        var ids = SeededRandom(seed: c.seed, stream: "project-id", index: plan.index)
        let b = try BenchWalk.walk(plan, id: ids.uuid(), orgs: c.orgs, store: c.store)
        let policy = c.book.governing(b.record, today: c.today)
        var row = try ProjectRow(b.record, policy: policy, at: b.updatedAt)
        row.deadlinesReviewOn = DeadlineReview.text(DeadlineHorizon.nextChange(for: b.record, today: c.today, book: c.book))
        let scannedAt = Instant(beijing: c.today, hour: 1)
        var events: [(stored: AuditEvent, plain: AuditEvent?, at: Instant)] = try b.events.map { e in
            // 涉密: stored sealed, as AuditRecorder.append stores it.
            b.record.classified
                ? (stored: try AuditConfidentiality.sealed(e.event), plain: e.event, at: e.at) : (stored: e.event, plain: nil, at: e.at)
        }
        // Only the last step's row is stored, so the last entry binds it (ProjectStateDigest); the steps
        // before left no row to bind. The plain event (the fingerprint's) stays unbound: a sealed row differs run to run.
        if !events.isEmpty { events[events.count - 1].stored.state = ProjectStateDigest.of(row) }
        return Prepared(
            row: row, code: b.record.code,
            events: events,
            reminders: DeadlineScan.deadlines(for: b.record, today: c.today, policy: policy).map {
                ReminderModel($0, projectId: b.record.id, unitId: b.record.unitId, raisedAt: scannedAt)
            },
            sharing: ProjectSharingRow(b.record), reviewText: ProjectReviewText(b.record),
            risk: ProjectRiskRow(b.record, today: c.today, policy: policy),
            waiting: ProjectWaitingRow.rows(b.record, policy: policy, now: scannedAt), updatedAt: b.updatedAt.secondsSinceEpoch)
    }
}
