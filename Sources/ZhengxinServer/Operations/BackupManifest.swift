import Foundation
import ZhengxinCrypto

/// What a backup holds (DIR/manifest.json): which database it came from, the row count of every
/// table and the audit chain head (链头) as of the one snapshot the copy was taken from, and the
/// SM3 digest of every file beside the manifest, so a restore can refuse a damaged copy before
/// writing anything. The master key is never among the files.
struct BackupManifest: Codable, Sendable, Equatable {
    static let fileName = "manifest.json"
    static let currentFormat = 1

    struct ChainHead: Codable, Sendable, Equatable {
        var seq: Int64
        var hash: String
    }

    var formatVersion: Int
    /// "sqlite" or "postgres": a backup is restored onto the same kind of database.
    var backend: String
    /// When the snapshot was taken, ISO 8601 UTC.
    var createdAt: String
    /// Rows per table in the snapshot (every table of the schema, the migrations' own included).
    var tables: [String: Int64]
    /// The newest audit entry in the snapshot; nil for a database with no audit entries.
    var auditHead: ChainHead?
    /// How many document files the store held when copied.
    var documentFiles: Int
    /// SM3 (hex) of every file in the backup, by its path relative to the backup directory.
    var files: [String: String]

    func write(to directory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: URL(fileURLWithPath: directory + "/" + Self.fileName), options: .atomic)
    }

    static func read(from directory: String) throws -> BackupManifest {
        let path = directory + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OperationsError("RESTORE_MANIFEST_MISSING", "备份目录中没有清单文件 \(fileName)(\(directory)),不能确认备份完整,未恢复任何数据")
        }
        let manifest: BackupManifest
        do { manifest = try JSONDecoder().decode(BackupManifest.self, from: data) } catch {
            throw OperationsError("RESTORE_MANIFEST_INVALID", "备份清单 \(fileName) 无法解析,未恢复任何数据")
        }
        guard manifest.formatVersion == currentFormat else {
            throw OperationsError("RESTORE_MANIFEST_INVALID", "备份清单格式版本 \(manifest.formatVersion) 不受支持(本程序为 \(currentFormat)),未恢复任何数据")
        }
        return manifest
    }
}

/// Files of a backup directory and their SM3 digests, read in chunks so a large database file
/// never sits whole in memory.
enum BackupFiles {
    /// Every regular file under `directory`, as paths relative to it, sorted.
    static func list(_ directory: String) throws -> [String] {
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: directory) else { return [] }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: directory + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
                found.append(relative)
            }
        }
        return found.sorted()
    }

    static func sm3(ofFileAt path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        let hasher = SM3Hasher()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        return hasher.finalizeHex()
    }

    /// The files whose bytes are not what the manifest says, or that are missing, or that the
    /// manifest does not name (added behind the backup's back): one line each, naming the file.
    static func problems(in directory: String, against manifest: BackupManifest) throws -> [String] {
        var lines: [String] = []
        let present = Set(try list(directory)).subtracting([BackupManifest.fileName])
        for (path, expected) in manifest.files.sorted(by: { $0.key < $1.key }) {
            guard present.contains(path) else {
                lines.append("缺少文件 \(path)")
                continue
            }
            if try sm3(ofFileAt: directory + "/" + path) != expected { lines.append("文件 \(path) 的SM3摘要与清单不符(已损坏或被改动)") }
        }
        for extra in present.subtracting(manifest.files.keys).sorted() { lines.append("文件 \(extra) 不在清单中") }
        return lines
    }
}

/// A refusal of `backup` or `restore`: a stable code, a Chinese message, and one line per finding.
struct OperationsError: Error, CustomStringConvertible {
    var code: String
    var message: String
    var details: [String]

    init(_ code: String, _ message: String, details: [String] = []) {
        self.code = code
        self.message = message
        self.details = details
    }

    var description: String { (["[\(code)] \(message)"] + details.map { "  " + $0 }).joined(separator: "\n") }
}
