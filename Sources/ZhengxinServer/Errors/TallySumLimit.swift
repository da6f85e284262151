import PostgresNIO
import SQLKit
import SQLiteNIO
import Vapor
import ZhengxinCore

/// The report's tallies keep each (unit, stage, plan year, tier, 涉密) group's amounts summed in 64
/// bits (AddProjectTallies). One amount is bounded by Policy.maximumAmount (10万亿元), their sum is
/// not: ~9,224 declarations at that bound in one group would pass Int64. The write that would carry a
/// group past it is refused, as any bad input is: a stable code, a Chinese message, nothing changed.
/// Groups of different units are added only when read (`Sum`), so that the city's figures never fail
/// on the sum of many units; past Int64 they show the largest amount.
enum TallySumLimit {
    /// What SQLite's trigger raises (PostgreSQL's BIGINT addition raises 22003 by itself).
    static let marker = "zhengxin: project_tallies sum out of range"

    static let refusal = APIError(
        status: .unprocessableEntity, code: "AMOUNT_TOTAL_OUT_OF_RANGE",
        message: "本单位同一阶段、计划年度和层级的项目金额合计将超出系统可记录的范围(92,233,720,368,547,758.07元),操作未执行")

    /// Whether `error` is a tally's sum refused by the database, on either backend.
    static func refused(_ error: any Error) -> Bool {
        if let sqlite = error as? SQLiteError { return sqlite.message.contains(marker) }
        if let postgres = error as? PSQLError, let info = postgres.serverInfo {
            return info[.sqlState] == "22003" && (info[.locationContext] ?? "").contains("project_tallies_follow")
        }
        return false
    }

    /// SQLite's SUM refuses a 64-bit overflow ("integer overflow"); the query is then asked again split.
    static func sqliteSumOverflowed(_ error: any Error) -> Bool {
        (error as? SQLiteError)?.message.contains("integer overflow") == true
    }

    /// `, <high>, <low>`: the sum of a column of amounts in fen as two parts, value = high × 10⁹ + low.
    /// PostgreSQL sums BIGINT exactly (as numeric) and the sum is capped at the largest amount: high 0.
    /// SQLite sums in 64 bits, the one pass costing nothing extra; `split` sums `x / 10⁹` and `x % 10⁹`,
    /// which cannot pass Int64 however many groups are added (each part of a group is below 10¹⁰).
    struct Sum: SQLExpression {
        var column: String
        var split: Bool

        func serialize(to serializer: inout SQLSerializer) {
            if serializer.dialect.name == "postgresql" {
                serializer.write(", 0, LEAST(SUM(\(column)), \(Int64.max))::BIGINT")
            } else if split {
                serializer.write(", CAST(SUM(\(column) / \(unit)) AS BIGINT), CAST(SUM(\(column) % \(unit)) AS BIGINT)")
            } else {
                serializer.write(", 0, CAST(SUM(\(column)) AS BIGINT)")
            }
        }
    }

    /// The amount from its two parts, the largest amount where it passes Int64.
    static func joined(_ high: Int64, _ low: Int64) -> Fen {
        let (scaled, overflow) = high.multipliedReportingOverflow(by: unit)
        guard !overflow else { return Fen(Int64.max) }
        return Fen(scaled).adding(Fen(low)) ?? Fen(Int64.max)
    }

    private static let unit: Int64 = 1_000_000_000
}
