import Fluent
import Foundation
import Logging
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// A database made by a released version upgrades: each fixture under Tests/Fixtures/upgrade (one
/// per released schema, made by scripts/make_upgrade_fixture.sh with that version's binary) is
/// migrated by today's migrations, its audit record still verifies (chain, anchor, project rows,
/// tallies, sharing figures), no table loses or gains a row, and the tables a migration fills from
/// existing rows hold what the records say, as its log line says.
@Suite("Upgrade from a released schema")
struct UpgradeFromFixtureTests {
    @Test("every fixture directory has its counts, master key and both databases")
    func fixturesPresent() throws {
        let fixtures = try UpgradeFixture.all()
        #expect(!fixtures.isEmpty, "no fixture under \(UpgradeFixture.root)")
        for fixture in fixtures {
            #expect(FileManager.default.fileExists(atPath: fixture.directory + "/" + UpgradeFixture.sqliteFile), "\(fixture.name)")
            #expect(FileManager.default.fileExists(atPath: fixture.directory + "/" + UpgradeFixture.postgresFile), "\(fixture.name)")
            #expect(FileManager.default.fileExists(atPath: fixture.directory + "/" + MasterKey.fileName), "\(fixture.name)")
            let counts = try fixture.counts()
            #expect((counts.sqlite.tables["projects"] ?? 0) > 0 && (counts.postgres.tables["projects"] ?? 0) > 0)
            #expect(counts.sqlite.contractedParties > 0 && counts.postgres.contractedParties > 0, "the fixture names contracted parties")
            #expect(counts.sqlite.classifiedProjects > 0 && counts.postgres.classifiedProjects > 0, "the fixture holds a 涉密 project")
        }
    }

    @Test("a SQLite database of a released version migrates, verifies and keeps every row", arguments: try UpgradeFixture.all())
    func sqlite(_ fixture: UpgradeFixture) async throws {
        let dir = UpgradeFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try fixture.copyDataDirectory(from: "sqlite", to: dir)
        let database = dir + "/zhengxin.sqlite"
        try UpgradeFixture.gunzip(fixture.directory + "/" + UpgradeFixture.sqliteFile, to: database)
        try await Self.upgrade(.sqliteFile(database), dataDirectory: dir, expected: try fixture.counts().sqlite)
    }

    @Test("a PostgreSQL dump of a released version loads, migrates, verifies and keeps every row", arguments: try UpgradeFixture.all())
    func postgres(_ fixture: UpgradeFixture) async throws {
        guard Backend.all.contains(.postgres) else { return }
        let dir = UpgradeFixture.temporaryDirectory()
        let name = "zx_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await PostgresDatabases.run("CREATE DATABASE \(name)")
        do {
            try fixture.copyDataDirectory(from: "postgres", to: dir)
            let dump = dir + "/dump.sql"
            try UpgradeFixture.gunzip(fixture.directory + "/" + UpgradeFixture.postgresFile, to: dump)
            try UpgradeFixture.psql(url: PostgresDatabases.url(for: name), file: dump)
            try await Self.upgrade(
                .postgres(url: PostgresDatabases.url(for: name)), dataDirectory: dir, expected: try fixture.counts().postgres)
        } catch {
            try? await PostgresDatabases.run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            try? FileManager.default.removeItem(atPath: dir)
            throw error
        }
        try await PostgresDatabases.run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Today's migrations on the old database, then the checks.
    static func upgrade(_ database: AppConfig.DatabaseChoice, dataDirectory: String, expected: UpgradeFixture.Tally) async throws {
        let app = try await Application.make(.testing)
        do {
            try await configure(app, config: AppConfig(database: database, dataDirectory: dataDirectory, bcryptCost: 4))
            let log = CapturedLog()
            app.logger = Logger(label: "upgrade-test") { _ in log }
            try await app.autoMigrate()
            try await check(app, expected: expected, log: log.messages)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    static func check(_ app: Application, expected: UpgradeFixture.Tally, log: [String]) async throws {
        let sql = app.db as! any SQLDatabase
        let dialect: DatabaseTally.Dialect = sql.dialect.name == "postgresql" ? .postgres : .sqlite
        let pending = try await PlainRows.all(SQLQueryString("SELECT COUNT(*) FROM _fluent_migrations"), on: app.db)
        #expect(try pending.first?.int(0) == ZhengxinMigrations.all.count, "every migration ran")

        // `zhengxin audit-verify`: chain, anchor (the fixture's master key), project rows, tallies, sharing figures.
        let report = try await AuditRecorder.verify(on: app.db)
        #expect(report.problem == nil, "\(report.message)")
        #expect(Int64(report.entries) == expected.tables["audit_entries"])

        // No table the old version had lost or gained a row (an upgrade moves data, it never drops it).
        let counts = try await DatabaseTally.counts(on: sql, dialect)
        for (table, rows) in expected.tables where table != "_fluent_migrations" {
            #expect(
                counts[table] == rows, "table \(table): \(rows) rows before the upgrade, \(counts[table].map(String.init) ?? "gone") after")
        }

        // The tables filled from existing rows hold what the records say.
        let projects = try await ProjectRow.all(on: app.db)
        let records = try projects.map { try $0.decoded() }
        #expect(records.filter(\.classified).count == expected.classifiedProjects)
        let parties = Set(
            try await PlainRows.all(SQLQueryString("SELECT project_id, organisation_id, role FROM project_parties"), on: app.db).map {
                Party(project: try $0.uuid(0), organisation: try $0.uuid(1), role: try $0.text(2))
            })
        let named = Set(records.filter { !$0.classified }.flatMap(Party.named))
        #expect(parties == named, "project_parties is every contracted party of the records, and no other")
        #expect(parties.count == expected.contractedParties)
        #expect(log.contains(MigrationLog.message(AddProjectParties(), "project_parties", Int64(parties.count))), "\(log)")
        let sharing = try await MigrationLog.count("project_sharing", on: app.db)
        #expect(sharing == Int64(projects.count), "one sharing row per project")
        #expect(log.contains(MigrationLog.message(AddProjectSharing(), "project_sharing", sharing)), "\(log)")
        // 风险评级: every stored project rated by the migration, each with its first history row.
        let risks = try await MigrationLog.count("project_risks", on: app.db)
        #expect(risks == Int64(projects.count), "one rating per project")
        #expect(try await MigrationLog.count("project_risk_changes", where: "cause = 'fill'", on: app.db) == risks)
        #expect(log.contains(MigrationLog.message(CreateProjectRisks(), "project_risks", risks)), "\(log)")
        if dialect == .sqlite {
            let searchable = try await MigrationLog.count("project_search_rows", on: app.db)
            #expect(searchable == Int64(records.filter { !$0.classified }.count), "every project not 涉密 is searchable")
            #expect(log.contains(MigrationLog.message(AddProjectSearch(), "project_search_rows", searchable)), "\(log)")
        }
        // The old rows work with today's list query: the search index finds each project not 涉密 by
        // its name, and a contracted vendor's scope holds its projects.
        let drc = Actor(userId: UUID(), displayName: "发改委", organisationId: UUID(), organisationType: .drc, roles: [.staff])
        for record in records where !record.classified {
            let query = ProjectListQuery(search: String(record.name.suffix(3)))
            let hits = try await PlainRows.all(
                "SELECT id FROM projects WHERE " + ProjectListing.filters(query, actor: drc), on: app.db)
            #expect(try hits.map { try $0.uuid(0) }.contains(record.id), "searching 「\(record.name.suffix(3))」 finds \(record.code)")
        }
        for party in parties {
            let contracted = try await PlainRows.all(ProjectListing.contractedProjects(of: party.organisation), on: app.db)
            #expect(try contracted.map { try $0.uuid(0) }.contains(party.project))
        }
    }

    struct Party: Hashable {
        var project: UUID
        var organisation: UUID
        var role: String

        static func named(_ p: ProjectRecord) -> [Party] {
            p.constructionContracts.compactMap { c in
                c.contractorOrganisationId.map { Party(project: p.id, organisation: $0, role: "contractor") }
            }
                + p.supervisionContracts.compactMap { c in
                    c.supervisionFirmOrganisationId.map { Party(project: p.id, organisation: $0, role: "supervisor") }
                }
        }
    }
}

/// Log lines kept for the test to read.
final class CapturedLog: LogHandler, Sendable {
    private let box = NIOLockedValueBox<[String]>([])
    var messages: [String] { box.withLockedValue { $0 } }

    func log(event: LogEvent) { box.withLockedValue { $0.append(event.message.description) } }

    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    var logLevel: Logger.Level {
        get { .info }
        set {}
    }
    subscript(metadataKey _: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }
}

/// One directory of Tests/Fixtures/upgrade: a released version's databases and what they held.
struct UpgradeFixture: Sendable, CustomTestStringConvertible {
    static let sqliteFile = "sqlite/zhengxin.sqlite.gz"
    static let postgresFile = "postgres/dump.sql.gz"
    static var root: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/upgrade").path
    }

    let name: String
    var directory: String { Self.root + "/" + name }
    var testDescription: String { name }

    /// counts.json: what the old version's databases held, read from them by the script.
    struct Counts: Decodable {
        var commit: String
        var sqlite: Tally
        var postgres: Tally
    }
    struct Tally: Decodable {
        var tables: [String: Int64]
        var contractedParties: Int
        var classifiedProjects: Int
    }

    func counts() throws -> Counts {
        try JSONDecoder().decode(Counts.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/counts.json")))
    }

    static func all() throws -> [UpgradeFixture] {
        try FileManager.default.contentsOfDirectory(atPath: root).sorted()
            .filter { FileManager.default.fileExists(atPath: root + "/" + $0 + "/counts.json") }
            .map { UpgradeFixture(name: $0) }
    }

    static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("zx-upgrade-\(UUID().uuidString)").path
    }

    /// The master key and the document store of the backend's data directory.
    func copyDataDirectory(from backend: String, to dir: String) throws {
        let files = FileManager.default
        try files.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try files.copyItem(atPath: directory + "/" + MasterKey.fileName, toPath: dir + "/" + MasterKey.fileName)
        let documents = directory + "/" + backend + "/documents"
        if files.fileExists(atPath: documents) { try files.copyItem(atPath: documents, toPath: dir + "/documents") }
    }

    static func gunzip(_ file: String, to target: String) throws {
        guard FileManager.default.createFile(atPath: target, contents: nil), let out = FileHandle(forWritingAtPath: target) else {
            throw FixtureError("cannot write \(target)")
        }
        defer { try? out.close() }
        try run(tool("gzip"), ["-dc", file], output: out)
    }

    /// Loads a plain pg_dump file, stopping at the first error.
    static func psql(url: String, file: String) throws {
        var environment = ProcessInfo.processInfo.environment
        var parts = URLComponents(string: url)!
        environment["PGPASSWORD"] = parts.password
        parts.password = nil
        try run(
            tool("psql"), ["--no-psqlrc", "--quiet", "-v", "ON_ERROR_STOP=1", "--dbname", parts.string!, "--file", file],
            output: FileHandle.nullDevice, environment: environment)
    }

    /// A tool from ZHENGXIN_PG_BIN, the PostgreSQL 15 packages' directory or PATH.
    static func tool(_ name: String) throws -> String {
        let environment = ProcessInfo.processInfo.environment
        let directories =
            [environment["ZHENGXIN_PG_BIN"], PostgresTools.defaultDirectory].compactMap { $0 }
            + (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        guard let found = directories.map({ $0 + "/" + name }).first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw FixtureError("\(name) not found in \(directories)")
        }
        return found
    }

    static func run(_ path: String, _ arguments: [String], output: FileHandle, environment: [String: String]? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = output
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FixtureError("\(path) \(arguments.joined(separator: " ")): \(String(decoding: message, as: UTF8.self))")
        }
    }

    struct FixtureError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
