import Foundation
import Vapor

/// A request's URL query parameters, parsed once. Vapor's `req.query[_, at:]` decodes the whole
/// query string again on every call: the nine parameters of a project list read that way parse
/// it nine times for every list request. Form encoding as browsers send it: `+` is a space, `%XX` a
/// byte; a malformed escape is kept as written; of a repeated name the first counts.
struct URLParameters: Sendable {
    private let values: [String: String]

    init(_ req: Request) { self.init(query: req.url.query) }

    init(query: String?) {
        var values: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decoded(parts[0])
            if values[name] == nil { values[name] = parts.count > 1 ? Self.decoded(parts[1]) : "" }
        }
        self.values = values
    }

    subscript(name: String) -> String? { values[name] }

    private static func decoded(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
