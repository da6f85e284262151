import CXLSXWriter
import Foundation
import Vapor
import ZhengxinCore

/// One cell of a generated sheet: real cell types, so Excel sums, sorts and filters without conversion.
enum XLSXCell: Sendable, Hashable {
    case text(String)
    case integer(Int)
    /// In 元 as a number, shown `#,##0.00`: Fen(123456) → 1234.56.
    case money(Fen)
    /// A share (0.375 is 37.5%), shown `0.0%`.
    case percent(Double)
    /// An Excel date (a serial day number), shown `yyyy-mm-dd`.
    case date(CivilDate)
    case empty
}

/// One column: its header and width in characters.
struct XLSXColumn: Sendable, Hashable {
    var title: String
    var width: Double
}

/// One sheet: a bold header row, frozen below it, then the rows and an optional closing note
/// (for a list cut at its cap).
struct XLSXSheet: Sendable {
    var name: String
    var columns: [XLSXColumn]
    var rows: [[XLSXCell]]
    var note: String? = nil
    /// Column index → the values a drop-down offers in that column, for rows below the header up to `listRows`.
    var lists: [Int: [String]] = [:]
    var listRows = 0
}

/// .xlsx files through libxlsxwriter, which writes to a path: a private temporary file, read back
/// and removed.
enum XLSXWorkbook {
    static let contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    /// Excel's limit for one text cell.
    static let maxTextLength = 32_767

    struct WriteFailed: Error, CustomStringConvertible {
        var code: Int
        var description: String { "libxlsxwriter error \(code)" }
    }

    static func bytes(_ sheets: [XLSXSheet]) throws -> [UInt8] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("zhengxin-\(UUID().uuidString).xlsx").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let workbook = workbook_new(path) else { throw WriteFailed(code: -1) }
        let formats = Formats(workbook)
        for sheet in sheets { try write(sheet, into: workbook, formats) }
        let closed = workbook_close(workbook)
        guard closed == LXW_NO_ERROR else { throw WriteFailed(code: Int(closed.rawValue)) }
        guard let data = FileManager.default.contents(atPath: path) else { throw WriteFailed(code: -2) }
        return Array(data)
    }

    /// The formats a workbook shares (libxlsxwriter frees them with the workbook).
    private struct Formats {
        let header: UnsafeMutablePointer<lxw_format>
        let money: UnsafeMutablePointer<lxw_format>
        let percent: UnsafeMutablePointer<lxw_format>
        let date: UnsafeMutablePointer<lxw_format>
        let note: UnsafeMutablePointer<lxw_format>

        init(_ workbook: UnsafeMutablePointer<lxw_workbook>) {
            header = workbook_add_format(workbook)
            format_set_bold(header)
            format_set_bg_color(header, 0xDDEBF7)
            format_set_border(header, UInt8(LXW_BORDER_THIN.rawValue))
            money = workbook_add_format(workbook)
            format_set_num_format(money, "#,##0.00")
            percent = workbook_add_format(workbook)
            format_set_num_format(percent, "0.0%")
            date = workbook_add_format(workbook)
            format_set_num_format(date, "yyyy-mm-dd")
            note = workbook_add_format(workbook)
            format_set_italic(note)
        }
    }

    private static func write(_ sheet: XLSXSheet, into workbook: UnsafeMutablePointer<lxw_workbook>, _ formats: Formats) throws {
        guard let ws = workbook_add_worksheet(workbook, sheet.name) else { throw WriteFailed(code: -3) }
        for (i, column) in sheet.columns.enumerated() {
            let c = lxw_col_t(i)
            worksheet_set_column(ws, c, c, column.width, nil)
            try check(worksheet_write_string(ws, 0, c, column.title, formats.header))
        }
        worksheet_freeze_panes(ws, 1, 0)
        for (r, row) in sheet.rows.enumerated() {
            for (i, cell) in row.enumerated() {
                try check(write(cell, ws, lxw_row_t(r + 1), lxw_col_t(i), formats))
            }
        }
        for (column, values) in sheet.lists.sorted(by: { $0.key < $1.key }) where sheet.listRows > 0 {
            try check(list(values, ws, column: lxw_col_t(column), rows: lxw_row_t(sheet.listRows)))
        }
        if let note = sheet.note {
            try check(worksheet_write_string(ws, lxw_row_t(sheet.rows.count + 1), 0, note, formats.note))
        }
    }

    static func notXML(_ scalar: Unicode.Scalar) -> Bool { scalar.value == 0xFFFE || scalar.value == 0xFFFF }

    private static func write(
        _ cell: XLSXCell, _ ws: UnsafeMutablePointer<lxw_worksheet>, _ row: lxw_row_t, _ col: lxw_col_t, _ formats: Formats
    ) -> lxw_error {
        switch cell {
        case .text(let s):
            // A string cell is never evaluated, so no formula injection; only the length needs a bound.
            var text = s.utf16.count > maxTextLength / 2 ? String(s.prefix(maxTextLength / 2)) : s
            // XML 1.0 cannot hold U+FFFE or U+FFFF, which libxlsxwriter writes as they are (control characters
            // it escapes as _xHHHH_): the part would be malformed and the whole file unreadable. Shown as U+FFFD.
            if text.unicodeScalars.contains(where: Self.notXML) {
                text = String(String.UnicodeScalarView(text.unicodeScalars.map { Self.notXML($0) ? "\u{FFFD}" : $0 }))
            }
            return worksheet_write_string(ws, row, col, text, nil)
        case .integer(let n):
            return worksheet_write_number(ws, row, col, Double(n), nil)
        case .money(let f):
            return worksheet_write_number(ws, row, col, Double(f.value) / 100, formats.money)
        case .percent(let p):
            return worksheet_write_number(ws, row, col, p, formats.percent)
        case .date(let d):
            var when = lxw_datetime(year: Int32(d.year), month: Int32(d.month), day: Int32(d.day), hour: 0, min: 0, sec: 0)
            return worksheet_write_datetime(ws, row, col, &when, formats.date)
        case .empty:
            return LXW_NO_ERROR
        }
    }

    /// A list validation (a drop-down refusing other values); libxlsxwriter copies the strings during the call.
    private static func list(_ values: [String], _ ws: UnsafeMutablePointer<lxw_worksheet>, column: lxw_col_t, rows: lxw_row_t)
        -> lxw_error
    {
        var strings: [UnsafeMutablePointer<CChar>?] = values.map { strdup($0) } + [nil]
        defer { for p in strings { free(p) } }
        return strings.withUnsafeMutableBufferPointer { list in
            var validation = lxw_data_validation()
            validation.validate = UInt8(LXW_VALIDATION_TYPE_LIST.rawValue)
            validation.value_list = list.baseAddress
            return worksheet_data_validation_range(ws, 1, column, rows, column, &validation)
        }
    }

    private static func check(_ error: lxw_error) throws {
        guard error == LXW_NO_ERROR else { throw WriteFailed(code: Int(error.rawValue)) }
    }

    /// The download: the workbook built off the event loop, with an ASCII file name for old clients and
    /// the Chinese one per RFC 6266 / 5987.
    static func response(_ sheets: [XLSXSheet], asciiName: String, chineseName: String, _ req: Request) async throws -> Response {
        let bytes = try await req.application.blockingWork.runIfActive { try Self.bytes(sheets) }
        let response = Response(status: .ok, body: .init(data: Data(bytes)))
        response.headers.replaceOrAdd(name: .contentType, value: contentType)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let encoded = chineseName.addingPercentEncoding(withAllowedCharacters: unreserved) ?? asciiName
        response.headers.replaceOrAdd(
            name: .contentDisposition, value: "attachment; filename=\"\(asciiName)\"; filename*=UTF-8''\(encoded)")
        return response
    }
}
