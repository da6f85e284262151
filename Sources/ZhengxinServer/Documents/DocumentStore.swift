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

    /// The same with the digest computed already (`sha256Hex(data)`). A file already under the
    /// name is kept only when it still holds these bytes; one changed behind the server's back is
    /// replaced, so uploading the document again repairs it.
    func put(_ data: Data, digest: String, sealed: Bool) throws -> String {
        let target = sealed ? sealedPath(for: digest, keys: try AtRest.current()) : path(for: digest)
        let fm = FileManager.default
        if sealed {
            // A changed copy named under another installed key (stored before the key changed) would
            // still be found by `get`: the repair removes it, so uploading again repairs wherever it lay.
            for keys in AtRest.allInstalled() {
                let other = sealedPath(for: digest, keys: keys)
                if other != target, fm.fileExists(atPath: other), !intact(at: other, sealed: true, digest: digest) {
                    try? fm.removeItem(atPath: other)
                }
            }
        }
        if fm.fileExists(atPath: target), intact(at: target, sealed: sealed, digest: digest) { return digest }
        try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let temp = target + ".tmp-" + UUID().uuidString
        try (sealed ? AtRest.sealBytes(data) : data).write(to: URL(fileURLWithPath: temp))
        // rename(2) replaces atomically: a reader sees the old file or the new one, never a part.
        guard rename(temp, target) == 0 else {
            let failure = errno
            try? fm.removeItem(atPath: temp)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "rename \(temp): errno \(failure)"])
        }
        return digest
    }

    /// Whether the file at `path` opens (when sealed) to bytes whose SHA-256 is `digest`.
    private func intact(at path: String, sealed: Bool, digest: String) -> Bool {
        guard let stored = try? Data(contentsOf: URL(fileURLWithPath: path)),
            let bytes = sealed ? try? AtRest.openBytes(stored) : stored
        else { return false }
        return Self.sha256Hex(bytes) == digest
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

    /// Bytes in the store that are not the bytes their digest names: the file was changed behind
    /// the server's back (or a sealed file no longer opens under its key's authentication).
    struct Altered: Error, CustomStringConvertible {
        var digest: String
        var description: String { "文档库中的内容与其 SHA-256 不符,已被改动(SHA-256 \(digest.prefix(12))…)" }
    }

    /// The bytes, opened when they were stored sealed, and only when their SHA-256 is still
    /// `digest`: `Missing` when they are not there, `Altered` when they changed on disk.
    func get(_ digest: String) throws -> Data {
        guard let (path, sealed) = stored(digest) else { throw Missing(digest: digest) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch  where !FileManager.default.fileExists(atPath: path) {
            throw Missing(digest: digest)  // removed between the look and the read
        }
        let bytes: Data
        if sealed {
            do {
                bytes = try AtRest.openBytes(data)
            } catch let error as AtRestError where error.kind == .tampered || error.kind == .malformed {
                throw Altered(digest: digest)
            }
        } else {
            bytes = data
        }
        guard Self.sha256Hex(bytes) == digest else { throw Altered(digest: digest) }
        return bytes
    }
}
