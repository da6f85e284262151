import Foundation
import SQLKit

extension SQLBind {
    /// `(?, ?, …)` with each id bound, for `WHERE id IN` over a page or chunk of ids.
    static func ids(_ ids: some Collection<UUID>) -> any SQLExpression {
        SQLBind.group(ids.map { $0 as any Encodable & Sendable })
    }
}
