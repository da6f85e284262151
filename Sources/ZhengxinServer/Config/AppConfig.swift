import Foundation
import ZhengxinCore

/// All configuration, read from the environment in one place, with defaults that work on a
/// first run: an SQLite file under ./data.
public struct AppConfig: Sendable {
    public enum DatabaseChoice: Sendable {
        case sqliteFile(String)
        case sqliteMemory
        case postgres(url: String)
    }

    public var database: DatabaseChoice
    public var dataDirectory: String
    /// Sessions expire after this many seconds (bearer tokens).
    public var sessionLifetimeSeconds: Int64
    /// bcrypt work factor; tests lower it to keep the suite fast.
    public var bcryptCost: Int
    /// Largest document upload, in bytes.
    public var maxUploadBytes: Int
    /// Whether `serve` runs the daily deadline scan (off in tests, which scan by hand).
    public var dailyScan: Bool
    /// Authentication controls (GB/T 22239-2019 8.1.4.1): password rules, lockout, idle timeout.
    public var authentication: AuthenticationSettings
    /// SQLite commit durability: FULL (the default) fsyncs every commit, so a signed decision
    /// that was answered survives a power loss; NORMAL (`ZHENGXIN_SQLITE_SYNCHRONOUS=NORMAL`)
    /// fsyncs at WAL checkpoints only — several times the write rate, but the last commits may
    /// be lost on power loss (never on a crash of the process). PostgreSQL has its own setting.
    public var sqliteSynchronous: SQLiteSynchronous = .full
    /// `ZHENGXIN_METRICS_TOKEN`: a scraper presenting it as a bearer token reads /metrics from
    /// anywhere; without it only this machine may (MetricsAccess).
    public var metricsToken: String? = nil
    /// `ZHENGXIN_CONNECTION_IDLE_SECONDS` (1 to 86,400): a connection on which nothing was read or
    /// written for this long is closed, so abandoned and idle keep-alive connections do not hold the
    /// server's sockets for ever. A response is one write that ends when the client has taken all of
    /// it, so the bound must leave a slow client time for the largest download: 20 MiB in 300 s is
    /// 0.56 Mbit/s. Longer than the 60 s for which nginx keeps an idle upstream connection
    /// (deploy/nginx), so the proxy closes those first and never sends a request on one the server
    /// is closing. A client trickling a byte now and then is the TLS proxy's to bound (docs/security.md).
    public var connectionIdleSeconds: Int64 = 300

    /// SQLite's `PRAGMA synchronous` levels Zhengxin offers; the raw value is the pragma's word.
    public enum SQLiteSynchronous: String, Sendable { case full = "FULL", normal = "NORMAL" }

    public init(
        database: DatabaseChoice, dataDirectory: String, sessionLifetimeSeconds: Int64 = 8 * 3600,
        bcryptCost: Int = 12, maxUploadBytes: Int = 20 * 1024 * 1024, dailyScan: Bool = false,
        authentication: AuthenticationSettings = AuthenticationSettings()
    ) {
        self.authentication = authentication
        self.dailyScan = dailyScan
        self.database = database
        self.dataDirectory = dataDirectory
        self.sessionLifetimeSeconds = sessionLifetimeSeconds
        self.bcryptCost = bcryptCost
        self.maxUploadBytes = maxUploadBytes
    }

    /// DATABASE_URL (postgres://...) switches to PostgreSQL; otherwise SQLite at
    /// $ZHENGXIN_DATA_DIR/zhengxin.sqlite (default ./data).
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> AppConfig {
        let dataDir = env["ZHENGXIN_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? FileManager.default.currentDirectoryPath + "/data"
        let database: DatabaseChoice
        if let url = env["DATABASE_URL"], url.hasPrefix("postgres") {
            database = .postgres(url: url)
        } else {
            database = .sqliteFile(dataDir + "/zhengxin.sqlite")
        }
        var config = AppConfig(
            database: database, dataDirectory: dataDir,
            sessionLifetimeSeconds: env["ZHENGXIN_SESSION_SECONDS"].flatMap(Int64.init) ?? 8 * 3600,
            bcryptCost: env["ZHENGXIN_BCRYPT_COST"].flatMap(Int.init) ?? 12,
            maxUploadBytes: env["ZHENGXIN_MAX_UPLOAD_BYTES"].flatMap(Int.init) ?? 20 * 1024 * 1024,
            dailyScan: env["ZHENGXIN_DAILY_SCAN"] != "0",
            authentication: AuthenticationSettings.fromEnvironment(env))
        if env["ZHENGXIN_SQLITE_SYNCHRONOUS"]?.uppercased() == "NORMAL" { config.sqliteSynchronous = .normal }
        config.metricsToken = env["ZHENGXIN_METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if let idle = env["ZHENGXIN_CONNECTION_IDLE_SECONDS"].flatMap(Int64.init), (1...86_400).contains(idle) {
            config.connectionIdleSeconds = idle
        }
        return config
    }
}
