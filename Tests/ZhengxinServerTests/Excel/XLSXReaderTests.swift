import Foundation
import Testing
import ZIPFoundation
import ZhengxinCore

@testable import ZhengxinServer

/// `XLSXReader` on hand-made and hostile workbooks: the cell kinds other programs write (shared,
/// inline and formula strings, booleans), and the bounds that stop a ZIP bomb.
@Suite("Reading .xlsx workbooks")
struct XLSXReaderTests {
    /// A ZIP of the given parts (deflated).
    static func zip(_ parts: [(String, Data)]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, data) in parts {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) {
                position, size in data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return try #require(archive.data)
    }

    static let workbook = Data(
        """
        <?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="申报" sheetId="1" r:id="rId1"/></sheets></workbook>
        """.utf8)
    static let relations = Data(
        """
        <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
        </Relationships>
        """.utf8)

    static func book(sheet: String, shared: String? = nil) throws -> Data {
        var parts = [
            ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", relations), ("xl/worksheets/sheet1.xml", Data(sheet.utf8)),
        ]
        if let shared { parts.append(("xl/sharedStrings.xml", Data(shared.utf8))) }
        return try zip(parts)
    }

    @Test("shared, inline and formula strings, numbers, booleans; formulas give their value; cells placed by reference")
    func cellKinds() throws {
        let sheet = """
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\
            <row r="1"><c r="A1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><r><t>智慧</t></r><r><t>城市</t></r></is></c></row>\
            <row r="3"><c r="A3"><v>1234.5</v></c><c r="B3" t="str"><f>A1&amp;"x"</f><v>=SUM(1)</v></c><c r="C3" t="b"><v>1</v></c>\
            <c r="D3"><f>1+1</f><v>2</v></c></row></sheetData></worksheet>
            """
        let shared = """
            <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>零</t></si><si><r><t>项目</t></r><r><t>名称</t></r></si></sst>
            """
        let read = try XLSXReader(try Self.book(sheet: sheet, shared: shared))
        let s = try #require(read.sheets.first)
        #expect(s.name == "申报")
        #expect(s.cell(1, 0)?.value == .text("项目名称"))
        #expect(s.cell(1, 1) == nil && s.cell(1, 2)?.value == .text("智慧城市"))
        #expect(s.cell(3, 0)?.value == .number(1234.5) && s.cell(3, 0)?.date == nil)
        // A formula's cached text is data, never run.
        #expect(s.cell(3, 1)?.value == .text("=SUM(1)") && s.cell(3, 1)?.hasFormula == true)
        #expect(s.cell(3, 2)?.value == .bool(true) && s.cell(3, 3)?.value == .number(2))
        #expect(s.frozenRows == 0 && s.lastRow == 3)
    }

    @Test("not a ZIP, a DOCTYPE, a missing part: refused with a reason")
    func malformed() throws {
        #expect(throws: XLSXReader.Failure.notZip) { try XLSXReader(Data("姓名,金额\r\n".utf8)) }
        #expect(throws: XLSXReader.Failure.notZip) { try XLSXReader(Data()) }
        let entity = "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><worksheet><sheetData/></worksheet>"
        #expect(throws: XLSXReader.Failure.badXML("xl/worksheets/sheet1.xml")) { try XLSXReader(try Self.book(sheet: entity)) }
        // Nested past the bound (64): refused, where 100,000 levels once overflowed the stack.
        for depth in [XMLTree.maxDepth + 1, 100_000] {
            let deep =
                "<worksheet><sheetData>" + String(repeating: "<x>", count: depth) + String(repeating: "</x>", count: depth)
                + "</sheetData></worksheet>"
            #expect(throws: XLSXReader.Failure.badXML("xl/worksheets/sheet1.xml")) { try XLSXReader(try Self.book(sheet: deep)) }
        }
        // UTF-8 only: in UTF-16 a DTD passed the byte search; a declared other encoding is refused too.
        let utf16 = try #require(
            "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><worksheet/>".data(using: .utf16))
        let latin = Data("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><worksheet><sheetData/></worksheet>".utf8)
        for sheet in [utf16, latin] {
            let book = try Self.zip([
                ("xl/workbook.xml", Self.workbook), ("xl/_rels/workbook.xml.rels", Self.relations), ("xl/worksheets/sheet1.xml", sheet),
            ])
            #expect(throws: XLSXReader.Failure.badXML("xl/worksheets/sheet1.xml")) { try XLSXReader(book) }
        }
        let noWorkbook = try Self.zip([("xl/worksheets/sheet1.xml", Data("<worksheet/>".utf8))])
        #expect(throws: XLSXReader.Failure.missingPart("xl/workbook.xml")) { try XLSXReader(noWorkbook) }
    }

    @Test("a directory that points outside the file or between entries is refused, never a trap")
    func directoryOffsets() throws {
        let template = try XLSXWorkbook.bytes(ProjectImport.template())
        #expect(throws: Never.self) { try XLSXReader(Data(template)) }
        // The first directory entry's "relative offset of local header" (46-byte entries after "PK\u{1}\u{2}").
        let directory = try #require((0..<(template.count - 4)).first { template[$0..<($0 + 4)] == [0x50, 0x4B, 0x01, 0x02] })
        for offset: UInt32 in [0x7FFF_FFFF, UInt32(template.count), 1] {
            var hostile = template
            withUnsafeBytes(of: offset.littleEndian) { hostile.replaceSubrange((directory + 42)..<(directory + 46), with: $0) }
            #expect(throws: XLSXReader.Failure.notZip) { try XLSXReader(Data(hostile)) }
        }
        // Sizes that lie about a part that is read (compressed at +20 in the directory, +18 in the local
        // header; uncompressed at +24 and +22), in the directory alone or in both headers alike.
        let name = Array("xl/workbook.xml".utf8)
        func isEntry(_ i: Int) -> Bool {
            guard template[i..<(i + 4)] == [0x50, 0x4B, 0x01, 0x02] else { return false }
            let length = Int(template[i + 28]) | Int(template[i + 29]) << 8
            return length == name.count && Array(template[(i + 46)..<(i + 46 + length)]) == name
        }
        let entry = try #require((0..<(template.count - 46)).first(where: isEntry))
        let local = (0..<4).reduce(0) { $0 | Int(template[entry + 42 + $1]) << (8 * $1) }
        for (field, size) in [(20, UInt32(0x7FFF_FFF0)), (24, 0x7FFF_FFF0), (24, 0), (20, 0)] {
            var hostile = template
            withUnsafeBytes(of: size.littleEndian) { hostile.replaceSubrange((entry + field)..<(entry + field + 4), with: $0) }
            #expect(throws: XLSXReader.Failure.self) { try XLSXReader(Data(hostile)) }
            withUnsafeBytes(of: size.littleEndian) { hostile.replaceSubrange((local + field - 2)..<(local + field + 2), with: $0) }
            #expect(throws: XLSXReader.Failure.self) { try XLSXReader(Data(hostile)) }
        }
    }

    @Test("a ZIP bomb stops at the bound: one huge part, too many entries, too much in total")
    func bombs() throws {
        // 8 MiB of zeros deflate to a few KiB.
        let zeros = Data(count: 8 << 20)
        let huge = try Self.zip([("xl/workbook.xml", zeros)])
        #expect(huge.count < 64 << 10)
        #expect(throws: XLSXReader.Failure.tooLarge("xl/workbook.xml")) {
            try XLSXReader(huge, limits: .init(maxEntries: 10, maxPartBytes: 1 << 20, maxTotalBytes: 4 << 20))
        }
        let many = try Self.zip((0..<300).map { ("x/\($0).xml", Data("<a/>".utf8)) })
        #expect(throws: XLSXReader.Failure.tooManyEntries(300)) { try XLSXReader(many) }
        // Elements past the bound, however few bytes: 16 MiB of <si/> once built 3 million of them.
        let strings = "<sst>" + String(repeating: "<si/>", count: XMLTree.maxElements) + "</sst>"
        #expect(throws: XLSXReader.Failure.tooLarge("xl/sharedStrings.xml")) {
            try XLSXReader(try Self.book(sheet: "<worksheet><sheetData/></worksheet>", shared: strings))
        }
        // The parts share one budget: half of it in strings and half in rows pass it together.
        let half = XMLTree.maxElements / 2
        let halfStrings = "<sst>" + String(repeating: "<si/>", count: half) + "</sst>"
        let halfRows = "<worksheet><sheetData>" + String(repeating: "<row/>", count: half) + "</sheetData></worksheet>"
        #expect(throws: XLSXReader.Failure.tooLarge("xl/worksheets/sheet1.xml")) {
            try XLSXReader(try Self.book(sheet: halfRows, shared: halfStrings))
        }
        // Two sheets naming one part: it is read once, not once a sheet.
        let twice = Data(
            String(decoding: Self.workbook, as: UTF8.self).replacingOccurrences(
                of: "</sheets>", with: "<sheet name=\"再读\" sheetId=\"2\" r:id=\"rId1\"/></sheets>"
            ).utf8)
        let sheets = [
            ("xl/_rels/workbook.xml.rels", Self.relations), ("xl/worksheets/sheet1.xml", Data("<worksheet><sheetData/></worksheet>".utf8)),
        ]
        #expect(throws: XLSXReader.Failure.badXML("xl/worksheets/sheet1.xml")) {
            try XLSXReader(try Self.zip([("xl/workbook.xml", twice)] + sheets))
        }
        let sheet = "<worksheet><sheetData>" + String(repeating: "<row/>", count: 200_000) + "</sheetData></worksheet>"
        #expect(throws: XLSXReader.Failure.tooLarge("xl/worksheets/sheet1.xml")) {
            try XLSXReader(try Self.book(sheet: sheet), limits: .init(maxEntries: 10, maxPartBytes: 4 << 20, maxTotalBytes: 1 << 20))
        }
    }

    @Test("hostile references: a row past the sheet, a 4-letter column, a negative style are refused, never a crash")
    func hostileReferences() throws {
        func sheet(_ cells: String) -> String {
            "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>\(cells)</sheetData></worksheet>"
        }
        for bad in [
            "<row r=\"9223372036854775807\"><c r=\"A1\"><v>1</v></c></row>", "<row r=\"1048577\"><c><v>1</v></c></row>",
            "<row r=\"0\"><c><v>1</v></c></row>", "<row r=\"1\"><c r=\"ZZZZZZZZZZZZZZZZZZZZ1\"><v>1</v></c></row>",
            "<row r=\"1\"><c r=\"AAAA1\"><v>1</v></c></row>",
        ] {
            #expect(throws: XLSXReader.Failure.self, "\(bad)") { try XLSXReader(try Self.book(sheet: sheet(bad))) }
        }
        let lastCell = try XLSXReader(try Self.book(sheet: sheet("<row r=\"1048576\"><c r=\"XFD1048576\" s=\"-1\"><v>7</v></c></row>")))
        #expect(lastCell.sheets.first?.cell(1_048_576, 16_383)?.value == .number(7))
        #expect(lastCell.sheets.first?.cell(1_048_576, 16_383)?.numberFormat == "General", "a style index out of range is General")
    }

    @Test("what XLSXWorkbook writes reads back: types, formats, dates, frozen header, a note row")
    func roundTrip() throws {
        let sheet = XLSXSheet(
            name: "测试", columns: [.init(title: "名称", width: 10), .init(title: "金额(元)", width: 12), .init(title: "日期", width: 12)],
            rows: [
                [.text("=1+1"), .money(Fen(123_456)), .date(CivilDate(year: 2026, month: 6, day: 30)!)],
                [.integer(7), .empty, .percent(0.5)],
            ],
            note: "只含前2项")
        let read = try XLSXReader(Data(try XLSXWorkbook.bytes([sheet])))
        let s = try #require(read.sheets.first)
        #expect(s.name == "测试" && s.frozenRows == 1)
        #expect(s.cell(1, 1)?.value == .text("金额(元)"))
        #expect(s.cell(2, 0)?.value == .text("=1+1") && s.cell(2, 0)?.hasFormula == false, "text stays text")
        #expect(s.cell(2, 1)?.value == .number(1234.56) && s.cell(2, 1)?.numberFormat == "#,##0.00")
        #expect(s.cell(2, 2)?.date == CivilDate(year: 2026, month: 6, day: 30))
        #expect(s.cell(3, 0)?.value == .number(7) && s.cell(3, 1) == nil && s.cell(3, 2)?.value == .number(0.5))
        #expect(s.cell(4, 0)?.value == .text("只含前2项"))
    }

    @Test("text XML cannot hold (U+FFFE, U+FFFF) is written as U+FFFD: the file stays readable")
    func nonCharactersInText() throws {
        let sheet = XLSXSheet(
            name: "测试", columns: [.init(title: "名称", width: 10)],
            rows: [[.text("非字符" + String(Unicode.Scalar(UInt32(0xFFFE))!) + "测试" + String(Unicode.Scalar(UInt32(0xFFFF))!))]])
        let read = try XLSXReader(Data(try XLSXWorkbook.bytes([sheet])))
        #expect(read.sheets.first?.cell(2, 0)?.value == .text("非字符\u{FFFD}测试\u{FFFD}"))
    }
}
