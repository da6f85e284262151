import Fluent
import SQLKit

/// What a migration moved, in the log: an operator upgrading a database sees each table filled
/// or rewritten from existing rows and how many rows that was, and can compare it with the data
/// (the upgrade test reads these lines back). One line per table, `<migration>: <what> 回填 N 行`.
enum MigrationLog {
    /// Rows of `table` matching `condition` (raw SQL), read for the log line.
    static func count(_ table: String, where condition: String? = nil, on database: Database) async throws -> Int64 {
        let filter = condition.map { " WHERE \($0)" } ?? ""
        let rows = try await PlainRows.all(SQLQueryString("SELECT COUNT(*) FROM \(unsafeRaw: table)\(unsafeRaw: filter)"), on: database)
        return try rows.first?.int64(0) ?? 0
    }

    static func moved(_ migration: any Migration, _ what: String, _ rows: Int64, on database: Database) {
        database.logger.info(
            "\(message(migration, what, rows))", metadata: ["migration": .string(migration.name), "rows": .stringConvertible(rows)])
    }

    static func message(_ migration: any Migration, _ what: String, _ rows: Int64) -> String {
        "\(migration.name.split(separator: ".").last.map(String.init) ?? migration.name): \(what) 回填 \(rows) 行"
    }
}
