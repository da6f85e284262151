import Foundation
import Vapor

/// Where the master key is and where it must be kept: never in a backup, so a stolen backup
/// opens nothing sealed (GB/T 39786-2021 8.5 密钥管理).
private func masterKeyNotice(dataDirectory: String) -> String {
    let source =
        (ProcessInfo.processInfo.environment[MasterKey.environmentVariable] ?? "").isEmpty
        ? "主密钥文件 \(dataDirectory)/\(MasterKey.fileName)" : "环境变量 \(MasterKey.environmentVariable)"
    return "主密钥(\(source))不在备份中: 请另行保存在运维人员的密钥保管处(密钥库),与备份分开存放;恢复时须在新环境提供同一主密钥"
}

/// `zhengxin backup --to DIR`
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "to", help: "备份目录(新的空目录)") var to: String?
    }

    var help: String { "备份数据库与文档库 (back up the database and documents while the server runs)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let directory = signature.to, !directory.isEmpty else {
            context.console.error("用法: zhengxin backup --to <目录>")
            throw ExitCode(2)
        }
        let app = context.application
        do {
            let manifest = try await Backup.run(app, to: directory)
            let rows = manifest.tables.values.reduce(0, +)
            let head = manifest.auditHead.map { "第\($0.seq)条 \($0.hash.prefix(16))…" } ?? "无"
            context.console.print(
                "已备份到 \(directory): \(manifest.backend), \(manifest.tables.count) 张表共 \(rows) 行, 文档 \(manifest.documentFiles) 个, 审计链头 \(head)"
            )
            context.console.print("清单 \(directory)/\(BackupManifest.fileName) 记有 \(manifest.files.count) 个文件的SM3摘要")
            context.console.print(masterKeyNotice(dataDirectory: app.zhengxin.config.dataDirectory))
        } catch let error as OperationsError {
            context.console.error(error.description)
            throw ExitCode(1)
        }
    }
}

/// `zhengxin restore --from DIR`
struct RestoreCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "from", help: "备份目录") var from: String?
    }

    var help: String { "从备份恢复到空数据库 (restore a backup into an empty database)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let directory = signature.from, !directory.isEmpty else {
            context.console.error("用法: zhengxin restore --from <目录>")
            throw ExitCode(2)
        }
        let app = context.application
        do {
            let outcome = try await Restore.run(app, from: directory)
            context.console.print("已恢复 \(directory)(备份于 \(outcome.manifest.createdAt)): 各表行数与审计链头均与清单一致")
            context.console.print(outcome.auditMessage)
        } catch let error as OperationsError {
            context.console.error(error.description)
            if error.code == "RESTORE_AUDIT_FAILED" || error.code == "RESTORE_MISMATCH" {
                context.console.error(masterKeyNotice(dataDirectory: app.zhengxin.config.dataDirectory))
            }
            throw ExitCode(1)
        }
    }
}
