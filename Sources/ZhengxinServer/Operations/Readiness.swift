import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// GET /readyz: whether this process can serve now — the database answers, and every migration
/// this build knows is recorded in it. A load balancer sends traffic only to a ready process;
/// `/healthz` says only that the process is alive.
enum Readiness {
    enum Verdict: Equatable, Sendable {
        case ready
        case databaseUnavailable
        case migrationsPending([String])

        var error: APIError? {
            switch self {
            case .ready:
                return nil
            case .databaseUnavailable:
                return APIError(status: .serviceUnavailable, code: "DATABASE_UNAVAILABLE", message: "数据库暂时无法访问,服务尚未就绪")
            case .migrationsPending(let missing):
                return APIError(
                    status: .serviceUnavailable, code: "MIGRATIONS_PENDING",
                    message: "数据库结构尚未更新到当前版本(缺少\(missing.count)项迁移,最早为\(missing.first ?? "")),请运行 zhengxin migrate")
            }
        }
    }

    /// A probe gives up after a second or two; a database that has not answered by then is not ready.
    static let patience: Duration = .seconds(2)

    static func check(_ app: Application) async -> Verdict {
        let db = app.db
        let known = ZhengxinMigrations.all.map(\.name)
        return await within(patience, otherwise: .databaseUnavailable) {
            guard (try? await PlainRows.all(SQLQueryString("SELECT 1"), on: db).first) != nil else { return .databaseUnavailable }
            // No migration table at all is a database never migrated: every migration is pending.
            let rows = (try? await PlainRows.all(SQLQueryString("SELECT name FROM _fluent_migrations"), on: db)) ?? []
            let recorded = Set(rows.compactMap { try? $0.text(0) })
            let missing = known.filter { !recorded.contains($0) }
            return missing.isEmpty ? .ready : .migrationsPending(missing)
        }
    }

    /// `operation`'s answer, or `fallback` if it has none within `limit`. The operation is left to
    /// finish on its own: a database call cannot be cancelled halfway, and the probe must not wait for it.
    static func within<T: Sendable>(_ limit: Duration, otherwise fallback: T, _ operation: @escaping @Sendable () async -> T) async -> T {
        let answered = NIOLockedValueBox(false)
        return await withCheckedContinuation { continuation in
            let resume = { @Sendable (value: T) in
                guard
                    answered.withLockedValue({ done in
                        defer { done = true }; return !done
                    })
                else { return }
                continuation.resume(returning: value)
            }
            let timer = Task {
                try? await Task.sleep(for: limit)
                resume(fallback)  // a no-op once the operation has answered
            }
            Task {
                resume(await operation())
                timer.cancel()
            }
        }
    }

    static func register(_ app: Application) {
        app.get("readyz") { req -> Response in
            let verdict = await check(req.application)
            let response: Response
            if let api = verdict.error {
                if case .databaseUnavailable = verdict { req.logger.warning("readyz: \(api.code)") }
                response = Response(status: api.status)
                try response.content.encode(ErrorBody(error: .init(code: api.code, message: api.message, violations: [])))
            } else {
                response = Response(status: .ok)
                try response.content.encode(["status": "ready"])
            }
            response.headers.replaceOrAdd(name: .contentType, value: "application/json; charset=utf-8")
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return response
        }
    }
}
