import NIOCore
import NIOPosix
import Vapor
import ZhengxinServer

#if canImport(Glibc)
    import Glibc
#endif

// Thin entry point: `zhengxin serve | migrate | seed-demo | create-org | create-user | audit-verify | scan | ...`.
// Swift concurrency's jobs run on NIO's event loops, where the requests already are, instead of in a
// pool of their own: a database answer resumes its request without one more thread hand-off
// (measured before and after in docs/performance.md).
// First, before anything asynchronous, as NIO requires; if it cannot, Swift's own pool stays.
_ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
var env = try Environment.detect()
try ServerLogging.bootstrap(from: &env)  // console lines, or JSON lines with ZHENGXIN_LOG_FORMAT=json
let app = try await Application.make(env)
var status: Int32 = 0
do {
    try await configure(app, config: AppConfig.fromEnvironment())
    try await app.execute()
} catch let failure as ExitCode {
    // The command has said what went wrong; exit with its code instead of a crash report.
    status = failure.code
} catch {
    app.logger.report(error: error)
    status = 1
}
try? await app.asyncShutdown()
exit(status != 0 ? status : ExitCode.requested)
