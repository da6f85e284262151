import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// A backup taken while the API writes holds every write acknowledged before it began; a restore
/// refuses a damaged backup (naming the file) and a non-empty target, and otherwise brings back
/// a database whose audit chain verifies and whose counts and chain head are the manifest's.
@Suite("Backup and restore")
struct BackupRestoreTests {
    /// Writes acknowledged by the API, in order, from a loop running beside the backup.
    final class Acknowledged: Sendable {
        private let box = NIOLockedValueBox<(writes: [(project: String, action: String)], stop: Bool)>(([], false))
        func add(_ project: String, _ action: String) { box.withLockedValue { $0.writes.append((project, action)) } }
        var writes: [(project: String, action: String)] { box.withLockedValue { $0.writes } }
        var stopped: Bool { box.withLockedValue { $0.stop } }
        func stop() { box.withLockedValue { $0.stop = true } }
    }

    static func temporaryDirectory(_ prefix: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
    }

    /// An application on a new, never migrated database and data directory, holding the source's
    /// master key as an operator brings it from the key store.
    static func withEmptyTarget(
        _ backend: Backend, masterKeyFrom source: String, now: @escaping @Sendable () -> Instant,
        _ body: (Application) async throws -> Void
    ) async throws {
        let dir = temporaryDirectory("zx-restore")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: source + "/" + MasterKey.fileName, toPath: dir + "/" + MasterKey.fileName)
        var pgName: String?
        let database: AppConfig.DatabaseChoice
        switch backend {
        case .sqlite:
            database = .sqliteFile(dir + "/restored.sqlite")
        case .postgres:
            let name = "zx_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            try await PostgresDatabases.run("CREATE DATABASE \(name)")
            pgName = name
            database = .postgres(url: PostgresDatabases.url(for: name))
        }
        let app = try await Application.make(.testing)
        var failure: (any Error)?
        do {
            try await configure(app, config: AppConfig(database: database, dataDirectory: dir, bcryptCost: 4), now: now)
            try await body(app)
        } catch { failure = error }
        try? await app.asyncShutdown()
        if let pgName { try? await PostgresDatabases.run("DROP DATABASE IF EXISTS \(pgName) WITH (FORCE)") }
        try? FileManager.default.removeItem(atPath: dir)
        if let failure { throw failure }
    }

    static func refusal(_ body: () async throws -> Void) async -> OperationsError? {
        do { try await body() } catch let error as OperationsError { return error } catch {
            Issue.record("unexpected error: \(error)")
        }
        return nil
    }

    /// Tables in `app`'s database, and document files in its store: both empty after a refused restore.
    static func footprint(_ app: Application) async throws -> (tables: Int, documents: Int) {
        let root = app.zhengxin.documents.root
        let documents = FileManager.default.fileExists(atPath: root) ? try BackupFiles.list(root).count : 0
        switch app.zhengxin.config.database {
        case .sqliteFile(let path):
            guard FileManager.default.fileExists(atPath: path) else { return (0, documents) }
            return (try await DatabaseTally.tables(on: app.db as! any SQLDatabase, .sqlite).count, documents)
        default:
            return (try await DatabaseTally.tables(on: app.db as! any SQLDatabase, .postgres).count, documents)
        }
    }

    @Test(
        "a backup taken mid-way through API writes restores every write acknowledged before it, and the chain verifies",
        arguments: Backend.all)
    func backupWhileWriting(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            _ = try await w.upload("feasibilityStudy")
            let log = Acknowledged()
            let writer = Task {
                var i = 0
                while !log.stopped && i < 400 {
                    let created = try await world.call(
                        .POST, "/api/v1/projects", as: "unitA", json: Walk.draft(name: "并发写入项目\(i)", yuan: 500_000))
                    if created.status == .created, let id = created.project["id"] as? String {
                        log.add(id, "create")
                        if try await world.act(id, "declare", as: "unitA").status == .ok { log.add(id, "declare") }
                    }
                    i += 1
                }
            }
            while log.writes.count < 10 { try await Task.sleep(for: .milliseconds(5)) }
            let before = log.writes
            let dir = Self.temporaryDirectory("zx-backup")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let manifest = try await Backup.run(world.app, to: dir)
            let duringOrAfter = log.writes.count
            while log.writes.count < duringOrAfter + 4 { try await Task.sleep(for: .milliseconds(5)) }
            log.stop()
            try await writer.value
            #expect(before.contains { $0.action == "declare" }, "the loop declares as well as creates")
            #expect(manifest.documentFiles >= 1)
            #expect(manifest.files.keys.contains(backend == .sqlite ? Backup.sqliteFile : Backup.postgresFile))
            #expect(!manifest.files.keys.contains { $0.hasSuffix(MasterKey.fileName) })
            let liveProjects = try await ProjectRow.all(record: false, on: world.app.db).count
            #expect(Int64(liveProjects) > manifest.tables["projects"] ?? 0, "writes went on after the snapshot")

            try await Self.withEmptyTarget(backend, masterKeyFrom: world.app.zhengxin.config.dataDirectory, now: { world.clock.now }) {
                target in
                let outcome = try await Restore.run(target, from: dir)
                #expect(outcome.manifest == manifest)
                for write in before {
                    let id = try #require(UUID(uuidString: write.project))
                    let project = try #require(
                        try await ProjectRow.find(id, on: target.db), "\(write.action) of \(write.project) acknowledged before the backup"
                    )
                    if write.action == "declare" { #expect(try project.decoded().stage != .draft) }
                    let entries = try await AuditEntryModel.query(on: target.db).filter(\.$projectId == id)
                        .filter(\.$action == write.action).filter(\.$result == "accepted").count()
                    #expect(entries == 1, "audit entry for \(write.action) of \(write.project)")
                }
                #expect(try await ProjectRow.all(record: false, on: target.db).count == Int(manifest.tables["projects"] ?? -1))
                let report = try await AuditRecorder.verify(on: target.db)
                #expect(report.problem == nil, "\(report.message)")
                #expect(report.entries == Int(manifest.auditHead?.seq ?? -1))
                let document =
                    try await world.call(.GET, "/api/v1/projects/\(w.projectId)/documents", as: "unitA").array.first as? [String: Any]
                let digest = try #require(document?["sha256"] as? String)
                #expect(target.zhengxin.documents.contains(digest))
            }
        }
    }

    @Test(
        "a backup whose database file or a document was altered or removed is refused, naming the file; nothing is restored",
        arguments: Backend.all)
    func damagedBackupRefused(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            _ = try await w.upload("feasibilityStudy")
            try await world.must(w.projectId, "declare", as: "unitA")
            let dir = Self.temporaryDirectory("zx-backup")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let manifest = try await Backup.run(world.app, to: dir)
            let databaseFile = backend == .sqlite ? Backup.sqliteFile : Backup.postgresFile
            let document = try #require(manifest.files.keys.first { $0.hasPrefix(Backup.documentsFolder + "/") })

            try await Self.withEmptyTarget(backend, masterKeyFrom: world.app.zhengxin.config.dataDirectory, now: { world.clock.now }) {
                target in
                for file in [databaseFile, document] {
                    let path = dir + "/" + file
                    let original = try Data(contentsOf: URL(fileURLWithPath: path))
                    var altered = original
                    altered[altered.count / 2] ^= 0x01
                    try altered.write(to: URL(fileURLWithPath: path))
                    let changed = await Self.refusal { _ = try await Restore.run(target, from: dir) }
                    #expect(changed?.code == "RESTORE_BACKUP_DAMAGED")
                    #expect(changed?.details == ["文件 \(file) 的SM3摘要与清单不符(已损坏或被改动)"])
                    try FileManager.default.removeItem(atPath: path)
                    let missing = await Self.refusal { _ = try await Restore.run(target, from: dir) }
                    #expect(missing?.details == ["缺少文件 \(file)"])
                    let footprint = try await Self.footprint(target)
                    #expect(footprint.tables == 0 && footprint.documents == 0, "nothing restored after refusing \(file)")
                    try original.write(to: URL(fileURLWithPath: path))
                }
                // The same backup, its files put back, restores: the refusals were the alterations'.
                let outcome = try await Restore.run(target, from: dir)
                #expect(outcome.manifest.auditHead == manifest.auditHead)
            }
        }
    }

    @Test("a restore into a database that holds data is refused and changes nothing", arguments: Backend.all)
    func nonEmptyTargetRefused(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            let dir = Self.temporaryDirectory("zx-backup")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            _ = try await Backup.run(world.app, to: dir)
            try await world.must(w.projectId, "declare", as: "unitA")
            let sql = world.app.db as! any SQLDatabase
            let dialect: DatabaseTally.Dialect = backend == .sqlite ? .sqlite : .postgres
            let countsBefore = try await DatabaseTally.counts(on: sql, dialect)
            let headBefore = try await DatabaseTally.auditHead(on: sql)
            let refused = await Self.refusal { _ = try await Restore.run(world.app, from: dir) }
            #expect(refused?.code == "RESTORE_TARGET_NOT_EMPTY")
            #expect(refused?.message.contains("非空") == true)
            #expect(try await DatabaseTally.counts(on: sql, dialect) == countsBefore)
            #expect(try await DatabaseTally.auditHead(on: sql) == headBefore)
            #expect(
                try await world.act(w.projectId, "start-technical-review", as: "bdb").status == .ok, "the server goes on from its own state"
            )
        }
    }

    @Test("the master key is never in a backup; a key file found in one voids it", arguments: [Backend.sqlite])
    func masterKeyKeptOut(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let dir = Self.temporaryDirectory("zx-backup")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let dataDirectory = world.app.zhengxin.config.dataDirectory
            let manifest = try await Backup.run(world.app, to: dir)
            let key = try String(contentsOfFile: dataDirectory + "/" + MasterKey.fileName, encoding: .utf8).trimmingCharacters(
                in: .whitespacesAndNewlines)
            for file in try BackupFiles.list(dir) {
                #expect(!file.hasSuffix(MasterKey.fileName))
                let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file)), as: UTF8.self)
                #expect(!text.contains(key), "\(file) holds the master key")
            }
            #expect(manifest.files.count == (try BackupFiles.list(dir).count - 1))
            try key.write(toFile: dir + "/documents-copy.txt", atomically: true, encoding: .utf8)
            let refused = await Self.refusal { try Backup.refuseKeyFiles(in: dir, dataDirectory: dataDirectory) }
            #expect(refused?.code == "BACKUP_CONTAINS_KEY")
            #expect(refused?.details == ["密钥文件 documents-copy.txt"])
        }
    }
}
