import Fluent
import Vapor
import ZhengxinCore
import ZhengxinCrypto

/// `seed-bench`'s engine: a whole portfolio written with multi-row INSERTs in large transactions.
/// Projects are walked in parallel, a chunk ahead of the writer; the audit chain is then built in
/// order with the recorder's own hashing, so `audit-verify` checks it like any other chain.
enum BenchPortfolio {
    struct Summary: Sendable {
        var projects = 0
        var auditEntries = 0
        var reminders = 0
        var lastHash = AuditRecorder.genesis
        /// SM3 over the entries' hashes, a 涉密 project's taken before sealing: equal for equal seeds.
        var fingerprint = ""
        var codes: [String] = []
    }

    struct NotEmpty: Error, CustomStringConvertible {
        var description: String { "数据库已有数据: seed-bench 只在空数据库上生成压测数据" }
    }

    static let chunkSize = 1_000

    static func seed(_ app: Application, projects count: Int, seed: UInt64, units: Int, today: CivilDate,
                     progress: @escaping @Sendable (Int) -> Void = { _ in }) async throws -> Summary {
        guard try await OrganisationModel.query(on: app.db).count() == 0 else { throw NotEmpty() }
        let orgs = BenchOrganisations(seed: seed, units: units, passwordHash: try app.password.hash(DemoAccounts.password))
        try await app.writeTransaction { db in try await orgs.save(on: db) }
        let plans = numbered((0..<count).map { BenchPlan.draw(index: $0, seed: seed, units: orgs.unitNames, today: today) })
        let store = app.zhengxin.documents
        let book = PolicyBook.builtIn
        let scannedAt = Instant(beijing: today, hour: 1)
        var summary = Summary()
        var fingerprint = ""
        let chunks = stride(from: 0, to: count, by: chunkSize).map { $0..<min(count, $0 + chunkSize) }
        func walkAhead(_ k: Int) -> Task<[BenchProject], any Error>? {
            guard k < chunks.count else { return nil }
            let slice = Array(plans[chunks[k]])
            return Task { try await walk(slice, seed: seed, orgs: orgs, store: store) }
        }
        var ahead = walkAhead(0)
        for k in chunks.indices {
            guard let walked = try await ahead?.value else { break }
            ahead = walkAhead(k + 1)
            var projects: [ProjectModel] = []
            var entries: [AuditEntryModel] = []
            var reminders: [ReminderModel] = []
            for b in walked {
                let policy = book.governing(b.record, today: today)
                projects.append(try ProjectModel(b.record, policy: policy, at: b.updatedAt))
                summary.codes.append(b.record.code)
                for e in b.events {
                    let seq = Int64(summary.auditEntries + entries.count + 1)
                    var ids = BenchRandom(seed: seed, stream: "audit", index: Int(seq))
                    let previous = entries.last?.hash ?? summary.lastHash
                    // 涉密: stored sealed, as AuditRecorder.append stores it; sealing draws a fresh IV, so the
                    // fingerprint takes the plain entry's hash instead, to stay the same for the same seed.
                    let stored = b.record.classified ? try AuditConfidentiality.sealed(e.event) : e.event
                    let entry = AuditRecorder.chained(stored, at: e.at, id: ids.uuid(), seq: seq, after: previous)
                    fingerprint += b.record.classified ? AuditRecorder.chained(e.event, at: e.at, id: entry.id!, seq: seq, after: previous).hash : entry.hash
                    entries.append(entry)
                }
                for d in DeadlineScan.deadlines(for: b.record, today: today, policy: policy) {
                    let r = ReminderModel(d, projectId: b.record.id, unitId: b.record.unitId, raisedAt: scannedAt)
                    var ids = BenchRandom(seed: seed, stream: "reminder", index: summary.reminders + reminders.count)
                    r.id = ids.uuid()
                    reminders.append(r)
                }
            }
            let (p, e, r) = (projects, entries, reminders)
            try await app.writeTransaction { db in
                try await BatchInsert.create(p, on: db)
                try await BatchInsert.create(e, on: db)
                try await BatchInsert.create(r, on: db)
                if let last = e.last { try await AuditAnchor.advance(toSeq: last.seq, hash: last.hash, on: db) }
            }
            summary.fingerprint = SM3.hex(summary.fingerprint + fingerprint)
            fingerprint = ""
            summary.projects += projects.count
            summary.auditEntries += entries.count
            summary.reminders += reminders.count
            summary.lastHash = entries.last?.hash ?? summary.lastHash
            progress(summary.projects)
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

    /// Walks a chunk on every core, in slices, and returns it in order.
    static func walk(_ plans: [BenchPlan], seed: UInt64, orgs: BenchOrganisations, store: DocumentStore) async throws -> [BenchProject] {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let size = (plans.count + cores - 1) / cores
        let slices = stride(from: 0, to: plans.count, by: max(1, size)).map { Array(plans[$0..<min(plans.count, $0 + size)]) }
        return try await withThrowingTaskGroup(of: (Int, [BenchProject]).self) { group in
            for (i, slice) in slices.enumerated() {
                group.addTask {
                    (i, try slice.map { plan in
                        var ids = BenchRandom(seed: seed, stream: "project-id", index: plan.index)
                        return try BenchWalk.walk(plan, id: ids.uuid(), orgs: orgs, store: store)
                    })
                }
            }
            var parts: [Int: [BenchProject]] = [:]
            for try await (i, part) in group { parts[i] = part }
            return parts.keys.sorted().flatMap { parts[$0]! }
        }
    }
}
