import Foundation
import ZhengxinCrypto

/// Keys for data at rest, each derived from the master key (MasterKey.swift) for one purpose, so
/// the key that seals fields is never the key that MACs the audit anchor (GB/T 39786-2021 8.5
/// 密钥管理: 一钥一用). The agency signing keys keep their own seal under the master key itself.
struct AtRestKeys: Sendable {
    /// A public name for the master key: 8 hex digits of HMAC-SM3, stored with every sealed value
    /// so that a value sealed under another key is reported as such instead of failing as garbage.
    let keyId: String
    /// SM4-CBC + HMAC-SM3 seal of personal data, TOTP secrets and 涉密 project details.
    let fields: SM4.SealingKey
    /// HMAC-SM3 key of the audit anchor (`audit_head`).
    let auditAnchor: Data
    /// HMAC-SM3 key that names a sealed document file, so its name is not the SHA-256 of its content.
    let documentNames: Data

    init(master: Data) throws {
        keyId = String(HMACSM3.authenticationCode(for: Data("zhengxin/at-rest/key-id".utf8), key: master).hexString.prefix(8))
        fields = try SM4.SealingKey(
            HMACSM3.authenticationCode(for: Data("zhengxin/at-rest/fields".utf8), key: master).prefix(SM4.keyLength))
        auditAnchor = HMACSM3.authenticationCode(for: Data("zhengxin/at-rest/audit-anchor".utf8), key: master)
        documentNames = HMACSM3.authenticationCode(for: Data("zhengxin/at-rest/document-names".utf8), key: master)
    }
}

/// Why a sealed value could not be opened. Never answered with a guess or with the stored text.
struct AtRestError: Error, CustomStringConvertible, Sendable {
    enum Kind: String, Sendable {
        /// Sealed under a master key this process does not hold: the wrong key is configured.
        case wrongKey = "MASTER_KEY_MISMATCH"
        /// The authentication tag does not match: the stored value was altered.
        case tampered = "SEALED_VALUE_TAMPERED"
        /// Not the stored form of a sealed value.
        case malformed = "SEALED_VALUE_MALFORMED"
        /// `configure` has not installed a master key in this process.
        case noKey = "MASTER_KEY_MISSING"
    }
    var kind: Kind
    var description: String

    init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}

/// The process's at-rest keys and the stored form of a sealed text: `zx-sm4:1:<keyId>:<base64>`.
///
/// A server process runs one deployment with one master key, installed by `configure`. Model code
/// (ProjectRow, TOTP enrolment) seals with the key installed last and opens with whichever
/// installed key the value names; tests, which run many applications in one process, install
/// several. A value naming a key the process never installed fails as `wrongKey`.
enum AtRest {
    static let prefix = "zx-sm4:1:"

    private final class Keyring: @unchecked Sendable {
        let lock = NSLock()
        var current: AtRestKeys?
        var byId: [String: AtRestKeys] = [:]
    }
    private static let keyring = Keyring()

    static func install(_ keys: AtRestKeys) {
        keyring.lock.withLock {
            keyring.current = keys
            keyring.byId[keys.keyId] = keys
        }
    }

    static func current() throws -> AtRestKeys {
        guard let keys = keyring.lock.withLock({ keyring.current }) else {
            throw AtRestError(.noKey, "未加载主密钥,无法加密或解密存储的敏感数据")
        }
        return keys
    }

    /// The installed keys with this id, if any (values and anchors name the key that made them).
    static func installed(keyId: String) -> AtRestKeys? {
        keyring.lock.withLock { keyring.byId[keyId] }
    }

    /// Every installed key set, the current one first.
    static func allInstalled() -> [AtRestKeys] {
        keyring.lock.withLock {
            (keyring.current.map { [$0] } ?? []) + keyring.byId.values.filter { $0.keyId != keyring.current?.keyId }
        }
    }

    static func isSealed(_ stored: String) -> Bool { stored.hasPrefix(prefix) }

    static func seal(_ plaintext: String, with keys: AtRestKeys? = nil) throws -> String {
        let keys = try keys ?? current()
        return prefix + keys.keyId + ":" + (try SM4.seal(Data(plaintext.utf8), with: keys.fields)).base64EncodedString()
    }

    /// Opens with the installed key the value names, or with `keys` when given.
    static func open(_ stored: String, with keys: AtRestKeys? = nil) throws -> String {
        guard stored.hasPrefix(prefix) else { throw AtRestError(.malformed, "存储的值不是加密格式") }
        let rest = stored.dropFirst(prefix.count)
        guard let colon = rest.firstIndex(of: ":"), let sealed = Data(base64Encoded: String(rest[rest.index(after: colon)...])) else {
            throw AtRestError(.malformed, "存储的加密值格式损坏")
        }
        return String(decoding: try open(sealed, keyId: String(rest[..<colon]), with: keys), as: UTF8.self)
    }

    /// Bytes (document files): the same header as text, `zx-sm4:1:<keyId>:`, then the raw seal.
    static func sealBytes(_ plaintext: Data) throws -> Data {
        let keys = try current()
        return Data((prefix + keys.keyId + ":").utf8) + (try SM4.seal(plaintext, with: keys.fields))
    }

    static func openBytes(_ stored: Data) throws -> Data {
        let headerLength = prefix.utf8.count + 9
        guard stored.count > headerLength, let header = String(data: stored.prefix(headerLength), encoding: .utf8),
            header.hasPrefix(prefix), header.hasSuffix(":")
        else { throw AtRestError(.malformed, "存储的加密文件格式损坏") }
        return try open(Data(stored.dropFirst(headerLength)), keyId: String(header.dropFirst(prefix.count).dropLast()), with: nil)
    }

    private static func open(_ sealed: Data, keyId: String, with keys: AtRestKeys?) throws -> Data {
        let key: AtRestKeys?
        if let keys { key = keys.keyId == keyId ? keys : nil } else { key = installed(keyId: keyId) }
        guard let key else {
            throw AtRestError(.wrongKey, "该数据由另一主密钥(标识 \(keyId))加密,当前主密钥不符:请检查 ZHENGXIN_MASTER_KEY 或主密钥文件")
        }
        do {
            return try SM4.open(sealed, with: key.fields)
        } catch {
            throw AtRestError(.tampered, "存储的加密数据校验失败,可能已被篡改")
        }
    }
}
