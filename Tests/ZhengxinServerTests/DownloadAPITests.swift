import Fluent
import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// The pages' files on the API with a bearer token (DownloadRoutes): the same bytes and the same
/// scope as the pages, and the API's JSON errors.
@Suite("Downloads on the API")
struct DownloadAPITests {
    @Test("a decision's PDF: its project's readers get it; another unit gets what an unknown id gets", arguments: Backend.all)
    func decisionPDF(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            let plan = try #require(
                try await DecisionSignatureModel.query(on: world.app.db).filter(\.$action == "issue-fund-plan").first())
            let path = "/api/v1/projects/\(w.projectId)/decisions/\(try plan.requireID().uuidString.lowercased()).pdf"
            for reader in ["unitA", "fin", "drc"] {
                let reply = try await world.call(.GET, path, as: reader)
                #expect(reply.status == .ok && String(buffer: reply.raw).hasPrefix("%PDF-"), "\(reader)")
            }
            let unknown = try await world.call(.GET, "/api/v1/projects/\(w.projectId)/decisions/\(UUID().uuidString).pdf", as: "unitB")
            let other = try await world.call(.GET, path, as: "unitB")
            #expect(unknown.status == .notFound && other.status == .notFound)
            #expect(String(buffer: other.raw) == String(buffer: unknown.raw))
            #expect(other.errorCode == "NOT_FOUND" && !String(buffer: other.raw).contains("全民健康"))
            #expect(try await world.call(.GET, path).status == .unauthorized)
            #expect(try await world.call(.GET, path, as: "adminAud").status == .forbidden)
        }
    }

    @Test("reports and the project list: CSV and .xlsx in the caller's scope; vendors 403 with the reason", arguments: Backend.all)
    func reportsAndList(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            let code = try #require(try await ProjectRow.find(UUID(uuidString: w.projectId)!, on: world.app.db)?.code)

            let csv = try await world.call(.GET, "/api/v1/reports/by-stage.csv", as: "unitA")
            #expect(csv.status == .ok && Array(csv.raw.readableBytesView.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let stages = try XLSXReader(Data(buffer: try await world.call(.GET, "/api/v1/reports/by-stage.xlsx", as: "unitA").raw))
            #expect(stages.sheets.first?.frozenRows == 1)

            let mine = try XLSXReader(Data(buffer: try await world.call(.GET, "/api/v1/projects.xlsx", as: "unitA").raw))
            let codes =
                (mine.sheets.first?.rows.values.compactMap { row -> String? in
                    if case .text(let text)? = row[0]?.value { return text }
                    return nil
                }) ?? []
            #expect(codes.contains(code))
            let theirs = try XLSXReader(Data(buffer: try await world.call(.GET, "/api/v1/projects.xlsx", as: "unitB").raw))
            #expect(
                !(theirs.sheets.first?.rows.values.contains { row in
                    if case .text(let text)? = row[0]?.value { return text == code }
                    return false
                } ?? true), "another unit's list holds none of unitA's projects")

            let vendor = try await world.call(.GET, "/api/v1/reports/overdue.xlsx", as: "vendor")
            #expect(vendor.status == .forbidden && vendor.errorCode == "FORBIDDEN")
            let badYear = try await world.call(.GET, "/api/v1/reports/by-unit.csv?year=99999", as: "drc")
            #expect(badYear.status == .badRequest && badYear.violations.first?["field"] as? String == "year")
        }
    }
}
