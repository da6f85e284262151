import Fluent
import SQLKit
import Vapor
import ZhengxinCore

/// Runs the deadline scan over every project: raises what the core reports and is not yet
/// raised, resolves what no longer stands. Running it twice raises nothing twice.
enum DeadlineScanner {
    struct Result: Content, Equatable {
        /// Projects examined: all of them in a full scan, else those written or due for review.
        var projects: Int
        var raised: Int
        var resolved: Int
        /// Whether every project was examined (forced, first scan, policy book changed, clock set back).
        var full: Bool
    }

    static func key(_ projectId: UUID, _ d: Deadline) -> String {
        "\(UUIDText.string(projectId))|\(d.kind.rawValue)|\(d.ref)|\(d.dueOn)|\(d.status.rawValue)"  // uuidString's text, without sprintf
    }

    /// Reads and decodes outside the write lock (DeadlineSweep), then applies the difference in one
    /// write transaction with set-based updates and multi-row inserts. Visits only the projects
    /// written since the last scan or whose next review day (DeadlineHorizon) has come, unless `full`
    /// or DeadlineReview says the last scan's knowledge no longer holds: the reminders of a project
    /// not visited are what a full scan would leave them, as nothing they depend on has changed.
    static func run(_ app: Application, full forced: Bool = false) async throws -> Result {
        let started = ContinuousClock.now
        let now = app.zhengxin.now()
        let today = now.beijingDate
        let book = try await PolicyStore.book(on: app.db)
        let fingerprint = try DeadlineReview.fingerprint(book)
        let incremental = try await DeadlineReview.incrementalAllowed(today: today, fingerprint: fingerprint, on: app.db)
        let full = forced || !incremental
        let (visits, current) = try await DeadlineSweep.standing(now: now, book: book, onlyDue: !full, on: app.db)
        let mailBase = app.zhengxin.config.authentication.publicOrigin ?? ""
        let scanned = try await app.writeTransaction { db in
            let known = try await knownReminders(of: full ? nil : visits.map(\.id), on: db)
            let knownKeys = Dictionary(known.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
            let resolve = known.filter { $0.resolvedAt == nil && current[$0.key] == nil }.map(\.id)
            let reopen = known.filter { $0.resolvedAt != nil && current[$0.key] != nil }.map(\.id)
            try await setResolved(resolve, to: now.secondsSinceEpoch, on: db)
            try await setResolved(reopen, to: nil, on: db)
            let fresh = current.filter { knownKeys[$0.key] == nil }.sorted { $0.key < $1.key }.map { _, v in
                let r = ReminderModel(v.deadline, projectId: v.projectId, unitId: v.unitId, raisedAt: now)
                r.id = UUID()
                return r
            }
            try await BatchInsert.create(fresh, on: db)
            try await ReminderMail.enqueue(fresh, base: mailBase, at: now.secondsSinceEpoch, on: db)  // 邮件提醒, same transaction
            let unchanged = try await DeadlineReview.unchanged(visits, on: db)
            try await DeadlineReview.setNext(unchanged, on: db)
            try await ProjectRiskStore.record(unchanged.map(\.risk), cause: "scan", at: now, on: db)
            // A wait the scan is first to see is dated from the project's last write: the project was
            // never judged before (seeded, or stored before the table), or time alone moved it.
            let written = Dictionary(unchanged.map { ($0.id, $0.updatedAt) }, uniquingKeysWith: { a, _ in a })
            try await ProjectWaitingStore.replace(
                unchanged.map(\.id), with: unchanged.flatMap(\.waiting), since: { written[$0] ?? now.secondsSinceEpoch }, on: db)
            try await DeadlineReview.remember(today: today, fingerprint: fingerprint, on: db)
            let result = Result(projects: visits.count, raised: fresh.count + reopen.count, resolved: resolve.count, full: full)
            if result.raised + result.resolved > 0 {
                try await AuditRecorder.append(
                    AuditEvent(
                        actor: nil, action: "deadline-scan", projectId: nil, result: .accepted,
                        summary: "期限扫描: \(visits.count)个项目,新提醒\(result.raised)条,解除\(result.resolved)条", clientAddress: "scan"), at: now,
                    on: db)
            }
            return result
        }
        app.operationsMetrics.deadlineScan(full: full, duration: ContinuousClock.now - started)
        return scanned
    }

    /// A stored reminder as the scan compares it: its id, its key and whether it is resolved.
    struct Known: Sendable {
        var id: UUID
        var key: String
        var resolvedAt: Int64?
    }

    /// Every reminder (nil), or those of the projects `ids`; read by position (Fluent's reflective
    /// row filling was most of this read).
    private static func knownReminders(of ids: [UUID]?, on db: Database) async throws -> [Known] {
        func read(_ condition: SQLQueryString) async throws -> [Known] {
            try await PlainRows.all("SELECT id, key, resolved_at FROM reminders WHERE " + condition, on: db).map { row in
                Known(id: try row.uuid(0), key: try row.text(1), resolvedAt: try row.optionalInt64(2))
            }
        }
        guard let ids else { return try await read("1 = 1") }
        var found: [Known] = []
        for chunk in ids.chunks(of: BatchInsert.rowsPerStatement) {
            found += try await read("project_id IN \(SQLBind.ids(chunk))")
        }
        return found
    }

    private static func setResolved(_ ids: [UUID], to value: Int64?, on db: Database) async throws {
        for chunk in ids.chunks(of: BatchInsert.rowsPerStatement) {
            try await ReminderModel.query(on: db).filter(\.$id ~~ Array(chunk)).set(\.$resolvedAt, to: value).update()
        }
    }

    /// Claims today's run; false when another process (or an earlier run today) already did.
    static func claimToday(_ app: Application) async throws -> Bool {
        let now = app.zhengxin.now()
        do {
            try await ScanRunModel(day: now.beijingDate.description, startedAt: now.secondsSinceEpoch).create(on: app.db)
            return true
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return false
        }
    }

    /// The daily job: claim the day, then scan.
    static func runDaily(_ app: Application) async throws -> Result? {
        guard try await claimToday(app) else { return nil }
        return try await run(app)
    }
}

/// Starts the daily scan with `serve`: checks every hour whether today's scan has run.
struct DailyScanLifecycle: LifecycleHandler {
    final class Box: @unchecked Sendable { var task: Task<Void, Never>? }
    let box = Box()

    /// Every command boots the application; only a serving process sweeps daily. `zhengxin-bench`,
    /// `scan` or `migrate` starting the sweep would race their own writes (zhengxin-bench's chunks).
    static func isServing(_ arguments: [String]) -> Bool {
        guard let command = arguments.dropFirst().first else { return true }  // no command: serve
        return command == "serve" || command.hasPrefix("-")
    }

    func didBootAsync(_ app: Application) async throws {
        guard Self.isServing(app.environment.arguments) else { return }
        box.task = Task {
            while !Task.isCancelled {
                do {
                    if let r = try await DeadlineScanner.runDaily(app) {
                        app.logger.info("deadline scan: \(r.projects) projects, \(r.raised) raised, \(r.resolved) resolved")
                    }
                } catch {
                    app.logger.error("deadline scan failed: \(String(describing: error))")
                }
                try? await Task.sleep(for: .seconds(3600))
            }
        }
    }

    func shutdownAsync(_ app: Application) async {
        box.task?.cancel()
    }
}

/// `zhengxin scan`: runs the deadline scan now.
struct ScanCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "full", help: "检查全部项目,而非仅自上次扫描后写入或到达复查日的项目 (examine every project)")
        var full: Bool
    }
    var help: String { "运行期限扫描,生成提醒和逾期标记 (run the deadline scan now)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let r = try await DeadlineScanner.run(context.application, full: signature.full)
        let scope = r.full ? "全量" : "增量"
        context.console.print("期限扫描完成(\(scope)): 检查\(r.projects)个项目,新提醒\(r.raised)条,解除\(r.resolved)条")
    }
}
