import Foundation

/// OFD (GB/T 33190): OFD.xml and the documents under Doc_N/, each part XML, an image, a font or
/// signature data. Attachments (Attachs/) are files of any type carried inside: refused, as a
/// PDF's embedded files are.
enum OFDPackage {
    static let extensions: Set<String> = [
        "xml", "png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff", "jb2", "jbig2", "ttf", "otf", "ttc", "dat", "esl",
    ]

    static func check(_ package: [(entry: ZipCheck.Entry, name: String)]) throws -> String {
        for (entry, name) in package where name != "ofd.xml" {
            let parts = name.split(separator: "/")
            guard let top = parts.first, top.hasPrefix("doc_"), top.count > 4, top.dropFirst(4).allSatisfy(\.isASCII),
                top.dropFirst(4).allSatisfy(\.isNumber)
            else {
                throw DocumentSniffer.Refusal("DOC-OFD-ENTRY", "OFD 文档中有不属于文档的条目: \(entry.name)(只接受 OFD.xml 和 Doc_N/ 下的内容)")
            }
            if parts.contains("attachs") || parts.last == "attachments.xml" {
                throw DocumentSniffer.Refusal("DOC-OFD-ATTACHMENT", "OFD 文档含有附件(\(entry.name)),不接受嵌入的文件")
            }
            if name.hasSuffix("/") { continue }
            guard let last = parts.last, last.contains("."), let ext = last.split(separator: ".").last, extensions.contains(String(ext))
            else {
                throw DocumentSniffer.Refusal("DOC-OFD-ENTRY", "OFD 文档中有不接受的文件: \(entry.name)(只接受 XML、图片、字体和签名数据)")
            }
        }
        return "application/ofd"
    }
}
/// Office Open XML: parts under the package's own folders only; no VBA project, ActiveX
/// control or embedded object by name, by content type or by relationship; no relationship
/// that reaches outside the package (TargetMode="External", or a target with a scheme), which
/// Office follows on opening (remote templates, linked images and objects) — every `.rels` part
/// is inflated and read.
enum OfficePackage {
    static let folders = ["_rels/", "docprops/", "word/", "xl/", "ppt/", "customxml/"]

    /// Relationship types (their last path segment, lower-cased) that bring code or other files in.
    static let refusedRelationships: [String: (code: String, what: String)] = [
        "vbaproject": ("DOC-OFFICE-MACRO", "宏(VBA)"), "vbaprojectsignature": ("DOC-OFFICE-MACRO", "宏(VBA)"),
        "wordvbadata": ("DOC-OFFICE-MACRO", "宏(VBA)"), "keymapcustomizations": ("DOC-OFFICE-MACRO", "宏快捷键"),
        "attachedtoolbars": ("DOC-OFFICE-MACRO", "宏工具栏"),
        "control": ("DOC-OFFICE-MACRO", "ActiveX 控件"), "activexcontrol": ("DOC-OFFICE-MACRO", "ActiveX 控件"),
        "activexcontrolbinary": ("DOC-OFFICE-MACRO", "ActiveX 控件"),
        "oleobject": ("DOC-OFFICE-EMBEDDED", "嵌入的 OLE 对象"), "package": ("DOC-OFFICE-EMBEDDED", "嵌入的文档"),
        "afchunk": ("DOC-OFFICE-EMBEDDED", "嵌入的外来内容(altChunk)"), "attachedtemplate": ("DOC-OFFICE-EMBEDDED", "附加的模板"),
        "subdocument": ("DOC-OFFICE-EMBEDDED", "子文档"),
    ]

    static let maxPart = 8 * 1024 * 1024
    static let maxParts = 64 * 1024 * 1024

    static func check(_ b: UnsafeBufferPointer<UInt8>, _ package: [(entry: ZipCheck.Entry, name: String)]) throws -> String {
        var budget = maxParts
        for (entry, name) in package {
            if name != "[content_types].xml" && !folders.contains(where: { name.hasPrefix($0) }) {
                throw DocumentSniffer.Refusal("DOC-OFFICE-ENTRY", "Office 文档中有不属于文档的条目: \(entry.name)")
            }
            let parts = name.split(separator: "/")
            let last = parts.last.map(String.init) ?? name
            if last.hasPrefix("vbaproject") || last.hasPrefix("vbadata") || last.hasPrefix("attachedtoolbars") || parts.contains("activex")
            {
                throw DocumentSniffer.Refusal("DOC-OFFICE-MACRO", "不接受含宏或 ActiveX 控件的文档(\(entry.name))")
            }
            // A chart's data travels as an embedded workbook (word/embeddings/*.xlsx, a macro-free
            // package Office opens only when the reader edits the chart); anything else embedded is refused.
            if (parts.contains("embeddings") && !last.hasSuffix(".xlsx")) || last.contains("oleobject") {
                throw DocumentSniffer.Refusal("DOC-OFFICE-EMBEDDED", "不接受含嵌入对象的 Office 文档(\(entry.name))")
            }
            guard name == "[content_types].xml" || name.hasSuffix(".rels"), !name.hasSuffix("/") else { continue }
            let bytes = try ZipCheck.content(b, entry, limit: min(maxPart, budget))
            budget -= bytes.count
            guard let text = XMLText.decode(bytes) else {
                throw DocumentSniffer.Refusal("DOC-OFFICE-STRUCTURE", "Office 文档的 \(entry.name) 不是可读的 XML 文本")
            }
            let lowered = text.lowercased()
            if lowered.contains("<!doctype") || lowered.contains("<!entity") {
                throw DocumentSniffer.Refusal("DOC-OFFICE-STRUCTURE", "Office 文档的 \(entry.name) 含有 DTD 声明,不接受")
            }
            if name == "[content_types].xml" {
                for (marker, code, what) in [
                    ("macroenabled", "DOC-OFFICE-MACRO", "启用宏的文档类型"), ("vbaproject", "DOC-OFFICE-MACRO", "宏(VBA)"),
                    ("activex", "DOC-OFFICE-MACRO", "ActiveX 控件"), ("oleobject", "DOC-OFFICE-EMBEDDED", "嵌入的 OLE 对象"),
                ]
                where lowered.contains(marker) {
                    throw DocumentSniffer.Refusal(code, "Office 文档声明了\(what)(\(entry.name)),不接受")
                }
            } else {
                try relationships(text, in: entry.name)
            }
        }
        let names = package.map(\.name)
        if names.contains(where: { $0.hasPrefix("word/") }) {
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        }
        if names.contains(where: { $0.hasPrefix("xl/") }) { return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }
        if names.contains(where: { $0.hasPrefix("ppt/") }) {
            return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        }
        throw DocumentSniffer.Refusal("DOC-OFFICE-ENTRY", "Office 文档中没有正文(word/、xl/ 或 ppt/)")
    }

    /// The relationship types of a hyperlink and of an embedded package, Transitional and Strict.
    static let hyperlinkTypes: Set<String> = [
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
        "http://purl.oclc.org/ooxml/officeDocument/relationships/hyperlink",
    ]
    static let packageTypes: Set<String> = [
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package",
        "http://purl.oclc.org/ooxml/officeDocument/relationships/package",
    ]

    /// An http(s) or mailto address: what a hyperlink in a document may point to.
    static func isWebLink(_ target: String) -> Bool {
        let t = target.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return t.hasPrefix("http://") || t.hasPrefix("https://") || t.hasPrefix("mailto:")
    }

    /// Each relationship of a `.rels` part: internal, to a part of the package, of a harmless type;
    /// or a hyperlink to a web or mail address, or a chart's embedded workbook.
    static func relationships(_ text: String, in part: String) throws {
        for element in try XMLText.elements(text) {
            var attributes: [String: String] = [:]
            for (name, value) in element.attributes {
                let local = String(name.split(separator: ":").last ?? Substring(name)).lowercased()
                // Two attributes a reader could take for one (`TargetMode` and `p:targetMode`): which
                // one Office reads is its business; refuse rather than guess.
                guard attributes.updateValue(value, forKey: local) == nil else {
                    throw DocumentSniffer.Refusal("DOC-OFFICE-STRUCTURE", "Office 文档的关系(\(part))含有重复的属性 \(name),不接受")
                }
            }
            let target = attributes["target"] ?? ""
            let type = attributes["type"] ?? ""
            let isInternal =
                (attributes["targetmode"] ?? "Internal").trimmingCharacters(in: .whitespacesAndNewlines).lowercased() == "internal"
            if hyperlinkTypes.contains(type) && isWebLink(target) { continue }  // followed only when the reader clicks it
            // A chart's workbook: a part of this package, by a plain relative name.
            if packageTypes.contains(type), isInternal, target.lowercased().hasSuffix(".xlsx"),
                !target.contains(":"), !target.contains("\\"), !target.contains("%"), !target.hasPrefix("/")
            {
                continue
            }
            if let mode = attributes["targetmode"], mode.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() != "internal" {
                throw DocumentSniffer.Refusal(
                    "DOC-OFFICE-EXTERNAL",
                    "Office 文档含有指向外部的关系(\(part): TargetMode=\"\(mode)\" Target=\"\(target.prefix(200))\"),不接受引用外部资源的文档")
            }
            let plain = (target.removingPercentEncoding ?? target).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            let scheme = plain.prefix { $0 != "/" && $0 != "?" && $0 != "#" }.contains(":")
            if scheme || plain.hasPrefix("//") || plain.hasPrefix("\\") {
                throw DocumentSniffer.Refusal(
                    "DOC-OFFICE-EXTERNAL", "Office 文档含有指向外部的关系(\(part): Target=\"\(target.prefix(200))\"),不接受引用外部资源的文档")
            }
            if let type = attributes["type"], let last = type.split(separator: "/").last,
                let refused = refusedRelationships[last.lowercased()]
            {
                throw DocumentSniffer.Refusal(refused.code, "Office 文档含有\(refused.what)(\(part): \(type)),不接受")
            }
        }
    }
}
/// The little of XML a package check needs: the text in its declared encoding (UTF-8, or UTF-16
/// by its byte-order mark or its first '<'), and each element's attributes with character and
/// the predefined entity references resolved (`&#69;xternal` is "External").
enum XMLText {
    static func decode(_ bytes: [UInt8]) -> String? {
        let text: String?
        if bytes.starts(with: [0xFF, 0xFE]) {
            text = String(data: Data(bytes.dropFirst(2)), encoding: .utf16LittleEndian)
        } else if bytes.starts(with: [0xFE, 0xFF]) {
            text = String(data: Data(bytes.dropFirst(2)), encoding: .utf16BigEndian)
        } else if bytes.count >= 2 && bytes[0] == 0x3C && bytes[1] == 0 {
            text = String(data: Data(bytes), encoding: .utf16LittleEndian)
        } else if bytes.count >= 2 && bytes[0] == 0 && bytes[1] == 0x3C {
            text = String(data: Data(bytes), encoding: .utf16BigEndian)
        } else if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            text = String(validating: bytes.dropFirst(3), as: UTF8.self)
        } else {
            text = String(validating: bytes, as: UTF8.self)
        }
        guard let text, !text.unicodeScalars.contains("\0") else { return nil }
        return text
    }

    struct Element {
        var attributes: [(String, String)]
    }

    static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" }

    static func elements(_ text: String) throws -> [Element] {
        let s = Array(text.unicodeScalars)
        let n = s.count
        var out: [Element] = []
        var i = 0
        func find(_ pattern: String, from: Int) -> Int? {
            let p = Array(pattern.unicodeScalars)
            var k = from
            while k + p.count <= n {
                if Array(s[k..<(k + p.count)]) == p { return k }
                k += 1
            }
            return nil
        }
        while i < n {
            guard s[i] == "<" else { i += 1; continue }
            i += 1
            guard i < n else { break }
            if s[i] == "!" || s[i] == "?" {  // comment, declaration, processing instruction: no attributes
                let close = s[i] == "!" && i + 2 < n && s[i + 1] == "-" && s[i + 2] == "-" ? find("-->", from: i) : find(">", from: i)
                i = (close ?? n) + 1
                continue
            }
            while i < n && !isSpace(s[i]) && s[i] != ">" && s[i] != "/" { i += 1 }  // element name
            var element = Element(attributes: [])
            while i < n {
                while i < n && isSpace(s[i]) { i += 1 }
                guard i < n else { break }
                if s[i] == ">" { i += 1; break }
                if s[i] == "/" { i += 1; continue }
                if s[i] == "<" { break }
                let nameStart = i
                while i < n && !isSpace(s[i]) && s[i] != "=" && s[i] != ">" && s[i] != "/" && s[i] != "<" { i += 1 }
                let name = String(String.UnicodeScalarView(s[nameStart..<i]))
                while i < n && isSpace(s[i]) { i += 1 }
                guard i < n, s[i] == "=" else { continue }
                i += 1
                while i < n && isSpace(s[i]) { i += 1 }
                guard i < n, s[i] == "\"" || s[i] == "'" else {
                    throw DocumentSniffer.Refusal("DOC-OFFICE-STRUCTURE", "Office 文档的 XML 属性 \(name) 没有引号")
                }
                let quote = s[i]
                i += 1
                let valueStart = i
                while i < n && s[i] != quote { i += 1 }
                guard i < n else { throw DocumentSniffer.Refusal("DOC-OFFICE-STRUCTURE", "Office 文档的 XML 属性 \(name) 没有结束") }
                element.attributes.append((name, try resolve(Array(s[valueStart..<i]))))
                i += 1
            }
            out.append(element)
        }
        return out
    }

    /// An attribute value with its references resolved; an unknown entity is refused (only a
    /// DTD could define one, and DTDs are refused).
    static func resolve(_ s: [Unicode.Scalar]) throws -> String {
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            guard s[i] == "&" else { out.append(s[i]); i += 1; continue }
            guard let semicolon = s[i...].prefix(16).firstIndex(of: ";") else {
                throw DocumentSniffer.Refusal("DOC-OFFICE-STRUCTURE", "Office 文档的 XML 中有无法识别的实体引用")
            }
            let entity = String(String.UnicodeScalarView(s[(i + 1)..<semicolon]))
            let scalar: Unicode.Scalar?
            switch entity {
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "amp": scalar = "&"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            default:
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if entity.hasPrefix("#") {
                    scalar = UInt32(entity.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init)
                } else {
                    scalar = nil
                }
            }
            guard let scalar else { throw DocumentSniffer.Refusal("DOC-OFFICE-STRUCTURE", "Office 文档的 XML 中有无法识别的实体引用 &\(entity);") }
            out.append(scalar)
            i = semicolon + 1
        }
        return String(out)
    }
}
