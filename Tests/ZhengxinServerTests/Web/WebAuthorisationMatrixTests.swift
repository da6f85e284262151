import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// Runs WebAuthorisationMatrix on both databases: every page route × every caller, and every
/// signed-in POST refused with 403 without its CSRF value.
@Suite("Web authorisation matrix")
struct WebAuthorisationMatrixTests {
    @Test("every page route × every caller gets the status in the table; POSTs without CSRF get 403", arguments: Backend.all)
    func matrix(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let project = try await RefusalTests.constructing(world)
            var failures: [String] = []
            for row in WebAuthorisationMatrix.rows + [WebAuthorisationMatrix.logout] {
                let path = row.path.replacingOccurrences(of: "{project}", with: project.projectId)
                for caller in WebAuthorisationMatrix.callers {
                    let session = caller.flatMap { world.tokens[$0] }
                    if row.needsCSRF, session != nil {
                        let forged = try await world.page(.POST, path, session: session, form: row.form)
                        if forged.status != .forbidden {
                            failures.append("\(row.method) \(path) as \(caller!) without CSRF: \(forged.status.code)")
                        }
                    }
                    let csrf = session.map { [("_csrf", WebCSRF.token(for: $0))] } ?? []
                    let reply = try await world.page(row.method, path, session: session, form: row.method == .POST ? row.form + csrf : nil)
                    let expected = row.expectation(for: caller)
                    if reply.status != expected {
                        failures.append(
                            "\(row.method) \(path) as \(caller ?? "anonymous"): \(reply.status.code), expected \(expected.code)")
                    }
                    if reply.status == .seeOther, caller == nil, row.path != "/login", reply.location?.hasPrefix("/login") != true {
                        failures.append("\(row.method) \(path) anonymous: redirected to \(reply.location ?? "nowhere")")
                    }
                    if reply.status.code >= 400, !reply.html.contains("<html lang=\"zh-CN\">") {
                        failures.append("\(row.method) \(path) as \(caller ?? "anonymous"): \(reply.status.code) is not an HTML page")
                    }
                }
            }
            #expect(failures.isEmpty, "\(failures.count) cells differ:\n\(failures.joined(separator: "\n"))")
        }
    }
}
