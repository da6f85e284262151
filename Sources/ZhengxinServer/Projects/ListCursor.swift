import Foundation
import SQLKit

/// Where a page of the project list starts or ends, as its sort sees it: the sort key of one row
/// and its code (the tie-break, unique). A page read `after` or `before` a cursor seeks to it in the
/// sort's (key, code, classified) index instead of counting past every earlier row with OFFSET, so
/// 下一页 from page 1,000 costs what page 1 costs.
///
/// The cursor carries the values, not a row id: whatever a caller writes into it only positions a
/// read of the rows the caller may see, so no cursor can tell anything about a row outside them.
/// On the wire it is base64url of "key\ncode" (opaque to clients; the `Link` header and the pages'
/// links carry it).
struct ListCursor: Sendable, Equatable {
    enum Key: Sendable, Equatable {
        case text(String)
        case number(Int64)
    }

    /// The sort key's value; nil when the list is sorted by code itself.
    var key: Key?
    var code: String

    /// A cursor longer than this is not one the server wrote: a name is at most 200 characters, up to
    /// 1,600 bytes of UTF-8, and a code far less; base64 makes 4 of every 3 bytes.
    static let maxTokenLength = 4_096

    /// The cursor of a listed row under `sort`: the values of the row's columns, as the index holds
    /// them (a 涉密 row's name and amount columns hold a placeholder and 0, and so does its cursor).
    init(_ row: ProjectRow, sort: ProjectListQuery.SortKey) {
        code = row.code
        switch sort {
        case .code: key = nil
        case .name: key = .text(row.name)
        case .updated: key = .number(row.updatedAt)
        case .investment: key = .number(row.totalInvestmentFen)
        }
    }

    init(key: Key?, code: String) { (self.key, self.code) = (key, code) }

    /// The row a search's walk stops at (ProjectListing.walkEndQuery: code, then the sort key).
    init(walkEnd row: PlainRows.Row, sort: ProjectListQuery.SortKey) throws {
        code = try row.text(0)
        switch sort {
        case .code: key = nil
        case .name: key = .text(try row.text(1))
        case .updated, .investment: key = .number(try row.int64(1))
        }
    }

    var token: String {
        let keyText: String
        switch key {
        case .none: keyText = ""
        case .text(let text): keyText = text
        case .number(let n): keyText = String(n)
        }
        return Data((keyText + "\n" + code).utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The cursor a token stands for under `sort`, or nil when it is not one (not base64url, not
    /// UTF-8, no code, or a key of the wrong kind for the sort).
    static func parse(_ token: String, sort: ProjectListQuery.SortKey) -> ListCursor? {
        guard !token.isEmpty, token.utf8.count <= maxTokenLength else { return nil }
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
            let newline = text.lastIndex(of: "\n")
        else { return nil }
        let (keyText, code) = (String(text[..<newline]), String(text[text.index(after: newline)...]))
        // No control character: no name or code holds one, and PostgreSQL refuses NUL in text.
        guard !code.isEmpty, !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" }) else { return nil }
        switch sort {
        case .code: return keyText.isEmpty ? ListCursor(key: nil, code: code) : nil
        case .name: return ListCursor(key: .text(keyText), code: code)
        case .updated, .investment: return Int64(keyText).map { ListCursor(key: .number($0), code: code) }
        }
    }

    /// The rows whose (key, code) is above (`greater`) or below this cursor's: after it in an
    /// ascending sort, before it in a descending one. A row value, so each database bounds its scan
    /// of the (key, code, classified) index by it.
    func seek(sort: ProjectListQuery.SortKey, greater: Bool) -> SQLQueryString {
        let comparison: SQLQueryString = greater ? " > " : " < "
        if sort == .code { return "code" + comparison + "\(bind: code)" }
        let column = ProjectListing.column(sort)
        let value: SQLQueryString
        switch key {
        case .text(let text): value = "\(bind: text)"
        case .number(let n): value = "\(bind: n)"
        case .none: value = "\(bind: "")"  // parse never gives a keyless cursor for these sorts
        }
        return "(\(unsafeRaw: column), code)" + comparison + "(" + value + ", \(bind: code))"
    }
}
