import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
import ZhengxinCore

@testable import ZhengxinServer

/// 第十条: a signed decision as an official PDF, and the public page that says whether a printed
/// copy is authentic. The PDF is read back by poppler (`pdftotext`, `pdftoppm`) and its QR code by
/// zbar (`zbarimg`), as a reader's tools would.
@Suite("Decision documents")
struct DecisionDocumentTests {
    static let host = "zx.example.test"

    @Test("a fund plan as PDF: 文号, agency, amount, article, QR to /verify; the page verifies and notices tampering", arguments: Backend.all)
    func fundPlanDocument(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            let fundPlan = try #require(
                try await DecisionSignatureModel.query(on: world.app.db).filter(\.$action == "issue-fund-plan").first())
            let id = try fundPlan.requireID().uuidString.lowercased()
            let path = "/projects/\(w.projectId)/decisions/\(id).pdf"

            let session = try await world.webLogin("unitA")
            // The project page lists the decision with a link to its PDF.
            #expect(try await world.page("/projects/\(w.projectId)", session: session).html.contains("href=\"\(path)\""))
            let reply = try await Self.get(path, session: session, world)
            #expect(reply.status == .ok)
            #expect(reply.headers.first(name: .contentType) == "application/pdf")
            let pdf = Data(buffer: reply.body)
            #expect(pdf.starts(with: Data("%PDF-".utf8)))

            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zx-decision-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let file = dir.appendingPathComponent("decision.pdf").path
            try pdf.write(to: URL(fileURLWithPath: file))

            let text = try Self.run("/usr/bin/pdftotext", ["-layout", file, "-"])
            #expect(text.contains("资金计划1号"))  // the decision's own 文号
            #expect(text.contains("市发展改革委文件"))  // the issuing agency's masthead
            #expect(text.contains("4,000,000.00元"))  // half the 8,000,000元 budget
            #expect(text.contains("第十一条"))
            // The article's sentence wraps over lines: compare it without the line breaks.
            let flat = text.filter { !$0.isWhitespace }
            #expect(flat.contains("项目审批部门根据政务信息化项目建设进展情况下达政府投资项目资金计划"))
            #expect(text.contains("市卫生健康委:"))  // the addressee, unitA's organisation
            let fingerprint = try await SigningKeyModel.query(on: world.app.db).filter(\.$organisationId == fundPlan.organisationId).first()
            #expect(fingerprint.map { text.contains($0.fingerprint) } == true)

            _ = try Self.run("/usr/bin/pdftoppm", ["-r", "100", "-png", "-singlefile", file, dir.appendingPathComponent("page").path])
            let qr = try Self.run("/usr/bin/zbarimg", ["--raw", "-q", dir.appendingPathComponent("page.png").path])
            // The server's own address, not the Host the request sent (zx.example.test): no public URL is configured here.
            let server = world.app.http.server.configuration
            let verifyURL = "http://\(server.hostname):\(server.port)/verify/\(id)"
            #expect(!verifyURL.contains(Self.host))
            #expect(qr.trimmingCharacters(in: .whitespacesAndNewlines) == verifyURL)
            if let keep = ProcessInfo.processInfo.environment["ZX_KEEP_DECISION_DIR"] {
                for name in ["page.png", "decision.pdf"] {
                    try? FileManager.default.copyItem(atPath: dir.appendingPathComponent(name).path, toPath: keep + "/" + name)
                }
            }

            // Anyone, without logging in, learns that the document is authentic and what it says.
            let verified = try await world.page("/verify/\(id)")
            #expect(verified.status == .ok)
            #expect(verified.html.contains("真实有效"))
            #expect(verified.html.contains("资金计划1号"))
            #expect(verified.html.contains("4,000,000.00元"))

            // One figure changed in the stored signed bytes: the page says it no longer matches.
            let sql = world.app.db as! any SQLDatabase
            try await sql.raw(
                "UPDATE decision_signatures SET document = REPLACE(document, '\"amount\":400000000', '\"amount\":500000000') WHERE id = \(bind: fundPlan.requireID())"
            ).run()
            let tampered = try await world.page("/verify/\(id)")
            #expect(tampered.status == .ok)
            #expect(tampered.html.contains("不一致"))
            #expect(!tampered.html.contains("真实有效"))
            #expect(!tampered.html.contains("5,000,000.00元"))
        }
    }

    @Test("an amount stays on one line with its 元, a number with its 号; nothing else is joined")
    func keptTogether() {
        #expect(DecisionPDF.keepingTogether("累计2,507,500.00元") == "累计2,507,500.00\u{2060}元")
        #expect(DecisionPDF.keepingTogether("资金计划1号,共123.5万元") == "资金计划1\u{2060}号,共123.5\u{2060}万元")
        #expect(DecisionPDF.keepingTogether("元号万 第三条") == "元号万 第三条")
    }

    @Test("涉密 decisions, other units and unknown ids get one and the same 404", arguments: Backend.all)
    func unknownAnswers(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            // unitA's 涉密 project with drc and bdb named on it, approved (a signed 批复).
            let secret = try await ClassifiedProjectInputsTests.secretInReserve(world).walk
            try await secret.toPlanned(amountFen: ClassifiedProjectInputsTests.secretYuan * 100)
            try await secret.toApproved(path: ["implementationPlan"], amountFen: ClassifiedProjectInputsTests.secretYuan * 100)
            let secretProject = try #require(UUID(uuidString: secret.projectId))
            let secretDecision = try #require(
                try await DecisionSignatureModel.query(on: world.app.db).filter(\.$projectId == secretProject).first())
            let open = try #require(
                try await DecisionSignatureModel.query(on: world.app.db).filter(\.$action == "issue-fund-plan").first())
            let openId = try open.requireID().uuidString.lowercased()
            let unknownId = UUID().uuidString.lowercased()

            // The public page: a 涉密 decision reads exactly as an id that never existed.
            let unknownVerify = try await world.page("/verify/\(unknownId)")
            let secretVerify = try await world.page("/verify/\(try secretDecision.requireID().uuidString.lowercased())")
            #expect(unknownVerify.status == .notFound)
            #expect(secretVerify.status == unknownVerify.status)
            #expect(secretVerify.html == unknownVerify.html)
            #expect(!secretVerify.html.contains(ClassifiedProjectInputsTests.secretName))
            // Its named owner still gets the PDF itself.
            let secretPDF = "/projects/\(secret.projectId)/decisions/\(try secretDecision.requireID().uuidString.lowercased()).pdf"
            #expect(try await Self.get(secretPDF, session: try await world.webLogin("unitA"), world).status == .ok)
            #expect(try await world.page("/verify/\(openId)").status == .ok)

            // The PDF: another unit's user gets what an unknown id gets; the owning unit gets the PDF.
            let unitB = try await world.webLogin("unitB")
            let unknownPDF = try await Self.get("/projects/\(w.projectId)/decisions/\(unknownId).pdf", session: unitB, world)
            let otherUnit = try await Self.get("/projects/\(w.projectId)/decisions/\(openId).pdf", session: unitB, world)
            #expect(unknownPDF.status == .notFound)
            #expect(otherUnit.status == unknownPDF.status)
            #expect(String(buffer: otherUnit.body) == String(buffer: unknownPDF.body))
            let unitA = try await world.webLogin("unitA")
            #expect(try await Self.get("/projects/\(w.projectId)/decisions/\(openId).pdf", session: unitA, world).status == .ok)
            // A decision asked for under another project of one's own is unknown too.
            let wrongProject = try await Self.get("/projects/\(secret.projectId)/decisions/\(openId).pdf", session: unitA, world)
            #expect(wrongProject.status == .notFound)
            let unknownForA = try await Self.get("/projects/\(w.projectId)/decisions/\(unknownId).pdf", session: unitA, world)
            #expect(String(buffer: wrongProject.body) == String(buffer: unknownForA.body))
        }
    }

    static func get(_ path: String, session: String, _ world: TestWorld) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: .cookie, value: "\(WebSession.cookieName)=\(session)")
        headers.add(name: .host, value: host)
        return try await world.app.testing().sendRequest(.GET, path, headers: headers)
    }

    static func run(_ path: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(path) \(arguments)")
        return String(decoding: data, as: UTF8.self)
    }
}
