import Foundation

/// pg_dump and pg_restore run as child processes against the configured database. The password
/// goes to them in PGPASSWORD, never on the command line, where `ps` would show it to every user.
struct PostgresTools: Sendable {
    static let defaultDirectory = "/usr/lib/postgresql/15/bin"

    let host: String
    let port: Int
    let user: String
    let password: String?
    let database: String
    let sslMode: String?
    /// Where pg_dump and pg_restore are: `ZHENGXIN_PG_BIN`, else the PostgreSQL 15 packages' place.
    let binDirectory: String

    init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let parts = URLComponents(string: url), let host = parts.host, !parts.path.isEmpty else {
            throw OperationsError("PG_URL_INVALID", "PostgreSQL 连接地址无法解析")
        }
        self.host = host
        port = parts.port ?? 5432
        user = parts.user ?? "postgres"
        password = parts.password?.removingPercentEncoding ?? parts.password
        database = String(parts.path.dropFirst())
        sslMode = parts.queryItems?.first { $0.name == "sslmode" }?.value
        binDirectory = environment["ZHENGXIN_PG_BIN"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultDirectory
    }

    private var connectionArguments: [String] {
        ["--host", host, "--port", String(port), "--username", user, "--no-password", "--dbname", database]
    }

    /// A custom-format dump of the database as of `snapshot` (an exported snapshot held open by the caller).
    func dump(to file: String, snapshot: String?) async throws {
        var arguments = connectionArguments + ["--format=custom", "--no-owner", "--no-privileges", "--file", file]
        if let snapshot { arguments.append("--snapshot=\(snapshot)") }
        try await run("pg_dump", arguments)
    }

    /// Restores a custom-format dump in one transaction: on any error nothing of it stays.
    func restore(from file: String) async throws {
        try await run(
            "pg_restore", connectionArguments + ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", file])
    }

    private func run(_ tool: String, _ arguments: [String]) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binDirectory + "/" + tool)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = password
        if let sslMode { environment["PGSSLMODE"] = sslMode }
        process.environment = environment
        // Errors go to a file, not a pipe: a tool writing more than a pipe holds would wait for a
        // reader that only reads after it exits.
        let errorsPath = NSTemporaryDirectory() + "zhengxin-\(tool)-\(UUID().uuidString).err"
        guard FileManager.default.createFile(atPath: errorsPath, contents: nil), let errors = FileHandle(forWritingAtPath: errorsPath)
        else {
            throw OperationsError("PG_TOOL_FAILED", "无法为 \(tool) 创建错误输出文件")
        }
        defer { try? errors.close(); try? FileManager.default.removeItem(atPath: errorsPath) }
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: OperationsError("PG_TOOL_FAILED", "无法运行 \(tool)(\(binDirectory)): \(error)"))
            }
        }
        let text = String(decoding: FileManager.default.contents(atPath: errorsPath) ?? Data(), as: UTF8.self)
        guard status == 0 else {
            throw OperationsError(
                "PG_TOOL_FAILED", "\(tool) 失败(退出码 \(status))", details: text.split(separator: "\n").prefix(20).map(String.init))
        }
    }
}
