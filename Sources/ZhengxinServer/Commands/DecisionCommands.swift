import Foundation
import Vapor

/// `zhengxin verify-decision --file export.json`: checks signed decisions offline, from the export
/// alone (one decision or the list `GET /api/v1/projects/{id}/decisions` returns). Needs no database.
struct VerifyDecisionCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "file", help: "导出的决定文件 (JSON)") var file: String?
    }

    var help: String { "离线验证决定的SM2签名 (verify exported decision signatures offline)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let path = signature.file, let data = FileManager.default.contents(atPath: path) else {
            context.console.error("用法: zhengxin verify-decision --file <导出文件.json>")
            throw ExitCode(2)
        }
        let results = DecisionVerification.check(data)
        for line in results.lines { context.console.print(line) }
        if !results.allValid { throw ExitCode(1) }
    }
}

/// The CLI's logic, separate so tests run exactly this path.
enum DecisionVerification {
    struct Results {
        var lines: [String]
        var allValid: Bool
    }

    static func check(_ data: Data) -> Results {
        let decoder = JSONDecoder()
        let decisions: [SignedDecisionExport]
        if let list = try? decoder.decode([SignedDecisionExport].self, from: data) {
            decisions = list
        } else if let one = try? decoder.decode(SignedDecisionExport.self, from: data) {
            decisions = [one]
        } else {
            return Results(lines: ["无效: 文件不是决定导出格式(需含 document、signature、publicKey)"], allValid: false)
        }
        guard !decisions.isEmpty else { return Results(lines: ["无效: 文件中没有决定"], allValid: false) }
        var lines: [String] = []
        for d in decisions {
            let verdict = d.isValid ? "有效" : "无效"
            lines.append("\(verdict): \(d.action) 审计序号\(d.auditSeq) 机构\(d.organisationId.uuidString) 公钥指纹(SM3) \(d.publicKeyFingerprint)")
        }
        return Results(lines: lines, allValid: decisions.allSatisfy(\.isValid))
    }
}
