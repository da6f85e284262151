import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

/// `zhengxin backup --to DIR`, while the server runs: the database from one snapshot (SQLite
/// `VACUUM INTO`, which reads inside one read transaction; PostgreSQL `pg_dump` of a snapshot
/// exported by a repeatable-read transaction that also counts the rows), then the document store
/// (a document's bytes are stored before the row naming them commits, so every document the
/// snapshot names is already on disk), then the manifest. The master key stays out.
enum Backup {
    static let sqliteFile = "zhengxin.sqlite"
    static let postgresFile = "zhengxin.pgdump"
    static let documentsFolder = "documents"

    static func run(_ app: Application, to directory: String) async throws -> BackupManifest {
        let fm = FileManager.default
        if let existing = try? fm.contentsOfDirectory(atPath: directory), !existing.isEmpty {
            throw OperationsError("BACKUP_TARGET_NOT_EMPTY", "备份目录 \(directory) 不是空目录: 备份只写入新的空目录,不覆盖已有文件")
        }
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let createdAt = ISO8601DateFormatter().string(from: Date())
        let snapshot: (backend: String, tables: [String: Int64], head: BackupManifest.ChainHead?)
        switch app.zhengxin.config.database {
        case .sqliteFile:
            snapshot = try await sqlite(app, into: directory + "/" + sqliteFile)
        case .postgres(let url):
            snapshot = try await postgres(app, tools: PostgresTools(url: url), into: directory + "/" + postgresFile)
        case .sqliteMemory:
            throw OperationsError("BACKUP_UNSUPPORTED", "内存数据库无法备份")
        }
        let documents = try copyDocuments(from: app.zhengxin.documents.root, to: directory + "/" + documentsFolder)
        try refuseKeyFiles(in: directory, dataDirectory: app.zhengxin.config.dataDirectory)
        var files: [String: String] = [:]
        for path in try BackupFiles.list(directory) { files[path] = try BackupFiles.sm3(ofFileAt: directory + "/" + path) }
        let manifest = BackupManifest(
            formatVersion: BackupManifest.currentFormat, backend: snapshot.backend, createdAt: createdAt,
            tables: snapshot.tables, auditHead: snapshot.head, documentFiles: documents, files: files)
        try manifest.write(to: directory)
        return manifest
    }

    /// VACUUM INTO writes a compact copy from one read transaction; the counts are then read from
    /// the copy itself, so they describe exactly what the backup holds.
    private static func sqlite(_ app: Application, into file: String) async throws -> (String, [String: Int64], BackupManifest.ChainHead?) {
        let quoted = "'" + file.replacingOccurrences(of: "'", with: "''") + "'"
        try await (app.db as! any SQLDatabase).raw("VACUUM INTO \(unsafeRaw: quoted)").run()
        let connection = try await SQLiteConnection.open(storage: .file(path: file))
        do {
            let sql = connection.sql()
            let tables = try await DatabaseTally.counts(on: sql, .sqlite)
            let head = try await DatabaseTally.auditHead(on: sql)
            try await connection.close()
            return ("sqlite", tables, head)
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private struct SnapshotId: Decodable { var id: String }

    /// One repeatable-read transaction exports its snapshot; pg_dump reads that same snapshot
    /// (`--snapshot`) while the transaction stays open, and the counts come from it too.
    private static func postgres(_ app: Application, tools: PostgresTools, into file: String) async throws -> (
        String, [String: Int64], BackupManifest.ChainHead?
    ) {
        try await app.db.transaction { db in
            let sql = db as! any SQLDatabase
            try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run()
            guard let snapshot = try await sql.raw("SELECT pg_export_snapshot() AS id").first(decoding: SnapshotId.self) else {
                throw OperationsError("BACKUP_SNAPSHOT_FAILED", "无法导出 PostgreSQL 快照")
            }
            let tables = try await DatabaseTally.counts(on: sql, .postgres)
            let head = try await DatabaseTally.auditHead(on: sql)
            try await tools.dump(to: file, snapshot: snapshot.id)
            return ("postgres", tables, head)
        }
    }

    /// Copies the content-addressed files; a file still being written (`.tmp-…`) is not a document yet.
    private static func copyDocuments(from root: String, to target: String) throws -> Int {
        let fm = FileManager.default
        guard fm.fileExists(atPath: root) else { return 0 }
        var copied = 0
        for path in try BackupFiles.list(root) where !(path as NSString).lastPathComponent.contains(".tmp-") {
            let destination = target + "/" + path
            try fm.createDirectory(atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try fm.copyItem(atPath: root + "/" + path, toPath: destination)
            copied += 1
        }
        return copied
    }

    /// The master key seals the data at rest and keys the audit anchor; a backup holding it would
    /// give whoever holds the backup everything (GB/T 39786-2021 8.5 密钥管理). Refused, not skipped:
    /// a key found here means something put it where it must not be.
    static func refuseKeyFiles(in directory: String, dataDirectory: String) throws {
        let keyHex = (try? MasterKey.load(dataDirectory: dataDirectory))?.hexString
        var found: [String] = []
        for path in try BackupFiles.list(directory) {
            let name = (path as NSString).lastPathComponent
            if name == MasterKey.fileName || name.hasSuffix(".key") { found.append(path); continue }
            let full = directory + "/" + path
            if let keyHex, let size = (try? FileManager.default.attributesOfItem(atPath: full))?[.size] as? NSNumber, size.intValue < 128,
                let text = FileManager.default.contents(atPath: full),
                String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).lowercased() == keyHex.lowercased()
            {
                found.append(path)
            }
        }
        guard found.isEmpty else {
            throw OperationsError("BACKUP_CONTAINS_KEY", "备份中出现密钥文件,备份作废,请删除该目录", details: found.map { "密钥文件 \($0)" })
        }
    }
}
