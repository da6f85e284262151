import Fluent
import FluentPostgresDriver
import Foundation
import SQLKit
import Testing
import Vapor
import ZhengxinServer

/// The databases every server test runs on: SQLite always, and a real PostgreSQL server when
/// ZHENGXIN_TEST_POSTGRES_URL names one (scripts/test.sh starts it).
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static var all: [Backend] {
        ProcessInfo.processInfo.environment["ZHENGXIN_TEST_POSTGRES_URL"] == nil ? [.sqlite] : [.sqlite, .postgres]
    }
}

/// Creates and drops a fresh PostgreSQL database per test through the admin connection.
enum PostgresDatabases {
    static var adminURL: String { ProcessInfo.processInfo.environment["ZHENGXIN_TEST_POSTGRES_URL"]! }

    static func url(for name: String) -> String {
        var components = URLComponents(string: adminURL)!
        components.path = "/" + name
        return components.string!
    }

    static func run(_ statement: String) async throws {
        let app = try await Application.make(.testing)
        do {
            var config = try SQLPostgresConfiguration(url: adminURL)
            config.coreConfiguration.tls = .disable
            app.databases.use(.postgres(configuration: config, maxConnectionsPerEventLoop: 1), as: .psql)
            try await (app.db as! any SQLDatabase).raw(SQLQueryString(statement)).run()
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
