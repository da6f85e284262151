import Foundation
import NIOConcurrencyHelpers
import Vapor
import ZhengxinCore
import ZhengxinServer

/// `zhengxin-bench seed --projects N [--seed S] [--units 50] [--today 2026-11-01]`: on an empty
/// database, a realistic portfolio for the benchmark (docs/performance.md), the same for the same seed.
package struct SeedBenchCommand: AsyncCommand {
    package struct Signature: CommandSignature {
        @Option(name: "projects", help: "项目数 (number of projects)") var projects: Int?
        @Option(name: "seed", help: "随机种子,相同种子生成相同数据 (seed)") var seed: Int?
        @Option(name: "units", help: "项目单位数,至多50 (units, at most 50)") var units: Int?
        @Option(name: "today", help: "数据截止日期 YYYY-MM-DD (the portfolio's today)") var today: String?
        package init() {}
    }

    package init() {}

    package var help: String { "生成压测用项目组合(仅在空数据库上) (seed a benchmark portfolio on an empty database)" }

    static let defaultToday = CivilDate(2026, 11, 1)

    struct InvalidOption: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    package func run(using context: CommandContext, signature: Signature) async throws {
        let count = signature.projects ?? 10_000
        let units = signature.units ?? 50
        guard count > 0, (2...50).contains(units) else {
            throw InvalidOption(message: "项目数须大于0,项目单位数须在2至50之间")
        }
        guard let today = signature.today.map({ CivilDate(iso: $0) }) ?? Self.defaultToday else {
            throw InvalidOption(message: "日期格式应为 YYYY-MM-DD")
        }
        let started = Date()
        let console = context.console
        let lastShown = NIOLockedValueBox(0)
        let summary = try await BenchPortfolio.seed(
            context.application, projects: count, seed: UInt64(signature.seed ?? 1), units: units, today: today,
            yieldToWriter: true
        ) { done in
            let show = lastShown.withLockedValue { last in
                guard done - last >= 10_000 || done == count else { return false }
                last = done
                return true
            }
            if show { console.print("  已写入\(done)个项目 (\(Int(Date().timeIntervalSince(started)))秒)") }
        }
        let seconds = Date().timeIntervalSince(started)
        let perMinute = Int(Double(summary.projects) / max(seconds, 0.001) * 60)
        console.print(
            "已生成压测数据: \(summary.projects)个项目, \(summary.auditEntries)条审计记录, \(summary.reminders)条提醒, "
                + "用时\(String(format: "%.1f", seconds))秒 (每分钟\(perMinute)个项目); 审计链末端哈希 \(summary.lastHash)")
    }
}
