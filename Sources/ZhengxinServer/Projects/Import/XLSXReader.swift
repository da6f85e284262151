import Foundation
import ZhengxinCore

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An uploaded .xlsx read as data: a ZIP of XML parts, opened with bounds first (entry count, every
/// part's declared and actual uncompressed size, the total), so a ZIP bomb stops at the bound
/// instead of filling memory. Cells come with their real types: shared strings, inline strings and
/// formula strings as text, numbers (with their number format, so a date-formatted number reads as a
/// date), booleans and errors; a formula cell gives its last computed value, never the formula's.
struct XLSXReader {
    struct Limits: Sendable {
        var maxEntries = 256
        var maxPartBytes = 16 << 20
        var maxTotalBytes = 48 << 20
    }

    enum Failure: Error, Equatable, Sendable {
        case notZip
        case tooManyEntries(Int)
        case tooLarge(String)
        case missingPart(String)
        case badXML(String)

        /// The Chinese message a refusal shows.
        var message: String {
            switch self {
            case .notZip: return "文件不是Excel工作簿(.xlsx)"
            case .tooManyEntries(let n): return "工作簿内部文件过多(\(n)个),不予读取"
            case .tooLarge(let part): return "工作簿解压后过大(\(part)),不予读取"
            case .missingPart(let part): return "工作簿缺少必需的部分: \(part)"
            case .badXML(let part): return "工作簿内容格式错误: \(part)"
            }
        }
    }

    enum Value: Equatable, Sendable {
        case text(String)
        case number(Double)
        case bool(Bool)
        case error(String)
    }

    struct Cell: Equatable, Sendable {
        var value: Value
        /// The number format's code ("#,##0.00", "yyyy-mm-dd", "General"…).
        var numberFormat: String
        var hasFormula: Bool

        /// A number under a date format, as the Beijing calendar day it names (Excel's 1900 system).
        var date: CivilDate? {
            guard case .number(let serial) = value, XLSXReader.isDateFormat(numberFormat), serial >= 61 else { return nil }
            let day = Date(timeIntervalSince1970: (serial.rounded(.down) - 25_569) * 86_400)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let c = calendar.dateComponents([.year, .month, .day], from: day)
            return CivilDate(year: c.year ?? 0, month: c.month ?? 0, day: c.day ?? 0)
        }
    }

    struct Sheet: Sendable {
        var name: String
        /// Row number (1-based) → column index (0-based) → cell.
        var rows: [Int: [Int: Cell]]
        /// Rows frozen at the top (the pane's ySplit).
        var frozenRows: Int

        func cell(_ row: Int, _ column: Int) -> Cell? { rows[row]?[column] }
        var lastRow: Int { rows.keys.max() ?? 0 }
    }

    var sheets: [Sheet]

    init(_ data: Data, limits: Limits = Limits()) throws {
        // Read by ZipCheck, the reader an uploaded Office document passes: every entry where its
        // directory says, contiguous from the first byte to the directory and nothing after it, local
        // headers agreeing, each part inflated to its declared size and checked against its CRC. A
        // library that trusts what the directory or a comment claims read such files otherwise than
        // this check and trapped on offsets past the end, killing the process.
        let bytes = [UInt8](data)
        let listed: [ZipCheck.Entry]
        do { listed = try bytes.withUnsafeBufferPointer { try ZipCheck.entries($0) } } catch { throw Failure.notZip }
        guard listed.count <= limits.maxEntries else { throw Failure.tooManyEntries(listed.count) }
        var entries: [String: ZipCheck.Entry] = [:]
        for entry in listed {
            // Two parts of one name: which one a spreadsheet program reads is its own affair.
            guard entries.updateValue(entry, forKey: entry.name) == nil else { throw Failure.notZip }
        }
        guard !entries.isEmpty else { throw Failure.notZip }
        var budget = limits.maxTotalBytes
        func part(_ path: String, required: Bool = true) throws -> Data? {
            guard let entry = entries[path] else {
                if required { throw Failure.missingPart(path) }
                return nil
            }
            let cap = min(limits.maxPartBytes, budget)
            guard entry.size <= cap else { throw Failure.tooLarge(path) }
            let out: [UInt8]
            do { out = try bytes.withUnsafeBufferPointer { try ZipCheck.content($0, entry, limit: cap) } } catch {
                throw Failure.badXML(path)
            }
            budget -= out.count
            return Data(out)
        }

        // One budget of elements for the whole workbook, as of bytes: a tree is kept while the next is built.
        var elements = XMLTree.maxElements
        let workbook = try XMLTree.parse(try part("xl/workbook.xml")!, "xl/workbook.xml", elements: &elements)
        let relations = try XMLTree.parse(try part("xl/_rels/workbook.xml.rels")!, "xl/_rels/workbook.xml.rels", elements: &elements)
        var targets: [String: String] = [:]
        for r in relations.all("Relationship") { targets[r.attributes["Id"] ?? ""] = r.attributes["Target"] }
        let shared = try part("xl/sharedStrings.xml", required: false).map {
            try XMLTree.parse($0, "xl/sharedStrings.xml", elements: &elements)
        }
        let strings = shared?.children.filter { $0.name == "si" }.map(\.text) ?? []
        let formats =
            try part("xl/styles.xml", required: false).map {
                try Self.cellFormats(try XMLTree.parse($0, "xl/styles.xml", elements: &elements))
            } ?? []

        var read: Set<String> = []
        sheets = try workbook.all("sheet").map { sheet in
            let name = sheet.attributes["name"] ?? ""
            guard let target = targets[sheet.attributes["r:id"] ?? ""] else { throw Failure.missingPart(name) }
            let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            // Each part once: sheets naming one part would have it inflated and parsed again and again.
            guard read.insert(path).inserted else { throw Failure.badXML(path) }
            let tree = try XMLTree.parse(try part(path)!, path, elements: &elements)
            return try Self.sheet(name, tree, strings: strings, formats: formats)
        }
    }

    /// The number format code of each cell style (`cellXfs`), built-in ids by their standard codes.
    private static func cellFormats(_ styles: XMLTree) -> [String] {
        var custom: [String: String] = [:]
        for f in styles.all("numFmt") { custom[f.attributes["numFmtId"] ?? ""] = f.attributes["formatCode"] }
        let builtIn: [String: String] = [
            "0": "General", "1": "0", "2": "0.00", "3": "#,##0", "4": "#,##0.00", "9": "0%", "10": "0.00%", "14": "yyyy-mm-dd",
            "15": "d-mmm-yy", "16": "d-mmm", "17": "mmm-yy", "22": "yyyy-mm-dd h:mm", "49": "@",
        ]
        let xfs = styles.children.first { $0.name == "cellXfs" }?.children.filter { $0.name == "xf" } ?? []
        return xfs.map { xf in
            let id = xf.attributes["numFmtId"] ?? "0"
            return custom[id] ?? builtIn[id] ?? "General"
        }
    }

    private static func sheet(_ name: String, _ tree: XMLTree, strings: [String], formats: [String]) throws -> Sheet {
        var rows: [Int: [Int: Cell]] = [:]
        var frozen = 0
        if let pane = tree.all("pane").first, pane.attributes["state"] == "frozen" {
            frozen = Int(pane.attributes["ySplit"] ?? "") ?? 0
        }
        var nextRow = 1
        for row in tree.all("row") {
            let r = Int(row.attributes["r"] ?? "") ?? nextRow
            // A sheet has rows 1…1,048,576 and columns A…XFD; anything else is not a workbook's.
            guard Self.rowNumbers.contains(r) else { throw Failure.badXML(name) }
            nextRow = r + 1
            var nextColumn = 0
            for c in row.children where c.name == "c" {
                let column = try c.attributes["r"].map { try Self.column($0).orThrow(Failure.badXML(name)) } ?? nextColumn
                guard column < Self.maxColumns else { throw Failure.badXML(name) }
                nextColumn = column + 1
                let raw = c.children.first { $0.name == "v" }?.text
                let format = Int(c.attributes["s"] ?? "").flatMap { formats.indices.contains($0) ? formats[$0] : nil } ?? "General"
                let value: Value?
                switch c.attributes["t"] ?? "n" {
                case "s": value = Int(raw ?? "").flatMap { $0 >= 0 && $0 < strings.count ? .text(strings[$0]) : nil }
                case "inlineStr": value = c.children.first { $0.name == "is" }.map { .text($0.text) }
                case "str": value = raw.map { .text($0) }
                case "b": value = raw.map { .bool($0 == "1") }
                case "e": value = raw.map { .error($0) }
                default: value = raw.flatMap(Double.init).map { .number($0) }
                }
                guard let value else { continue }
                rows[r, default: [:]][column] = Cell(
                    value: value, numberFormat: format, hasFormula: c.children.contains { $0.name == "f" })
            }
        }
        return Sheet(name: name, rows: rows, frozenRows: frozen)
    }

    static let rowNumbers = 1...1_048_576
    static let maxColumns = 16_384

    /// "AB12" → 27; nil for no letters or more than three (no sheet has such a column).
    static func column(_ reference: String) -> Int? {
        var n = 0
        var letters = 0
        for u in reference.unicodeScalars {
            guard ("A"..."Z").contains(u) else { break }
            guard letters < 3 else { return nil }
            n = n * 26 + Int(u.value - 64)
            letters += 1
        }
        return letters == 0 ? nil : n - 1
    }

    /// A format shows a date when, outside quoted text and [..] sections, it has a day, month or year.
    static func isDateFormat(_ code: String) -> Bool {
        var inQuote = false
        var inBracket = false
        for ch in code.lowercased() {
            switch ch {
            case "\"": inQuote.toggle()
            case "[" where !inQuote: inBracket = true
            case "]" where !inQuote: inBracket = false
            case "y", "d",
                "m" where !inQuote && !inBracket:
                return true
            default: break
            }
        }
        return false
    }
}

/// A small element tree of one XML part (namespace prefixes dropped from element names). A part
/// with a DOCTYPE is refused: OOXML never has one, and it is how entity bombs arrive. So is a part
/// nested deeper than `maxDepth`: the tree is walked and freed recursively, and 100,000 nested
/// elements (1.4 KB zipped) overflowed the stack and killed the process; a worksheet or shared
/// string table nests fewer than ten.
struct XMLTree {
    static let maxDepth = 64

    var name: String
    var attributes: [String: String]
    var children: [XMLTree]
    /// The element's own character data and its descendants', in order.
    var ownText: String

    var text: String { ownText + children.map(\.text).joined() }

    /// Every descendant named `name`, in document order.
    func all(_ name: String) -> [XMLTree] {
        children.flatMap { ($0.name == name ? [$0] : []) + $0.all(name) }
    }

    /// Elements a part may hold: a full batch (500 rows of some twenty cells, each two or three
    /// elements, its strings with a few formatted runs each) holds a few tens of thousands, a sheet
    /// formatted far below its rows a few hundred thousand. The bytes' bound alone let 16 MiB of
    /// `<si/>` (31 KB zipped) build a tree of 3 million elements, 3 s of CPU. A workbook's parts share it.
    static let maxElements = 500_000

    /// The part's tree, its elements taken from `elements`, what a workbook's parts may still hold.
    static func parse(_ data: Data, _ part: String, elements: inout Int) throws -> XMLTree {
        guard isUTF8(data), data.range(of: Data("<!DOCTYPE".utf8)) == nil else { throw XLSXReader.Failure.badXML(part) }
        let builder = Builder(limit: elements)
        defer { elements -= builder.elements }
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        let parsed = parser.parse()
        if builder.tooMany { throw XLSXReader.Failure.tooLarge(part) }
        guard parsed, !builder.tooDeep, let root = builder.root else { throw XLSXReader.Failure.badXML(part) }
        return root
    }

    /// UTF-8, as every spreadsheet program writes a part: starting with `<` (after a byte-order mark),
    /// no NUL, and an XML declaration naming no other encoding. In UTF-16, or an encoding the parser
    /// detects from the first bytes, a DTD would pass the byte search for `<!DOCTYPE`.
    static func isUTF8(_ data: Data) -> Bool {
        let body = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...]
        guard body.first == 0x3C, !data.contains(0) else { return false }
        let head = String(decoding: body.prefix(256), as: UTF8.self).lowercased()
        guard head.hasPrefix("<?xml"), let end = head.range(of: "?>") else { return true }
        let declaration = head[..<end.lowerBound]
        return !declaration.contains("encoding") || declaration.contains("utf-8") || declaration.contains("utf8")
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [XMLTree] = []
        var root: XMLTree?
        var tooDeep = false
        var tooMany = false
        var elements = 0
        let limit: Int

        init(limit: Int) { self.limit = limit }

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
            attributes attributeDict: [String: String] = [:]
        ) {
            elements += 1
            guard elements <= limit else {
                tooMany = true
                stack.removeAll()
                parser.abortParsing()
                return
            }
            guard stack.count < XMLTree.maxDepth else {
                tooDeep = true
                stack.removeAll()
                parser.abortParsing()
                return
            }
            let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
            stack.append(XMLTree(name: local, attributes: attributeDict, children: [], ownText: ""))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            // Character data of a text element (<t>, <v>, <f>) only; whitespace between elements is not text.
            if ["t", "v", "f"].contains(stack[stack.count - 1].name) { stack[stack.count - 1].ownText += string }
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            guard let done = stack.popLast() else { return }
            if stack.isEmpty { root = done } else { stack[stack.count - 1].children.append(done) }
        }
    }
}

extension Optional {
    /// The value, or `error` thrown when there is none.
    fileprivate func orThrow(_ error: @autoclosure () -> some Error) throws -> Wrapped {
        guard let value = self else { throw error() }
        return value
    }
}
