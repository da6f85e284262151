import Fluent
import Vapor
import ZhengxinCore

/// Sharing figures and catalog exports (R-SHR-4, R-SHR-5).
struct SharingController {
    func register(_ routes: RoutesBuilder) {}
}
