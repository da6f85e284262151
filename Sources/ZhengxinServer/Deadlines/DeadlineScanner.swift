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

    static func run(_ app: Application) async throws -> Result {
        let now = app.zhengxin.now()
        let today = now.beijingDate
        return try await app.writeTransaction { db in
            let book = try await PolicyStore.book(on: db)
            var current: [String: (UUID, UUID, Deadline)] = [:]
            let models = try await ProjectModel.query(on: db).all()
            for model in models {
                let p = try model.decoded()
                for d in DeadlineScan.deadlines(for: p, today: today, policy: book.governing(p, today: today)) {
                    current[key(p.id, d)] = (p.id, p.unitId, d)
                }
            }
            let active = try await ReminderModel.query(on: db).filter(\.$resolvedAt == nil).all()
            var resolved = 0
            for r in active where current[r.key] == nil {
                r.resolvedAt = now.secondsSinceEpoch
                try await r.update(on: db)
                resolved += 1
            }
            let known = Dictionary(try await ReminderModel.query(on: db).all().map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
            var raised = 0
            for (k, (projectId, unitId, d)) in current.sorted(by: { $0.key < $1.key }) {
                if let existing = known[k] {
                    if existing.resolvedAt != nil {
                        existing.resolvedAt = nil
                        try await existing.update(on: db)
                        raised += 1
                    }
                    continue
                }
                try await ReminderModel(d, projectId: projectId, unitId: unitId, raisedAt: now).create(on: db)
                raised += 1
            }
            let result = Result(projects: models.count, raised: raised, resolved: resolved)
            if raised + resolved > 0 {
                try await AuditRecorder.append(AuditEvent(actor: nil, action: "deadline-scan", projectId: nil, result: .accepted,
                                                          summary: "期限扫描: \(models.count)个项目,新提醒\(raised)条,解除\(resolved)条", clientAddress: "scan"), at: now, on: db)
            }
            return result
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
