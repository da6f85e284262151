import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import ZhengxinServer

/// /readyz: ready only when the database answers and carries every migration of this build.
@Suite("Readiness")
struct ReadinessTests {
    static func readyz(_ app: Application) async throws -> JSONReply {
        let response = try await app.testing().sendRequest(.GET, "/readyz")
        let parsed = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
        return JSONReply(status: response.status, object: parsed, array: [], raw: response.body)
    }

    @Test("ready on a migrated database; 503 MIGRATIONS_PENDING when the last migration is not recorded", arguments: Backend.all)
    func migrations(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let ready = try await Self.readyz(world.app)
            #expect(ready.status == .ok)
            #expect(ready["status"] as? String == "ready")
            let last = ZhengxinMigrations.all.last!.name
            try await (world.app.db as! any SQLDatabase).delete(from: "_fluent_migrations").where("name", .equal, last).run()
            let pending = try await Self.readyz(world.app)
            #expect(pending.status == .serviceUnavailable)
            #expect(pending.errorCode == "MIGRATIONS_PENDING")
            let message = (pending["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(message.contains("缺少1项迁移") && message.contains("zhengxin migrate"), "\(message)")
            #expect(try await world.call(.GET, "/healthz").status == .ok)  // alive all the same
        }
    }

    @Test("503 DATABASE_UNAVAILABLE when the database cannot be reached", arguments: Backend.all)
    func databaseDown(_ backend: Backend) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zx-ready-\(UUID().uuidString)").path
        let database: AppConfig.DatabaseChoice =
            switch backend {
            case .sqlite: .sqliteFile(dir + "/no-such-directory/zhengxin.sqlite")  // SQLite cannot create it
            case .postgres: .postgres(url: "postgres://zhengxin@127.0.0.1:1/postgres")  // nothing listens there
            }
        let app = try await Application.make(.testing)
        do {
            try await configure(app, config: AppConfig(database: database, dataDirectory: dir, bcryptCost: 4))
            let reply = try await Self.readyz(app)
            #expect(reply.status == .serviceUnavailable)
            #expect(reply.errorCode == "DATABASE_UNAVAILABLE")
            #expect((reply["error"] as? [String: Any])?["message"] as? String == "数据库暂时无法访问,服务尚未就绪")
            #expect(try await app.testing().sendRequest(.GET, "/healthz").status == .ok)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
        try? FileManager.default.removeItem(atPath: dir)
    }

    @Test("a database that does not answer in time is not ready")
    func patience() async {
        let verdict = await Readiness.within(.milliseconds(20), otherwise: Readiness.Verdict.databaseUnavailable) {
            try? await Task.sleep(for: .seconds(30))
            return .ready
        }
        #expect(verdict == .databaseUnavailable)
        #expect(await Readiness.within(.seconds(30), otherwise: Readiness.Verdict.databaseUnavailable) { .ready } == .ready)
    }
}
