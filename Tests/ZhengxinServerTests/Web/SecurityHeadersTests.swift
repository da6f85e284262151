import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// Every answer carries the CSP (no inline script or style, no framing), X-Frame-Options,
/// nosniff and Referrer-Policy: pages, the API, errors of both and static files; and the pages
/// hold nothing the CSP would block.
@Suite("Security headers")
struct SecurityHeadersTests {
    static func check(_ headers: HTTPHeaders, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let csp = headers.first(name: "Content-Security-Policy") ?? ""
        #expect(
            csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'") && csp.contains("default-src 'self'")
                && !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "\(what): CSP \(csp)", sourceLocation: sourceLocation)
        #expect(headers.first(name: "X-Frame-Options") == "DENY", "\(what)", sourceLocation: sourceLocation)
        #expect(headers.first(name: "X-Content-Type-Options") == "nosniff", "\(what)", sourceLocation: sourceLocation)
        #expect(headers.first(name: "Referrer-Policy") == "same-origin", "\(what)", sourceLocation: sourceLocation)
    }

    @Test("page, API answer, API and page 404s, refusals, a redirect and a static file all carry the headers", arguments: Backend.all)
    func everywhere(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let session = try await world.webLogin("unitA")
            let cases: [(String, String?, HTTPStatus)] = [
                ("/", session, .ok), ("/login", nil, .ok), ("/no-such-page", session, .notFound), ("/projects", nil, .seeOther),
                ("/css/zhengxin.css", nil, .ok), ("/js/zhengxin.js", nil, .ok),
            ]
            for (path, cookie, status) in cases {
                let reply = try await world.page(path, session: cookie)
                #expect(reply.status == status, "\(path): \(reply.status)")
                Self.check(reply.headers, path)
            }
            for (path, user, status) in [
                ("/api/v1/me", "unitA", HTTPStatus.ok), ("/api/v1/no-such-thing", "unitA", .notFound),
                ("/api/v1/me", nil, .unauthorized), ("/healthz", nil, .ok), ("/api/v1/openapi.json", nil, .ok),
            ] {
                let reply = try await world.send(
                    from: nil, .GET, path, headers: user.map { [("Authorization", "Bearer \(world.tokens[$0]!)")] } ?? [])
                #expect(reply.status == status, "\(path): \(reply.status)")
                Self.check(reply.headers, path)
            }
            let refused = try await world.send(from: nil, .POST, "/api/v1/auth/login", json: ["username": "x", "password": "y"])
            #expect(refused.status == .unauthorized)
            Self.check(refused.headers, "refused login")
            let forbidden = try await world.page(.POST, "/login", form: [("username", "unitA")], headers: [("Origin", "null")])
            #expect(forbidden.status == .forbidden)
            Self.check(forbidden.headers, "403 page")
        }
    }

    @Test("the pages satisfy the CSP: no inline script, style attribute, <style> or event handler in the views or a rendered page")
    func pagesSatisfyCSP() async throws {
        let inline = try NSRegularExpression(
            pattern: #"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:"#, options: [.caseInsensitive])
        func offences(_ html: String) -> [String] {
            inline.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { String(html[Range($0.range, in: html)!]) }
        }
        let views = URL(fileURLWithPath: WebDirectories.packageRoot).appendingPathComponent("Resources/Views")
        for file in try FileManager.default.contentsOfDirectory(atPath: views.path) where file.hasSuffix(".leaf") {
            let text = try String(contentsOf: views.appendingPathComponent(file), encoding: .utf8)
            #expect(offences(text).isEmpty, "\(file): \(offences(text))")
        }
        try await TestWorld.with(.sqlite) { world in
            let w = try await RefusalTests.constructing(world)
            let session = try await world.webLogin("unitA")
            for path in ["/", "/login", "/projects", "/projects/new", "/projects/\(w.projectId)", "/reports"] {
                let page = try await world.page(path, session: path == "/login" ? nil : session)
                #expect(page.status == .ok, "\(path): \(page.status)")
                #expect(offences(page.html).isEmpty, "\(path): \(offences(page.html))")
            }
        }
    }
}
