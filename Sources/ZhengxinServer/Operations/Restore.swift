import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

/// `zhengxin restore --from DIR`: only into an empty database, only from a backup whose every file
/// still has the SM3 the manifest gives (checked before anything is written), and it says it
/// succeeded only when the audit chain verifies (the same walk as `audit-verify`) and the restored
/// row counts and chain head are the manifest's.
enum Restore {
    struct Outcome: Sendable {
        var manifest: BackupManifest
        var auditMessage: String
    }

    static func run(_ app: Application, from directory: String) async throws -> Outcome {
        let manifest = try BackupManifest.read(from: directory)
        let config = app.zhengxin.config
        let backend: String
        switch config.database {
        case .sqliteFile: backend = "sqlite"
        case .postgres: backend = "postgres"
        case .sqliteMemory: throw OperationsError("RESTORE_UNSUPPORTED", "不能恢复到内存数据库")
        }
        guard manifest.backend == backend else {
            throw OperationsError("RESTORE_BACKEND_MISMATCH", "备份来自 \(manifest.backend) 数据库,当前配置为 \(backend): 请恢复到同类数据库")
        }
        let databaseFile = backend == "sqlite" ? Backup.sqliteFile : Backup.postgresFile
        var problems = try BackupFiles.problems(in: directory, against: manifest)
        if manifest.files[databaseFile] == nil { problems.insert("清单中没有数据库文件 \(databaseFile)", at: 0) }
        guard problems.isEmpty else {
            throw OperationsError("RESTORE_BACKUP_DAMAGED", "备份文件校验(SM3)未通过,未恢复任何数据", details: problems)
        }
        let documentsRoot = app.zhengxin.documents.root
        try await refuseNonEmpty(app, documentsRoot: documentsRoot)

        switch config.database {
        case .sqliteFile(let path):
            try placeSQLite(from: directory + "/" + databaseFile, at: path)
        case .postgres(let url):
            try await PostgresTools(url: url).restore(from: directory + "/" + databaseFile)
        case .sqliteMemory:
            break
        }
        try copyDocuments(from: directory + "/" + Backup.documentsFolder, to: documentsRoot)

        let report = try await AuditRecorder.verify(on: app.db)
        let sql = app.db as! any SQLDatabase
        let differences = DatabaseTally.differences(
            counts: try await DatabaseTally.counts(on: sql, backend == "sqlite" ? .sqlite : .postgres),
            head: try await DatabaseTally.auditHead(on: sql), from: manifest)
        guard differences.isEmpty else {
            throw OperationsError("RESTORE_MISMATCH", "恢复后的数据与备份清单不符", details: differences + [report.message])
        }
        guard report.problem == nil else {
            throw OperationsError("RESTORE_AUDIT_FAILED", "恢复后审计记录校验未通过", details: [report.message])
        }
        return Outcome(manifest: manifest, auditMessage: report.message)
    }

    /// A restore never overwrites: the target database must have no tables at all, and the
    /// document store no files.
    private static func refuseNonEmpty(_ app: Application, documentsRoot: String) async throws {
        var tables: [String] = []
        switch app.zhengxin.config.database {
        case .sqliteFile(let path):
            let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber
            if let size, size.intValue > 0 {
                let connection = try await SQLiteConnection.open(storage: .file(path: path))
                do {
                    tables = try await DatabaseTally.tables(on: connection.sql(), .sqlite)
                    try await connection.close()
                } catch {
                    try? await connection.close()
                    throw error
                }
            }
        case .postgres:
            tables = try await DatabaseTally.tables(on: app.db as! any SQLDatabase, .postgres)
        case .sqliteMemory:
            break
        }
        let documents = FileManager.default.fileExists(atPath: documentsRoot) ? try BackupFiles.list(documentsRoot) : []
        guard tables.isEmpty, documents.isEmpty else {
            var details: [String] = []
            if !tables.isEmpty { details.append("数据库已有 \(tables.count) 张表(\(tables.prefix(5).joined(separator: ", "))…)") }
            if !documents.isEmpty { details.append("文档库 \(documentsRoot) 已有 \(documents.count) 个文件") }
            throw OperationsError("RESTORE_TARGET_NOT_EMPTY", "目标数据库非空: 恢复只写入新建的空数据库,不覆盖现有数据", details: details)
        }
    }

    /// Copied beside the target, then renamed into place, so no one ever opens half a file; an
    /// empty target's leftover WAL files would otherwise be replayed onto the restored database.
    private static func placeSQLite(from source: String, at path: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        for leftover in [path + "-wal", path + "-shm", path + "-journal"] where fm.fileExists(atPath: leftover) {
            try fm.removeItem(atPath: leftover)
        }
        let temporary = path + ".restore-" + UUID().uuidString
        try fm.copyItem(atPath: source, toPath: temporary)
        guard rename(temporary, path) == 0 else {
            let failure = errno
            try? fm.removeItem(atPath: temporary)
            throw OperationsError("RESTORE_WRITE_FAILED", "无法把数据库文件放到 \(path)(errno \(failure))")
        }
    }

    private static func copyDocuments(from source: String, to root: String) throws {
        let fm = FileManager.default
        guard fm.fileExists(atPath: source) else { return }
        for path in try BackupFiles.list(source) {
            let destination = root + "/" + path
            try fm.createDirectory(atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try fm.copyItem(atPath: source + "/" + path, toPath: destination)
        }
    }
}
