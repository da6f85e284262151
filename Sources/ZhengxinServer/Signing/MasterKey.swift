import Foundation
import ZhengxinCrypto

/// The SM4 key that seals agency private keys (and other secrets at rest). From the environment
/// (`ZHENGXIN_MASTER_KEY`, 32 hex digits) when an operator keeps it in a secrets store; otherwise
/// `<data dir>/master.key`, created on first use readable by the owner only (mode 0600), so a copy
/// of the database alone does not reveal any private key (GB/T 39786-2021 8.5 密钥管理).
enum MasterKey {
    static let environmentVariable = "ZHENGXIN_MASTER_KEY"
    static let fileName = "master.key"

    static func load(dataDirectory: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Data {
        if let hex = environment[environmentVariable], !hex.isEmpty {
            guard let key = Data(hex: hex.trimmingCharacters(in: .whitespacesAndNewlines)), key.count == SM4.keyLength else {
                throw MasterKeyError("\(environmentVariable) 须为32位十六进制 (SM4 128位密钥)")
            }
            return key
        }
        let path = dataDirectory + "/" + fileName
        if let key = try read(path) { return key }
        try create(path)
        guard let key = try read(path) else { throw MasterKeyError("无法读取主密钥文件 \(path)") }
        return key
    }

    private static func read(_ path: String) throws -> Data? {
        guard let text = FileManager.default.contents(atPath: path) else { return nil }
        let hex = String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let key = Data(hex: hex), key.count == SM4.keyLength else { throw MasterKeyError("主密钥文件 \(path) 内容无效") }
        return key
    }

    /// Written to a private temporary file, then linked into place: link(2) fails if another
    /// process got there first, and nobody ever reads a half-written key.
    private static func create(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let temporary = path + ".\(UUID().uuidString).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw MasterKeyError("无法创建主密钥文件 \(temporary): errno \(errno)") }
        defer { unlink(temporary) }
        let bytes = Array((try secureRandomBytes(SM4.keyLength).hexString + "\n").utf8)
        let written = write(fd, bytes, bytes.count) == bytes.count && fsync(fd) == 0
        close(fd)
        guard written else { throw MasterKeyError("无法写入主密钥文件 \(temporary)") }
        if link(temporary, path) != 0 && errno != EEXIST { throw MasterKeyError("无法创建主密钥文件 \(path): errno \(errno)") }
    }
}

struct MasterKeyError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
