import Vapor
import ZhengxinBench
import ZhengxinServer

#if canImport(Glibc)
    import Glibc
#endif

// `zhengxin-bench seed --projects N [--seed S] [--units 50] [--today YYYY-MM-DD]`: the benchmark's
// portfolio generator, on the server's configuration (ZHENGXIN_DATA_DIR, DATABASE_URL) and an empty,
// migrated database (`zhengxin migrate`). A program of its own, so the server does not carry it.
var env = try Environment.detect()
try LoggingSystem.bootstrap(from: &env)
let app = try await Application.make(env)
var status: Int32 = 0
do {
    var config = AppConfig.fromEnvironment()
    config.dailyScan = false  // a generator never sweeps; its chunks would race the scan's writes
    try await configure(app, config: config)
    // Only the generator: serving and the server's commands are `zhengxin`'s.
    app.commands = Commands()
    app.asyncCommands = AsyncCommands()
    app.asyncCommands.use(SeedBenchCommand(), as: "seed")
    try await app.execute()
} catch let failure as ExitCode {
    status = failure.code
} catch {
    app.logger.report(error: error)
    status = 1
}
try? await app.asyncShutdown()
exit(status)
