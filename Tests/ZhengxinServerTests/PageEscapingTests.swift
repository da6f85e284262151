import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

/// Pages escape by construction: every template draws its texts with Leaf's `#( )`, none inserts
/// markup built elsewhere. A project whose every typed text is hostile is shown on every page that
/// shows it, on both databases, and the markup never reaches a page unescaped.
@Suite("Page escaping")
struct PageEscapingTests {
    static let hostile = "<script>alert(1)</script>\"'&<img src=x onerror=1>"
    /// A filename may hold no "/" (DocumentController): the same attack without the closing tag.
    static let hostileFilename = "<script>alert(1)\"'&<img src=x onerror=1>.pdf"
    static let escaped = "&lt;script&gt;alert(1)"

    /// The package root, from this file's place (Tests/ZhengxinServerTests/).
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func files(under folder: String) throws -> [URL] {
        let base = root.appendingPathComponent(folder)
        let walker = try #require(FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil))
        return walker.compactMap { $0 as? URL }.filter { !$0.hasDirectoryPath }
    }

    /// The one markup a template inserts as it is: the report's bar charts, which `BarChartView.svg`
    /// writes with every text escaped (ChartText.escaped; `hostileProject` below puts a hostile unit
    /// name into them).
    static let chartInsertions = ["#unsafeHTML(chart)", "#unsafeHTML(page.risk.chart)"]

    @Test("no template inserts unescaped markup but the report's drawn charts; Sources never name unsafeHTML")
    func noUnsafeHTML() throws {
        let views = try Self.files(under: "Resources/Views").filter { $0.pathExtension == "leaf" }
        #expect(views.count >= 15, "the templates were found: \(views.map(\.lastPathComponent))")
        for file in try Self.files(under: "Resources/Views") + Self.files(under: "Sources") {
            var text = try String(contentsOf: file, encoding: .utf8)
            if file.lastPathComponent == "reports-body.leaf" {
                for insertion in Self.chartInsertions {
                    #expect(text.contains(insertion), "the report still draws its charts with \(insertion)")
                    text = text.replacingOccurrences(of: insertion, with: "")
                }
            }
            #expect(!text.contains("unsafeHTML"), "\(file.path) inserts markup unescaped")
        }
    }

    /// Fails when the page shows the hostile markup raw, or does not show it (escaped) at all.
    static func expectEscaped(
        _ reply: PageReply, _ page: String, status: HTTPStatus = .ok, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(reply.status == status, "\(page): \(reply.status)", sourceLocation: sourceLocation)
        #expect(!reply.html.contains("<script>alert(1)"), "\(page) shows a script tag raw", sourceLocation: sourceLocation)
        #expect(!reply.html.contains("<img src=x"), "\(page) shows an img tag raw", sourceLocation: sourceLocation)
        #expect(reply.html.contains(escaped), "\(page) does not show the hostile text at all", sourceLocation: sourceLocation)
    }

    @Test(
        "every page that shows a typed text escapes it: project, list, home, reports, the declaration form echoed", arguments: Backend.all)
    func hostileProject(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let h = Self.hostile
            // The unit's name (typed by the system administrator) is shown beside its projects and in the reports.
            let unit = try #require(try await OrganisationModel.find(world.orgId(of: "unitA"), on: world.app.db))
            unit.name = h
            try await unit.save(on: world.app.db)

            var w = Walk(world)
            try await w.create(Walk.draft(name: h, yuan: 8_000_000, extra: ["content": h, "goals": h]))
            try await w.toReserve()
            try await w.toPlanned(amountFen: 800_000_000)
            try await w.toApproved(path: ["implementationPlan"], amountFen: 800_000_000)
            try await w.toConstructing(budgetFen: 800_000_000)
            // Texts the agencies' forms offer back as choices: an incident, a change, a document.
            try await world.must(
                w.projectId, "report-incident", as: "unitA", ["kind": "seriousDelay", "description": h, "occurredOn": w.today])
            try await world.must(
                w.projectId, "propose-change", as: "unitA",
                [
                    "description": h, "reason": "technologyOptimisation", "newTotalFen": 1_000_000_000, "adjustedAmountFen": 200_000_000,
                    "goalsUnchanged": true,
                ])
            let filename = Self.hostileFilename.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let upload = try await world.call(
                .POST, "/api/v1/projects/\(w.projectId)/documents?kind=feasibilityStudy&filename=\(filename)", as: "unitA",
                raw: Data("%PDF-1.4 hostile\n%%EOF\n".utf8), contentType: "application/pdf")
            #expect(upload.status == .created, "upload: \(upload.violations)")
            // A change of more than 15% waits for the DRC (第十九条), which refuses it with a typed reason.
            let rejected = try await world.call(
                .POST, "/api/v1/projects/\(w.projectId)/actions/reject-change", as: "drc", json: ["changeNumber": 1, "reason": h])
            #expect(rejected.status == .ok, "reject-change: \(rejected.violations)")

            let project = "/projects/\(w.projectId)"
            for user in ["unitA", "drc", "fin"] {
                let page = try await world.page(project, session: world.tokens[user])
                Self.expectEscaped(page, "project page as \(user)")
                #expect(
                    page.html.contains("&lt;script&gt;alert(1)&quot;&#39;&amp;&lt;img src=x onerror=1&gt;.pdf"),
                    "the document's name as \(user)")
            }
            let asDRC = try await world.page(project, session: world.tokens["drc"])
            #expect(asDRC.html.contains("1. 工程严重逾期 \(Self.escaped)"), "the incident offered to the DRC's forms, escaped")
            // A refused form is drawn again with what was typed.
            let refused = try await ProjectPagesTests.post(
                world, "\(project)/actions/report-incident", as: "unitA",
                [("kind", "seriousDelay"), ("description", h), ("occurredOn", "not-a-date")])
            #expect([.badRequest, .unprocessableEntity].contains(refused.status), "refused form: \(refused.status)")
            Self.expectEscaped(refused, "project page with a refused form", status: refused.status)
            #expect(refused.html.contains("value=\"not-a-date\""))

            Self.expectEscaped(try await world.page("/projects", session: world.tokens["unitA"]), "project list as the unit")
            Self.expectEscaped(
                try await world.page("/projects?q=%3Cscript%3E", session: world.tokens["drc"]), "project list as the DRC, searched")
            Self.expectEscaped(try await world.page("/", session: world.tokens["unitA"]), "home page")
            Self.expectEscaped(try await world.page("/reports", session: world.tokens["drc"]), "reports page")
            Self.expectEscaped(
                try await world.page("/reports?unit=\(world.orgId(of: "unitA").uuidString)", session: world.tokens["drc"]),
                "reports page for the unit")

            let declared = try await ProjectPagesTests.post(
                world, "/projects", as: "unitA",
                [
                    ("name", h), ("source", "unitDeclaration"), ("planYear", "2027"), ("category", "businessSystem"),
                    ("totalInvestmentFen", "not money"), ("content", h), ("goals", h), ("classified", "false"),
                ])
            Self.expectEscaped(declared, "declaration form with errors", status: .badRequest)
            #expect(
                declared.html.contains("value=\"\(Self.escaped)&lt;/script&gt;&quot;&#39;&amp;&lt;img src=x onerror=1&gt;\""),
                "the typed name echoed in its input")
            #expect(
                declared.html.contains(">\(Self.escaped)&lt;/script&gt;&quot;&#39;&amp;&lt;img src=x onerror=1&gt;</textarea>"),
                "the typed content echoed")
        }
    }
}
