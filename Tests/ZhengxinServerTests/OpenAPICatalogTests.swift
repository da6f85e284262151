import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// The OpenAPI document describes every action of the catalog.
@Suite("OpenAPI document")
struct OpenAPICatalogTests {
    @Test("OpenAPI describes every action of the catalog")
    func openAPI() async throws {
        try await TestWorld.with(.sqlite) { world in
            let doc = try await world.call(.GET, "/api/v1/openapi.json")
            #expect(doc["openapi"] as? String == "3.0.3")
            let paths = doc["paths"] as? [String: Any] ?? [:]
            for rule in Lifecycle.catalog where rule.spec.name != "attach-document" {
                #expect(paths["/api/v1/projects/{projectId}/actions/\(rule.spec.name)"] != nil, "\(rule.spec.name)")
                #expect(PayloadSchemas.actions[rule.spec.name] != nil, "\(rule.spec.name)")
            }
            #expect(paths["/api/v1/projects/{projectId}/documents"] != nil)
        }
    }
}
