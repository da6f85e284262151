import Crypto
import Foundation
import ZhengxinCrypto

/// Document bytes stored once per content, under <data>/documents/<aa>/<sha256>. Writing is
/// idempotent: the same bytes land on the same path, so a retried upload changes nothing.
/// A 涉密 project's documents are stored SM4-sealed (AtRest) under a name keyed with HMAC-SM3,
/// `<aa>/sealed-<hmac>`, so neither their bytes nor their SHA-256 lie on disk in the clear.
public struct DocumentStore: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    static func sha256Hex(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    func path(for digest: String) -> String { "\(root)/\(digest.prefix(2))/\(digest)" }

    func sealedPath(for digest: String, keys: AtRestKeys) -> String {
        let name = HMACSM3.authenticationCode(for: Data(digest.utf8), key: keys.documentNames).hexString
        return "\(root)/\(name.prefix(2))/sealed-\(name)"
    }

    /// Stores the bytes (sealed for a 涉密 project) and returns their digest.
    func put(_ data: Data, sealed: Bool = false) throws -> String {
        try put(data, digest: Self.sha256Hex(data), sealed: sealed)
    }

    /// The same with the digest computed already (`sha256Hex(data)`).
    func put(_ data: Data, digest: String, sealed: Bool) throws -> String {
        let target = sealed ? sealedPath(for: digest, keys: try AtRest.current()) : path(for: digest)
        let fm = FileManager.default
        if fm.fileExists(atPath: target) { return digest }
        try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let temp = target + ".tmp-" + UUID().uuidString
        try (sealed ? AtRest.sealBytes(data) : data).write(to: URL(fileURLWithPath: temp))
        if fm.fileExists(atPath: target) {
            try? fm.removeItem(atPath: temp)
        } else {
            do {
                try fm.moveItem(atPath: temp, toPath: target)
            } catch where fm.fileExists(atPath: target) {
                try? fm.removeItem(atPath: temp)   // the same bytes stored meanwhile by another writer
            }
        }
        return digest
    }

    /// Bytes a record names that are not in the store (removed or lost behind the server's back).
    struct Missing: Error, CustomStringConvertible {
        var digest: String
        var description: String { "文档内容不在文档库中(SHA-256 \(digest.prefix(12))…)" }
    }

    /// Where the bytes of `digest` lie, if they do: in the clear, or sealed under any installed key.
    private func stored(_ digest: String) -> (path: String, sealed: Bool)? {
        guard digest.count == 64, digest.allSatisfy(\.isHexDigit) else { return nil }
        let fm = FileManager.default
        if fm.fileExists(atPath: path(for: digest)) { return (path(for: digest), false) }
        for keys in AtRest.allInstalled() where fm.fileExists(atPath: sealedPath(for: digest, keys: keys)) {
            return (sealedPath(for: digest, keys: keys), true)
        }
        return nil
    }

    /// Whether the bytes of `digest` are in the store.
    func contains(_ digest: String) -> Bool { stored(digest) != nil }

    /// The bytes, opened when they were stored sealed; `Missing` when they are not there.
    func get(_ digest: String) throws -> Data {
        guard let (path, sealed) = stored(digest) else { throw Missing(digest: digest) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch where !FileManager.default.fileExists(atPath: path) {
            throw Missing(digest: digest)   // removed between the look and the read
        }
        return sealed ? try AtRest.openBytes(data) : data
    }
}
