import Fluent
import Vapor
import ZhengxinCore

/// Runs the deadline scan over every project: raises what the core reports and is not yet
/// raised, resolves what no longer stands. Running it twice raises nothing twice.
enum DeadlineScanner {
    struct Result: Content, Equatable {
        var projects: Int
        var raised: Int
        var resolved: Int
    }

    static func key(_ projectId: UUID, _ d: Deadline) -> String {
        "\(projectId.uuidString)|\(d.kind.rawValue)|\(d.ref)|\(d.dueOn)|\(d.status.rawValue)"
    }

    /// Reads and decodes outside the write lock (DeadlineSweep), then applies the difference in one
    /// write transaction with set-based updates and multi-row inserts.
    static func run(_ app: Application) async throws -> Result {
        let now = app.zhengxin.now()
        let today = now.beijingDate
        let book = try await PolicyStore.book(on: app.db)
        let (projects, current) = try await DeadlineSweep.standing(today: today, book: book, on: app.db)
        return try await app.writeTransaction { db in
            let known = try await ReminderModel.query(on: db).field(\.$id).field(\.$key).field(\.$resolvedAt).all()
            let knownKeys = Dictionary(known.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
            let resolve = known.filter { $0.resolvedAt == nil && current[$0.key] == nil }.compactMap(\.id)
            let reopen = known.filter { $0.resolvedAt != nil && current[$0.key] != nil }.compactMap(\.id)
            try await setResolved(resolve, to: now.secondsSinceEpoch, on: db)
            try await setResolved(reopen, to: nil, on: db)
            let fresh = current.filter { knownKeys[$0.key] == nil }.sorted { $0.key < $1.key }.map { _, v in
                let r = ReminderModel(v.deadline, projectId: v.projectId, unitId: v.unitId, raisedAt: now)
                r.id = UUID()
                return r
            }
            try await BatchInsert.create(fresh, on: db)
            let result = Result(projects: projects, raised: fresh.count + reopen.count, resolved: resolve.count)
            if result.raised + result.resolved > 0 {
                try await AuditRecorder.append(AuditEvent(actor: nil, action: "deadline-scan", projectId: nil, result: .accepted,
                                                          summary: "期限扫描: \(projects)个项目,新提醒\(result.raised)条,解除\(result.resolved)条", clientAddress: "scan"), at: now, on: db)
            }
            return result
        }
    }

    private static func setResolved(_ ids: [UUID], to value: Int64?, on db: Database) async throws {
        for start in stride(from: 0, to: ids.count, by: BatchInsert.rowsPerStatement) {
            try await ReminderModel.query(on: db).filter(\.$id ~~ Array(ids[start..<min(ids.count, start + BatchInsert.rowsPerStatement)]))
                .set(\.$resolvedAt, to: value).update()
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

    func didBootAsync(_ app: Application) async throws {
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
    struct Signature: CommandSignature {}
    var help: String { "运行期限扫描,生成提醒和逾期标记 (run the deadline scan now)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let r = try await DeadlineScanner.run(context.application)
        context.console.print("期限扫描完成: \(r.projects)个项目,新提醒\(r.raised)条,解除\(r.resolved)条")
    }
}
