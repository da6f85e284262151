import Foundation
import Testing
import Vapor
@testable import ZhengxinServer
import ZhengxinCore

/// Upload types are named from the whole content by libmagic and checked for what libmagic does
/// not judge (polyglots, markup, scripts): each hostile sample is refused with 415, each real
/// document of an accepted type is stored with the type read from it.
@Suite("Document type sniffing")
struct DocumentTypeSniffingTests {
    static let accepted: [(label: String, bytes: Data, type: String)] = [
        ("PDF", SampleDocuments.pdf(), "application/pdf"),
        ("Word (docx)", SampleDocuments.docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("OFD", SampleDocuments.ofd(), "application/ofd"),
        ("PNG", SampleDocuments.png(), "image/png"),
        ("JPEG", SampleDocuments.jpeg(), "image/jpeg"),
        ("UTF-8 Chinese text", SampleDocuments.chineseText, "text/plain; charset=utf-8"),
        // libmagic's DOS COM rule calls text starting with byte E9 (郑 is E9 83 91) an executable.
        ("text starting with 郑", Data("郑州市人民政府办公厅\n".utf8), "text/plain; charset=utf-8"),
        ("rm -rf / as prose", Data("运维手册: 切勿执行 rm -rf / 命令。\n".utf8), "text/plain; charset=utf-8"),
        ("comparisons in prose", Data("若 x<a 且 b>c, 则 a < b; 金额<100万元。".utf8), "text/plain; charset=utf-8"),
        ("CSV", Data("项目,金额(元)\n全民健康信息平台,1000000\n".utf8), "text/plain; charset=utf-8"),
    ]

    @Test("libmagic and the structural checks: each hostile sample refused, each real document accepted")
    func verdicts() {
        for sample in SampleDocuments.hostile {
            guard case .failure(let refusal) = DocumentSniffer.verdict(of: sample.bytes) else {
                Issue.record("\(sample.label): accepted")
                continue
            }
            #expect(!refusal.reason.isEmpty, "\(sample.label)")
        }
        for sample in Self.accepted {
            #expect(DocumentSniffer.contentType(of: sample.bytes) == sample.type, "\(sample.label): \(DocumentSniffer.verdict(of: sample.bytes))")
        }
    }

    @Test("uploads: hostile samples 415 with the reason, nothing stored; real documents 201 with the type read from them", arguments: Backend.all)
    func uploads(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            let before = try await HostileInputTests.state(world, w.projectId)
            for sample in SampleDocuments.hostile {
                // The claimed type and name are ignored; the bytes decide.
                let reply = try await HostileInputTests.upload(world, w.projectId, filename: "report.pdf", bytes: sample.bytes, type: "application/pdf")
                HostileInputTests.expectRefused(reply, sample.label, status: .unsupportedMediaType)
                #expect(reply.errorCode == "UNSUPPORTED_DOCUMENT_TYPE", "\(sample.label)")
                #expect(reply.violations.first?["field"] as? String == "file", "\(sample.label): the reason names the file")
            }
            HostileInputTests.expectSame(before, try await HostileInputTests.state(world, w.projectId), "state after hostile uploads")
            for (i, sample) in Self.accepted.enumerated() {
                let reply = try await HostileInputTests.upload(world, w.projectId, filename: "文档\(i)", bytes: sample.bytes)
                #expect(reply.status == .created, "\(sample.label): \(reply.status) \(reply.violations)")
                let doc = (reply.project["documents"] as? [[String: Any]])?.last
                #expect(doc?["contentType"] as? String == sample.type, "\(sample.label)")
                let download = try await world.app.testing().sendRequest(.GET, "/api/v1/projects/\(w.projectId)/documents/\(i + 1)",
                                                                         headers: ["Authorization": "Bearer \(world.tokens["unitA"]!)"])
                #expect(Data(buffer: download.body) == sample.bytes, "\(sample.label)")
                #expect(download.headers.first(name: .contentType) == sample.type)
            }
        }
    }
}
