import Foundation
import Logging
import Vapor

/// How the process logs: Vapor's console lines, or with `ZHENGXIN_LOG_FORMAT=json` one JSON object
/// per line (JSONLogHandler). The level is Vapor's as ever (`--log`, `LOG_LEVEL`). Once per process:
/// the entry point calls it; tests never do, each builds the loggers it reads.
public enum ServerLogging {
    public static func bootstrap(from environment: inout Environment, variables: [String: String] = ProcessInfo.processInfo.environment)
        throws
    {
        guard variables["ZHENGXIN_LOG_FORMAT"]?.lowercased() == "json" else {
            try LoggingSystem.bootstrap(from: &environment)
            return
        }
        try LoggingSystem.bootstrap(from: &environment) { level in
            { label in JSONLogHandler(label: label, level: level) }
        }
    }
}
