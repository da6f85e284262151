import Fluent
import Foundation
import Testing
import Vapor
import ZIPFoundation
import ZhengxinCore

@testable import ZhengxinServer

/// 批量申报 over HTTP with real workbooks (written by libxlsxwriter, read by XLSXReader): all rows
/// pass and are created in order, or one fails and nothing is stored, every failing row listed.
@Suite("Batch declaration from the template workbook")
struct ProjectImportTests {
    static let xlsx = XLSXWorkbook.contentType

    /// One data row in the template's column order; `cells` overrides a column by its field.
    static func row(_ name: String, amount: XLSXCell = .text("1000.00"), _ cells: [String: XLSXCell] = [:]) -> [XLSXCell] {
        let base: [String: XLSXCell] = [
            "name": .text(name), "source": .text("项目单位按程序申报"), "planYear": .integer(2027), "category": .text("政务业务信息系统"),
            "totalInvestmentFen": amount, "content": .text("建设内容"), "goals": .text("建设目标"),
        ]
        let merged = base.merging(cells) { _, new in new }
        return ProjectBatch.columns.map { merged[$0.field] ?? .empty }
    }

    static func workbook(_ rows: [[XLSXCell]], titles: [String] = ProjectBatch.columns.map(\.title)) throws -> Data {
        Data(
            try XLSXWorkbook.bytes([
                XLSXSheet(name: ProjectImport.sheetName, columns: titles.map { XLSXColumn(title: $0, width: 12) }, rows: rows)
            ]))
    }

    static func post(_ world: TestWorld, _ data: Data, as user: String = "unitA", type: String = xlsx) async throws -> JSONReply {
        try await world.call(.POST, "/api/v1/projects/import", as: user, raw: data, contentType: type)
    }

    static func message(_ reply: JSONReply) -> String? { (reply["error"] as? [String: Any])?["message"] as? String }

    static func projectCount(_ world: TestWorld) async throws -> Int { try await ProjectRow.all(record: false, on: world.app.db).count }

    static func created(_ world: TestWorld) async throws -> Int {
        try await AuditEntryModel.query(on: world.app.db).filter(\.$action == "create").filter(\.$result == "accepted").count()
    }

    static func refusedCreates(_ world: TestWorld) async throws -> [AuditEntryModel] {
        try await AuditEntryModel.query(on: world.app.db).filter(\.$action == "create").filter(\.$result != "accepted").all()
    }

    @Test("batches sent at once are written one after another, each whole", arguments: Backend.all)
    func batchesAtOnce(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let before = try await Self.projectCount(world)
            let books = try (0..<4).map { b in try Self.workbook((0..<5).map { Self.row("并发批量\(b)-\($0)") }) }
            let replies = try await withThrowingTaskGroup(of: JSONReply.self) { group in
                for (i, book) in books.enumerated() {
                    group.addTask { try await Self.post(world, book, as: i % 2 == 0 ? "unitA" : "unitB") }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.allSatisfy { $0.status == .created }, "\(replies.map(\.status))")
            #expect(try await Self.projectCount(world) == before + 20)
        }
    }

    @Test("three good rows: 201, three drafts with consecutive codes in row order, three audit entries", arguments: Backend.all)
    func goodBatch(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let before = try await Self.created(world)
            let rows = [
                Self.row("批量一", amount: .money(Fen(123_456))),  // a numeric cell: 1234.56元
                Self.row("批量二", amount: .text("123.5万"), ["classified": .text("是")]),
                Self.row(
                    "批量三", amount: .integer(5_000_000),
                    [
                        "source": .text("市政府研究决定"), "category": .text("电子政务基础设施"), "planYear": .text("2028"),
                        "simpleContentRequested": .text("否"), "ownInfrastructure.items": .text("机房、存储"),
                        "ownInfrastructure.justification": .text("业务需要"), "ownInfrastructure.sharingPlan": .text("向全市开放"),
                        "nationalCode": .text("2027-410100-65-01-000001"),
                    ]),
            ]
            let reply = try await Self.post(world, try Self.workbook(rows))
            #expect(reply.status == .created, "\(reply.status) \(reply.violations)")
            #expect(reply["count"] as? Int == 3)
            let projects = try #require(reply["projects"] as? [[String: Any]])
            #expect(projects.compactMap { $0["name"] as? String } == ["批量一", "批量二", "批量三"])
            let numbers = projects.compactMap { ($0["code"] as? String)?.split(separator: "-").last.flatMap { Int($0) } }
            #expect(numbers.count == 3 && numbers[1] == numbers[0] + 1 && numbers[2] == numbers[1] + 1, "\(projects)")
            #expect(try await Self.created(world) == before + 3)
            var amounts: [Int] = []
            for p in projects {
                let shown = try await world.call(.GET, "/api/v1/projects/\(p["id"] as? String ?? "")", as: "unitA")
                #expect(shown.status == .ok)
                amounts.append(shown.project["totalInvestment"] as? Int ?? -1)
                if p["name"] as? String == "批量三" {
                    #expect(shown.project["source"] as? String == "municipalDecision")
                    #expect(shown.project["planYear"] as? Int == 2028)
                    #expect((shown.project["ownInfrastructure"] as? [String: Any])?["items"] as? [String] == ["机房", "存储"])
                }
            }
            #expect(amounts == [123_456, 123_500_000, 500_000_000])
        }
    }

    @Test(
        "rows 2 and 4 failing: 422 listing both rows and every field with its article; nothing stored; refusal audited once",
        arguments: Backend.all)
    func failingBatch(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let count = try await Self.projectCount(world)
            let refusalsBefore = try await Self.refusedCreates(world).count
            let rows = [
                Self.row("好的一"),
                Self.row("", amount: .text("1234.567")),  // sheet row 3: no name, three decimals
                Self.row("好的二"),
                Self.row("来源不明", ["source": .text("自筹资金")]),  // sheet row 5
            ]
            let reply = try await Self.post(world, try Self.workbook(rows))
            #expect(reply.status == .unprocessableEntity)
            #expect(reply.errorCode == ProjectImportError.code)
            let byField = Dictionary(reply.violations.map { ($0["field"] as? String ?? "", $0) }) { a, _ in a }
            #expect(Set(byField.keys) == ["rows[3].name", "rows[3].totalInvestmentFen", "rows[5].source"], "\(reply.violations)")
            #expect(byField["rows[3].name"]?["article"] as? String == "第七条")
            #expect(byField["rows[3].totalInvestmentFen"]?["article"] as? String == "第九条")
            #expect((byField["rows[3].totalInvestmentFen"]?["message"] as? String)?.contains("两位小数") == true)
            #expect(byField["rows[5].source"]?["article"] as? String == "第六条")
            #expect((byField["rows[5].source"]?["message"] as? String)?.contains("自筹资金") == true)
            #expect((reply["error"] as? [String: Any])?["message"] as? String ?? "" == "未导入任何项目: 第3、5行不符合要求,共3处,请修改后重新导入")
            #expect(try await Self.projectCount(world) == count)
            let refusals = try await Self.refusedCreates(world)
            #expect(refusals.count == refusalsBefore + 1)
            #expect(refusals.contains { $0.summary.contains("第3、5行") })
        }
    }

    @Test(
        "the amount column at its boundaries: more than zero, at most two decimals, at most the policy's maximum",
        arguments: [Backend.sqlite])
    func amountBoundaries(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let cases: [(XLSXCell, Bool)] = [
                (.text("0.01"), true), (.text("0"), false), (.text("0.00"), false), (.text("0.001"), false), (.text("-5"), false),
                (.text("10000000000000.00"), true), (.text("10000000000000.01"), false), (.text("1,234.56"), true), (.text("1,23"), false),
                (.text("１２３４.５"), true), (.money(Fen(1)), true), (.percent(0.125), false), (.text("一千元"), false), (.empty, false),
            ]
            for (i, (amount, ok)) in cases.enumerated() {
                let count = try await Self.projectCount(world)
                let reply = try await Self.post(world, try Self.workbook([Self.row("边界\(i)", amount: amount)]))
                #expect(reply.status == (ok ? .created : .unprocessableEntity), "\(amount): \(reply.status) \(reply.violations)")
                if !ok {
                    #expect(reply.violations.map { $0["field"] as? String } == ["rows[2].totalInvestmentFen"], "\(amount)")
                    #expect(try await Self.projectCount(world) == count)
                }
            }
        }
    }

    @Test("only units import: agencies and vendors get the form's 403 whatever the file, and nothing changes", arguments: Backend.all)
    func forbidden(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let count = try await Self.projectCount(world)
            let good = try Self.workbook([Self.row("越权")])
            for user in ["vendor", "drc", "drcViewer"] {
                for body in [good, Data("not a workbook".utf8)] {
                    let reply = try await Self.post(world, body, as: user)
                    #expect(reply.status == .forbidden && reply.errorCode == "FORBIDDEN", "\(user): \(reply.status)")
                    let form = try await world.call(.POST, "/api/v1/projects", as: user, raw: Data(AuthorisationMatrix.draft.utf8))
                    #expect(form.status == .forbidden)
                    #expect(Self.message(reply) == Self.message(form) && Self.message(reply)?.contains("第三条") == true)
                }
            }
            let page = try await Self.pageUpload(world, good, as: "vendor")
            #expect(page.status == .forbidden)
            #expect(try await Self.projectCount(world) == count)
        }
    }

    @Test("hostile or wrong files: clear error codes, Chinese messages, nothing stored", arguments: [Backend.sqlite])
    func hostile(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let count = try await Self.projectCount(world)
            let notZip = try await Self.post(world, Data("项目名称,总投资\n甲,100".utf8))
            #expect(notZip.status == .badRequest && notZip.errorCode == "INVALID_WORKBOOK")
            let limit = world.app.zhengxin.config.maxUploadBytes
            let huge = try await Self.post(world, Data(repeating: 0x50, count: limit + 1))
            #expect(huge.status == .payloadTooLarge)
            let wrongType = try await Self.post(world, try Self.workbook([Self.row("类型")]), type: "text/csv")
            #expect(wrongType.status == .unsupportedMediaType)
            let many = (0...ProjectBatch.maxRows).map { Self.row("第\($0)个") }
            let tooMany = try await Self.post(world, try Self.workbook(many))
            #expect(tooMany.status == .badRequest && tooMany.errorCode == "TOO_MANY_ROWS")
            #expect(((tooMany["error"] as? [String: Any])?["message"] as? String)?.contains("500") == true)
            let noHeader = try await Self.post(world, try Self.workbook([Self.row("无表头")], titles: ["甲", "乙"]))
            #expect(noHeader.status == .badRequest && noHeader.errorCode == "INVALID_TEMPLATE")
            let empty = try await Self.post(world, try Self.workbook([[], Array(repeating: .text("  "), count: 3)]))
            #expect(empty.status == .badRequest && empty.errorCode == "EMPTY_IMPORT")
            #expect(try await Self.projectCount(world) == count)
            // Exactly the cap is taken, blank rows between not counted.
            let atCap = (1...ProjectBatch.maxRows).map { Self.row("满额\($0)") } + [[XLSXCell]()]
            let full = try await Self.post(world, try Self.workbook(atCap))
            #expect(full.status == .created && full["count"] as? Int == ProjectBatch.maxRows)
        }
    }

    @Test("the template downloads from the API and the page, and reads back with its header, drop-downs and 填写说明")
    func template() async throws {
        try await TestWorld.with(.sqlite) { world in
            let reply = try await world.call(.GET, "/api/v1/projects/import/template.xlsx", as: "unitA")
            #expect(reply.status == .ok)
            let data = Data(buffer: reply.raw)
            let book = try XLSXReader(data)
            let sheet = try #require(book.sheets.first { $0.name == "项目申报" })
            let header = (0..<ProjectBatch.columns.count).map { i -> String in
                if case .text(let t) = sheet.cell(1, i)?.value { return t }
                return ""
            }
            #expect(header == ProjectBatch.columns.map(\.title))
            #expect(header.contains("总投资(元)") && header.contains("全国投资项目代码") && header.contains("自建基础设施"))
            #expect(sheet.frozenRows == 1)
            let help = try #require(book.sheets.first { $0.name == "填写说明" })
            let helpText = help.rows.values.flatMap { $0.values }.compactMap { cell -> String? in
                if case .text(let t) = cell.value { return t }
                return nil
            }.joined(separator: " ")
            for article in ["第二条", "第六条", "第九条", "第二十七条"] { #expect(helpText.contains(article)) }
            let archive = try Archive(data: data, accessMode: .read)
            var xml = Data()
            _ = try archive.extract(try #require(archive["xl/worksheets/sheet1.xml"])) { xml.append($0) }
            let sheetXML = String(decoding: xml, as: UTF8.self)
            #expect(sheetXML.contains("<dataValidation") && sheetXML.contains("项目单位按程序申报") && sheetXML.contains("政务业务信息系统"))
            // The blank template itself is a workbook with no project rows.
            #expect(try await Self.post(world, data).errorCode == "EMPTY_IMPORT")
            let page = try await world.page("/projects/import/template.xlsx", session: world.tokens["unitA"])
            #expect(page.status == .ok && page.headers.contentType?.serialize().hasPrefix(Self.xlsx) == true)
            let doc = try await world.call(.GET, "/api/v1/openapi.json")
            let paths = doc["paths"] as? [String: Any] ?? [:]
            #expect(paths["/api/v1/projects/import"] != nil && paths["/api/v1/projects/import/template.xlsx"] != nil)
        }
    }

    static func pageUpload(_ world: TestWorld, _ file: Data, as user: String = "unitA") async throws -> PageReply {
        let token = world.tokens[user]!
        let boundary = "zx\(UUID().uuidString)"
        var body = ByteBuffer()
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(WebCSRF.token(for: token))\r\n")
        body.writeString(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"批量.xlsx\"\r\nContent-Type: \(xlsx)\r\n\r\n")
        body.writeBytes(file)
        body.writeString("\r\n--\(boundary)--\r\n")
        var headers = HTTPHeaders()
        headers.add(name: .cookie, value: "\(WebSession.cookieName)=\(token)")
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        let response = try await world.app.testing().sendRequest(.POST, "/projects/import", headers: headers, body: body)
        return PageReply(status: response.status, headers: response.headers, html: String(buffer: response.body))
    }

    @Test(
        "the page round trip: the form with its CSRF value, a refused upload's table, then the created projects with links",
        arguments: Backend.all)
    func page(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let form = try await world.page("/projects/import", session: world.tokens["unitA"])
            #expect(form.status == .ok && form.csrf != nil)
            #expect(form.html.contains("/projects/import/template.xlsx") && form.html.contains("enctype=\"multipart/form-data\""))
            let declaration = try await world.page("/projects/new", session: world.tokens["unitA"])
            #expect(declaration.html.contains("href=\"/projects/import\""))
            let count = try await Self.projectCount(world)
            let refused = try await Self.pageUpload(world, try Self.workbook([Self.row("页面好"), Self.row("页面坏", amount: .text("0.001"))]))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("id=\"import-failures\"") && refused.html.contains("第3行") && refused.html.contains("总投资(元)"))
            #expect(refused.html.contains("第九条"))
            // The table's own cells name the row and column: the reason does not repeat them, and an
            // input error has no rule id to show.
            #expect(refused.html.contains("<td>以元为单位最多两位小数") && !refused.html.contains(">INPUT<"))
            #expect(try await Self.projectCount(world) == count)
            let done = try await Self.pageUpload(world, try Self.workbook([Self.row("页面一<b>"), Self.row("页面二")]))
            #expect(done.status == .ok)
            #expect(
                done.html.contains("id=\"import-created\"") && done.html.contains("页面一&lt;b&gt;") && done.html.contains("href=\"/projects/")
            )
            #expect(try await Self.projectCount(world) == count + 2)
            let noFile = try await ProjectPagesTests.post(world, "/projects/import", as: "unitA", [])
            #expect(noFile.status == .badRequest)
        }
    }
}
