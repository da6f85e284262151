import Foundation
import Testing
import Vapor

@testable import ZhengxinServer

/// The benchmark measures every GET route a user reaches (scripts/bench/routes.py over
/// scripts/bench/routes.tsv): a route added without a row there fails here, as a route without a row
/// in the authorisation matrix fails AuthorisationMatrixTests.
@Suite("Benchmark route coverage")
struct BenchRouteCoverageTests {
    static var table: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/bench/routes.tsv")
    }

    struct Row { var route: String; var path: String; var roles: [String] }

    static func rows() throws -> [Row] {
        try String(contentsOf: table, encoding: .utf8).split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), !line.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == 3 else { return Row(route: "malformed: \(line)", path: "", roles: []) }
            return Row(route: cells[0], path: cells[1], roles: cells[2].split(separator: ",").map(String.init))
        }
    }

    @Test("every GET route has a benchmark row, and every row names a route that exists")
    func everyGetRouteIsMeasured() async throws {
        try await TestWorld.with(.sqlite) { world in
            let rows = try Self.rows()
            #expect(!rows.contains { $0.route.hasPrefix("malformed") }, "\(rows.filter { $0.route.hasPrefix("malformed") }.map(\.route))")
            let routes = Set(
                world.app.routes.all.filter { $0.method == .GET }.map { route in
                    "GET /" + route.path.map { $0.description.hasPrefix(":") ? "*" : $0.description }.joined(separator: "/")
                })
            let measured = Set(rows.map(\.route))
            #expect(routes.subtracting(measured).isEmpty, "GET routes without a benchmark row: \(routes.subtracting(measured).sorted())")
            #expect(measured.subtracting(routes).isEmpty, "benchmark rows naming no route: \(measured.subtracting(routes).sorted())")
            let roles: Set<String> = ["drc", "unit", "vendor", "sysadmin", "auditadmin", "anon"]
            #expect(rows.allSatisfy { !$0.roles.isEmpty && Set($0.roles).isSubset(of: roles) && $0.path.hasPrefix("/") })
        }
    }
}
