import Foundation
import Vapor

/// Views (Resources/Views) and static files (Public/) sit at the package root. Vapor looks in the
/// working directory, which is the root for `scripts/run.sh` and `swift test`; when the binary is
/// started from elsewhere, ZHENGXIN_WEB_ROOT or the source tree it was built from is used instead.
enum WebDirectories {
    static func locate(_ app: Application) {
        let fm = FileManager.default
        let hasViews = { (root: String) in fm.fileExists(atPath: root + "Resources/Views/layout.leaf") }
        guard !hasViews(app.directory.workingDirectory) else { return }
        let candidates = [ProcessInfo.processInfo.environment["ZHENGXIN_WEB_ROOT"], packageRoot].compactMap { $0 }
            .map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        if let root = candidates.first(where: hasViews) { app.directory = DirectoryConfiguration(workingDirectory: root) }
    }

    /// The package root this file was compiled in (Sources/ZhengxinServer/Web/Foundation/ → root).
    static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }
}
