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
        let digest = Self.sha256Hex(data)
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

    /// The bytes, opened when they were stored sealed.
    func get(_ digest: String) throws -> Data {
        let fm = FileManager.default
        if fm.fileExists(atPath: path(for: digest)) { return try Data(contentsOf: URL(fileURLWithPath: path(for: digest))) }
        for keys in AtRest.allInstalled() where fm.fileExists(atPath: sealedPath(for: digest, keys: keys)) {
            return try AtRest.openBytes(Data(contentsOf: URL(fileURLWithPath: sealedPath(for: digest, keys: keys))))
        }
        return try Data(contentsOf: URL(fileURLWithPath: path(for: digest)))  // the usual file-not-found error
    }
}

/// Recognises a document's type from its first bytes, not from what the client claims, and
/// refuses anything executable or active (HTML, scripts).
enum DocumentSniffer {
    static func contentType(of data: Data) -> String? {
        let head = [UInt8](data.prefix(8))
        func starts(_ magic: [UInt8]) -> Bool { head.count >= magic.count && Array(head.prefix(magic.count)) == magic }
        if starts([0x25, 0x50, 0x44, 0x46]) { return "application/pdf" }                         // %PDF
        if starts([0x50, 0x4B, 0x03, 0x04]) { return "application/zip" }                         // docx/xlsx/ofd are zip
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return "application/msword" } // legacy Office
        if starts([0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if starts([0x7F, 0x45, 0x4C, 0x46]) || starts([0x4D, 0x5A]) { return nil }                 // ELF, PE executables
        guard let text = utf8Head(data), !text.contains("\0") else { return nil }
        let lowered = text.lowercased()
        if lowered.contains("<script") || lowered.contains("<html") || lowered.contains("<!doctype") || lowered.hasPrefix("#!") { return nil }
        return "text/plain; charset=utf-8"
    }

    /// The first 4 KiB as UTF-8, allowing the cut to split the last character (up to 3 bytes
    /// dropped): otherwise a Chinese text file longer than 4 KiB would be refused by where it was cut.
    static func utf8Head(_ data: Data) -> String? {
        let limit = min(data.count, 4096)
        for drop in 0...min(3, limit) {
            if let text = String(data: data.prefix(limit - drop), encoding: .utf8) { return text }
            if limit == data.count { return nil }   // the whole file: nothing was cut
        }
        return nil
    }
}
