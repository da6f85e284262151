import ZhengxinCore

/// CSV that Excel on a Chinese Windows desktop opens correctly: UTF-8 with a BOM (EF BB BF), CRLF line
/// ends, RFC 4180 quoting, money in 元 with two decimals and no grouping (so it stays a number).
/// Text cells that a spreadsheet would run as a formula (= + - @, tab, CR) get a leading apostrophe
/// (CSV injection, OWASP); numbers we format ourselves are written as they are.
public enum CSVField: Sendable, Hashable {
    case text(String)
    case integer(Int)
    /// Written in 元 with two decimals: Fen(123456) → 1234.56
    case money(Fen)

    /// The field's bytes appended to `out` as they are made: no String per field (a 2,000-row
    /// overdue file spent a sixth of its time making, defusing and quoting Strings).
    func write(to out: inout [UInt8]) {
        switch self {
        case .text(let s): CSVDocument.writeText(s, to: &out)
        case .integer(let n): out.append(contentsOf: String(n).utf8)
        case .money(let f): out.append(contentsOf: CSVDocument.yuan(f).utf8)
        }
    }
}

public struct CSVDocument: Sendable, Hashable {
    public var header: [String]
    public var rows: [[CSVField]]

    public init(header: [String], rows: [[CSVField]]) {
        self.header = header
        self.rows = rows
    }

    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The file: BOM, header, rows, each line ended by CRLF.
    public var bytes: [UInt8] {
        var out = Self.byteOrderMark
        func write(_ line: [CSVField]) {
            for (i, field) in line.enumerated() {
                if i > 0 { out.append(0x2C) }
                field.write(to: &out)
            }
            out += [0x0D, 0x0A]
        }
        write(header.map(CSVField.text))
        for row in rows { write(row) }
        return out
    }

    /// A text field, looked at in its UTF-8 bytes (none of the characters below is ever part of a
    /// longer character's bytes). A leading apostrophe on text a spreadsheet would evaluate (= + - @,
    /// tab, CR); RFC 4180: a field with a comma, a double quote, CR or LF goes in double quotes, its
    /// quotes doubled.
    static func writeText(_ s: String, to out: inout [UInt8]) {
        let utf8 = s.utf8
        let defused = utf8.first.map { [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D].contains($0) } ?? false
        guard utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }) else {
            if defused { out.append(0x27) }
            out.append(contentsOf: utf8)
            return
        }
        out.append(0x22)
        if defused { out.append(0x27) }
        for byte in utf8 {
            if byte == 0x22 { out.append(0x22) }
            out.append(byte)
        }
        out.append(0x22)
    }

    /// Fen as 元 with two decimals, no grouping: -5 → -0.05.
    static func yuan(_ f: Fen) -> String {
        let m = f.value.magnitude
        let cents = m % 100
        return (f.value < 0 ? "-" : "") + "\(m / 100)." + (cents < 10 ? "0" : "") + "\(cents)"
    }
}

extension PortfolioReport {
    /// One table of the report as CSV: the group, project counts, the four money figures in 元, 拨付率,
    /// and a 合计 line.
    public func csv(_ d: PortfolioDimension) -> CSVDocument {
        let header = [d.groupHeading, "项目数", "其中涉密项目数(金额不计入)", "申报总投资(元)", "批复概算(元)", "资金计划(元)", "已拨付(元)", "拨付率(占批复概算)"]
        let rows = (rows(d) + [total]).map { r -> [CSVField] in
            [
                .text(r.label), .integer(r.projects), .integer(r.classifiedProjects), .money(r.money.requested), .money(r.money.approved),
                .money(r.money.planned), .money(r.money.disbursed), .text(r.money.disbursedShareOfApproved ?? "—"),
            ]
        }
        return CSVDocument(header: header, rows: rows)
    }
}
