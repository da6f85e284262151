import Foundation
import Vapor
import ZhengxinCore

/// The batch declaration workbook (ProjectBatch): the template a unit fills in, and its rows read
/// back as text per column. Numbers may arrive as numeric cells or as text; both become the text a
/// person would have typed, so the core reads them with the form's parsing (Fen.parsing for money).
enum ProjectImport {
    static let sheetName = "项目申报"
    static let helpSheetName = "填写说明"
    /// Rows below the header that carry the drop-downs: the batch limit.
    static var templateRows: Int { ProjectBatch.maxRows }

    // MARK: template

    static func template() -> [XLSXSheet] {
        let columns = ProjectBatch.columns
        var lists: [Int: [String]] = [:]
        for (i, column) in columns.enumerated() where !column.choices.isEmpty { lists[i] = column.choices }
        let form = XLSXSheet(
            name: sheetName,
            columns: columns.map { XLSXColumn(title: $0.title, width: $0.field == "content" || $0.field == "goals" ? 40 : 18) },
            rows: [], lists: lists, listRows: templateRows)
        let help = XLSXSheet(
            name: helpSheetName,
            columns: [
                XLSXColumn(title: "列名", width: 18), XLSXColumn(title: "是否必填", width: 10), XLSXColumn(title: "填写内容", width: 60),
                XLSXColumn(title: "可选值", width: 50), XLSXColumn(title: "依据条款", width: 12),
            ],
            rows: columns.map {
                [
                    .text($0.title), .text($0.required ? "必填" : "选填"), .text($0.help), .text($0.choices.joined(separator: "、")),
                    .text($0.article),
                ]
            },
            note: "依据《郑州市政务信息化项目建设管理暂行办法》。在「\(sheetName)」表第2行起每行填写一个项目,每次最多\(ProjectBatch.maxRows)行;"
                + "任何一行不符合要求时全部不导入,并列出每一行每一处原因。")
        return [form, help]
    }

    static func templateResponse(_ req: Request) async throws -> Response {
        _ = try req.caller()
        return try await XLSXWorkbook.response(template(), asciiName: "project-import-template.xlsx", chineseName: "项目批量申报模板.xlsx", req)
    }

    // MARK: reading

    /// The workbook's project rows: the sheet 项目申报 (or the first sheet), columns found by their
    /// header titles in row 1, blank rows skipped, at most ProjectBatch.maxRows.
    static func rows(_ data: Data) throws -> [ProjectBatch.Row] {
        let workbook: XLSXReader
        do { workbook = try XLSXReader(data) } catch let failure as XLSXReader.Failure {
            throw APIError(status: .badRequest, code: "INVALID_WORKBOOK", message: failure.message)
        }
        guard let sheet = workbook.sheets.first(where: { $0.name == sheetName }) ?? workbook.sheets.first else {
            throw APIError(status: .badRequest, code: "INVALID_WORKBOOK", message: "工作簿中没有工作表")
        }
        var fieldOf: [Int: String] = [:]
        for (index, cell) in sheet.rows[1] ?? [:] {
            let title = text(cell).trimmingCharacters(in: .whitespaces)
            if let column = ProjectBatch.columns.first(where: { $0.title == title }) { fieldOf[index] = column.field }
        }
        let missing = ProjectBatch.columns.filter { $0.required && !fieldOf.values.contains($0.field) }.map(\.title)
        guard missing.isEmpty else {
            throw APIError(
                status: .badRequest, code: "INVALID_TEMPLATE",
                message: "第1行应为模板的列名,缺少: \(missing.joined(separator: "、"))。请下载系统提供的模板填写")
        }
        var rows: [ProjectBatch.Row] = []
        for number in sheet.rows.keys.sorted() where number > 1 {
            var cells: [String: String] = [:]
            for (index, cell) in sheet.rows[number] ?? [:] {
                guard let field = fieldOf[index] else { continue }
                let value = text(cell)
                if !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { cells[field] = value }
            }
            guard !cells.isEmpty else { continue }
            rows.append(ProjectBatch.Row(number: number, cells: cells))
            guard rows.count <= ProjectBatch.maxRows else {
                throw APIError(
                    status: .badRequest, code: "TOO_MANY_ROWS",
                    message: "每次最多导入\(ProjectBatch.maxRows)个项目,本文件超过此数。请分批导入")
            }
        }
        guard !rows.isEmpty else {
            throw APIError(status: .badRequest, code: "EMPTY_IMPORT", message: "文件中没有项目行。请从第2行起每行填写一个项目")
        }
        return rows
    }

    /// A cell as the text a person would have typed: whole numbers without a decimal point, others
    /// in their shortest exact decimal form (so 1234.567 stays three decimals and is refused as such).
    static func text(_ cell: XLSXReader.Cell) -> String {
        switch cell.value {
        case .text(let s): return s
        case .bool(let b): return b ? "是" : "否"
        case .error(let e): return e
        case .number(let n):
            if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
            return "\(n)"
        }
    }
}

/// The refusal of a batch: 422 with every failing row and field, the stable shape of APIError.
enum ProjectImportError {
    static let code = "IMPORT_REFUSED"

    static func refused(_ violations: [Violation]) -> APIError {
        APIError(
            status: .unprocessableEntity, code: code,
            message: "未导入任何项目: \(rowList(violations))不符合要求,共\(violations.count)处,请修改后重新导入", violations: violations)
    }

    /// "第2、4行": the failing rows in order, from the fields `rows[N].…`.
    static func rowList(_ violations: [Violation]) -> String {
        "第" + rowNumbers(violations).map(String.init).joined(separator: "、") + "行"
    }

    static func rowNumbers(_ violations: [Violation]) -> [Int] {
        Array(Set(violations.compactMap { row(of: $0.field) })).sorted()
    }

    /// `rows[3].totalInvestmentFen` → 3.
    static func row(of field: String?) -> Int? {
        guard let field, field.hasPrefix("rows["), let end = field.firstIndex(of: "]") else { return nil }
        return Int(field[field.index(field.startIndex, offsetBy: 5)..<end])
    }

    /// `rows[3].totalInvestmentFen` → the column's title, 总投资(元).
    static func columnTitle(of field: String?) -> String {
        guard let field, let dot = field.firstIndex(of: ".") else { return "" }
        let name = String(field[field.index(after: dot)...])
        return ProjectBatch.columns.first { $0.field == name }?.title ?? name
    }
}

/// /api/v1/projects/import: the template and the batch declaration.
struct ProjectImportController {
    struct CreatedProject: Content {
        var id: UUID
        var code: String
        var name: String
    }

    struct ImportResult: Content {
        var count: Int
        var projects: [CreatedProject]
        var summary: String
    }

    func register(_ routes: RoutesBuilder) {
        let batch = routes.grouped("projects", "import")
        batch.get("template.xlsx", use: ProjectImport.templateResponse)
        // Streamed and counted as document uploads are (DocumentController.body).
        batch.on(.POST, body: .stream, use: importBatch)
    }

    func importBatch(_ req: Request) async throws -> Response {
        let actor = try req.caller()
        try await Self.requireDeclarer(actor, req)
        guard req.headers.contentType?.serialize().hasPrefix(XLSXWorkbook.contentType) == true else {
            throw APIError(
                status: .unsupportedMediaType, code: "UNSUPPORTED_MEDIA_TYPE", message: "请以 \(XLSXWorkbook.contentType) 上传 .xlsx 工作簿")
        }
        let data = try await DocumentController.body(req, limit: req.zhengxin.config.maxUploadBytes)
        let result = try await Self.run(data, by: actor, req)
        return try await result.encodeResponse(status: .created, for: req)
    }

    /// Who may declare before what the file holds: the 403 of the form, audited by the batch path.
    static func requireDeclarer(_ actor: Actor, _ req: Request) async throws {
        guard ProjectCreation.forbiddenReason(actor) != nil else { return }
        _ = try await ProjectDeclaration.createAll([], by: actor, at: req.now, client: req.clientAddress, app: req.application)
    }

    /// The workbook → rows → ProjectDeclaration.createAll, shared with the import page.
    static func run(_ data: Data, by actor: Actor, _ req: Request) async throws -> ImportResult {
        try await requireDeclarer(actor, req)
        let rows = try await req.application.blockingWork.runIfActive { try ProjectImport.rows(data) }
        let (now, client, app) = (req.now, req.clientAddress, req.application)
        let created = try await app.batchImports.run {
            try await ProjectDeclaration.createAll(rows, by: actor, at: now, client: client, app: app)
        }
        return ImportResult(
            count: created.count, projects: created.map { CreatedProject(id: $0.record.id, code: $0.record.code, name: $0.record.name) },
            summary: "已导入\(created.count)个项目(草稿)")
    }
}
