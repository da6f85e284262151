import Foundation
import Testing
import Vapor
@testable import ZhengxinServer
import ZhengxinCore

/// Conflicting requests on one project, the audit chain, documents and the API description.
@Suite("Concurrency, audit record, documents, OpenAPI")
struct ConcurrencyAndAuditTests {
    @Test("two simultaneous conflicting actions: exactly one wins, nothing half-written", arguments: Backend.all)
    func concurrentDisbursements(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            // Plans are half the budget, a quarter already paid: two payments of 60% of what remains cannot both fit.
            let remaining: Int64 = 800_000_000 / 2 - 800_000_000 / 4
            let amount = remaining * 6 / 10
            let before = try await world.call(.GET, "/api/v1/projects/\(w.projectId)/audit", as: "aud").array.count
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for i in 0..<2 {
                    group.addTask {
                        try await world.act(w.projectId, "disburse", as: "fin", ["amountFen": amount, "paidOn": "2026-03-02", "voucherNumber": "RACE-\(i)"]).status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1)
            #expect(statuses.filter { $0 == .unprocessableEntity }.count == 1)
            let view = try await w.project()
            #expect((view.project["disbursements"] as? [Any])?.count == 2)
            let audit = try await world.call(.GET, "/api/v1/projects/\(w.projectId)/audit", as: "aud").array.compactMap { $0 as? [String: Any] }
            #expect(audit.count == before + 2)
            #expect(audit.suffix(2).compactMap { $0["result"] as? String }.sorted() == ["accepted", "refused"])

            // Two declarations of one draft at once: one wins, the other is out of order.
            var d = Walk(world)
            try await d.create(Walk.draft(yuan: 1_000_000, source: "municipalDecision"))
            let draftId = d.projectId
            let declares = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<2 { group.addTask { try await world.act(draftId, "declare", as: "unitA").status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(declares.sorted { $0.code < $1.code } == [.ok, .conflict])
            #expect(try await AuditRecorder.verify(on: world.app.db).firstBroken == nil)
        }
    }

    @Test("the audit chain detects an edited entry", arguments: Backend.all)
    func tamperEvidence(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            try await world.must(w.projectId, "declare", as: "unitA")
            #expect(try await AuditRecorder.verify(on: world.app.db).firstBroken == nil)
            let entry = try await AuditEntryModel.query(on: world.app.db).sort(\.$seq).first()!
            entry.summary = "篡改"
            try await entry.update(on: world.app.db)
            #expect(try await AuditRecorder.verify(on: world.app.db).firstBroken == entry.seq)
        }
    }

    @Test("documents: stored by SHA-256, downloaded intact, executables refused", arguments: Backend.all)
    func documents(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            let bytes = Data("%PDF-1.7 可行性研究报告\n%%EOF\n".utf8)
            let up = try await world.call(.POST, "/api/v1/projects/\(w.projectId)/documents?kind=feasibilityStudy&filename=%E5%8F%AF%E7%A0%94.pdf",
                                          as: "unitA", raw: bytes, contentType: "application/pdf")
            #expect(up.status == .created)
            let doc = (up.project["documents"] as? [[String: Any]])?.first
            #expect(doc?["sha256"] as? String == DocumentStore.sha256Hex(bytes))
            let down = try await world.app.testing().sendRequest(.GET, "/api/v1/projects/\(w.projectId)/documents/1",
                                                                 headers: ["Authorization": "Bearer \(world.tokens["unitA"]!)"])
            #expect(down.status == .ok)
            #expect(Data(buffer: down.body) == bytes)
            #expect(down.headers.first(name: "X-Content-Type-Options") == "nosniff")
            let elf = try await world.call(.POST, "/api/v1/projects/\(w.projectId)/documents?kind=other&filename=x", as: "unitA",
                                           raw: Data([0x7F, 0x45, 0x4C, 0x46, 1, 2]), contentType: "application/octet-stream")
            #expect(elf.status == .unsupportedMediaType)
            let html = try await world.call(.POST, "/api/v1/projects/\(w.projectId)/documents?kind=other&filename=x.html", as: "unitA",
                                            raw: Data("<html><script>alert(1)</script>".utf8), contentType: "text/html")
            #expect(html.status == .unsupportedMediaType)
            let list = try await world.call(.GET, "/api/v1/projects/\(w.projectId)/documents", as: "unitA")
            #expect(list.array.count == 1)
        }
    }

    @Test("bad input: malformed JSON, wrong types, huge bodies, unknown ids and actions", arguments: Backend.all)
    func badInput(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let malformed = try await world.call(.POST, "/api/v1/projects", as: "unitA", raw: Data("{\"name\":".utf8))
            #expect(malformed.status == .badRequest)
            #expect(malformed.errorCode == "INVALID_INPUT")
            var wrongType = Walk.draft(yuan: 1)
            wrongType["planYear"] = "明年"
            let typed = try await world.call(.POST, "/api/v1/projects", as: "unitA", json: wrongType)
            #expect(typed.violations.first?["field"] as? String == "planYear")
            var missing = Walk.draft(yuan: 1)
            missing.removeValue(forKey: "goals")
            #expect(try await world.call(.POST, "/api/v1/projects", as: "unitA", json: missing).violations.first?["field"] as? String == "goals")
            let negative = try await world.call(.POST, "/api/v1/projects", as: "unitA", json: Walk.draft(yuan: -1))
            #expect(negative.status == .badRequest)
            let huge = try await world.call(.POST, "/api/v1/projects", as: "unitA", raw: Data(repeating: 0x20, count: 3 * 1024 * 1024))
            #expect(huge.status == .payloadTooLarge)
            let unknown = try await world.call(.GET, "/api/v1/projects/\(UUID().uuidString)", as: "drc")
            #expect(unknown.status == .notFound)
            let garbage = try await world.call(.GET, "/api/v1/projects/not-a-uuid", as: "drc")
            #expect(garbage.status == .notFound)
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            #expect(try await world.act(w.projectId, "fly-to-the-moon", as: "unitA").errorCode == "UNKNOWN_ACTION")
            let early = try await world.act(w.projectId, "record-completion", as: "unitA", ["completedOn": "2026-03-01"])
            #expect(early.status == .conflict)
            #expect(early.errorCode == "WRONG_STAGE")
            #expect(try await world.call(.GET, "/api/v1/projects", as: "unitA").array.count == 1)
        }
    }

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

    @Test("actions endpoint lists blocked actions with every unmet condition", arguments: Backend.all)
    func actionsView(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            try await w.toReserve()
            try await w.toPlanned(amountFen: 100_000_000)
            let actions = try await world.call(.GET, "/api/v1/projects/\(w.projectId)/actions", as: "unitA")
            let apply = (actions["actions"] as? [[String: Any]])?.first { $0["action"] as? String == "apply-for-approval" }
            #expect(apply?["open"] as? Bool == false)
            #expect((apply?["unmetConditions"] as? [[String: Any]])?.first?["rule"] as? String == "R-APP-1")
            // R-SHR-4: sharing figures stand beside the decisions.
            #expect((actions["sharing"] as? [String: Any])?["entries"] as? Int == 0)
        }
    }
}
