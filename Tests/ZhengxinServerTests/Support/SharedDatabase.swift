import Foundation
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// A fresh, empty database (a SQLite file, or a PostgreSQL database of its own) that one or more
/// `Application`s open at once, as server processes sharing a database would: for zhengxin-bench, which
/// wants an empty database, and for the two-server tests.
struct SharedDatabase: Sendable {
    let backend: Backend
    let directory: String
    let choice: AppConfig.DatabaseChoice
    let pgName: String?

    static func with(_ backend: Backend, _ body: (SharedDatabase) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zx-shared-\(UUID().uuidString)").path
        var pgName: String?
        let choice: AppConfig.DatabaseChoice
        switch backend {
        case .sqlite:
            choice = .sqliteFile(dir + "/shared.sqlite")
        case .postgres:
            let name = "zx_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            try await PostgresDatabases.run("CREATE DATABASE \(name)")
            pgName = name
            choice = .postgres(url: PostgresDatabases.url(for: name))
        }
        let shared = SharedDatabase(backend: backend, directory: dir, choice: choice, pgName: pgName)
        do { try await body(shared) } catch {
            await shared.drop()
            throw error
        }
        await shared.drop()
    }

    private func drop() async {
        if let pgName { try? await PostgresDatabases.run("DROP DATABASE IF EXISTS \(pgName) WITH (FORCE)") }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// An application on this database (migrated), shut down after `body`.
    func app(now: @escaping @Sendable () -> Instant, _ body: (Application) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        do {
            try await configure(
                app,
                config: AppConfig(database: choice, dataDirectory: directory, sessionLifetimeSeconds: 20 * 365 * 86_400, bcryptCost: 4),
                now: now)
            try await app.autoMigrate()
            try await body(app)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
