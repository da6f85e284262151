import Fluent
import Foundation
import Vapor
import ZhengxinCore

/// `zhengxin verify-decision --file export.json [--keys keys.json]`: checks signed decisions (one,
/// or the list `GET /api/v1/projects/{id}/decisions` returns) against the agency key registry: the
/// pinned copy given with `--keys` (no database needed), else the database's. DecisionVerification
/// says what must hold; a key embedded in the file is never trusted.
struct VerifyDecisionCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "file", help: "导出的决定文件 (JSON)") var file: String?
        @Option(name: "keys", help: "钉选的签名密钥登记册 (export-signing-keys 的输出); 缺省时读数据库") var keys: String?
    }

    var help: String { "按机构签名密钥登记册验证决定的SM2签名 (verify exported decisions against the key registry)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let path = signature.file, let data = FileManager.default.contents(atPath: path) else {
            context.console.error("用法: zhengxin verify-decision --file <导出文件.json> [--keys <登记册.json>]")
            throw ExitCode(2)
        }
        let registry: SigningKeyRegistry
        let source: String
        if let keysPath = signature.keys {
            guard let keys = FileManager.default.contents(atPath: keysPath) else {
                context.console.error("无法读取签名密钥登记册文件 \(keysPath)")
                throw ExitCode(2)
            }
            do { registry = try SigningKeyRegistry.read(keys) } catch {
                context.console.error("\(error)")
                throw ExitCode(2)
            }
            source = "文件 \(keysPath)"
        } else {
            registry = try await SigningKeyRegistry.load(on: context.application.db, at: context.application.zhengxin.now())
            source = "数据库"
        }
        let results = DecisionVerification.check(data, against: registry, source: source)
        for line in results.lines { context.console.print(line) }
        if !results.allValid { throw ExitCode(1) }
    }
}

/// `zhengxin export-signing-keys [--to keys.json]`: the registry's public keys and fingerprints
/// (never a private key), for an auditor to pin and verify against offline.
struct ExportSigningKeysCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "to", help: "输出文件; 缺省时打印") var to: String?
    }

    var help: String { "导出机构签名密钥登记册(公钥与指纹) (export the signing key registry)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let registry = try await SigningKeyRegistry.load(on: app.db, at: app.zhengxin.now())
        let data = try registry.fileData()
        guard let path = signature.to else {
            context.console.print(String(decoding: data, as: UTF8.self))
            return
        }
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            context.console.error("无法写入 \(path)")
            throw ExitCode(1)
        }
        context.console.print("已导出 \(registry.keys.count) 个签名公钥到 \(path)")
        for key in registry.keys {
            context.console.print("  \(key.fingerprint) 「\(key.organisationName)」 \(key.validityText)")
        }
    }
}

/// `zhengxin rotate-signing-key --org <名称或 id>`: retires the agency's current key (kept, with a
/// valid-until, for the decisions it signed) and makes the key its next decisions are signed with.
struct RotateSigningKeyCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "org", help: "机构名称或 id") var organisation: String?
    }

    var help: String { "轮换机构的决定签名密钥 (rotate an agency's signing key)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let ref = signature.organisation, !ref.isEmpty else {
            context.console.error("用法: zhengxin rotate-signing-key --org <机构名称或 id>")
            throw ExitCode(2)
        }
        let app = context.application
        var found: OrganisationModel?
        if let id = UUID(uuidString: ref) { found = try await OrganisationModel.find(id, on: app.db) }
        if found == nil { found = try await OrganisationModel.query(on: app.db).filter(\.$name == ref).first() }
        guard let org = found else {
            context.console.error("机构不存在: \(ref)")
            throw ExitCode(1)
        }
        do {
            let rotation = try await SigningKeyRotation.rotate(org, by: nil, client: "cli", app: app)
            if let retired = rotation.retired {
                context.console.print("已停用旧密钥 \(retired.fingerprint) (有效期 \(retired.validityText)),保留用于验证其已签决定")
            }
            context.console.print(
                "「\(org.name)」的新签名密钥 \(rotation.current.fingerprint) 自 \(SigningTime.text(rotation.current.validFrom)) 起生效")
        } catch let error as APIError {
            context.console.error(error.message)
            throw ExitCode(1)
        }
    }
}
