import CLibMagic
import Foundation
import NIOConcurrencyHelpers

/// Names a document's type from its whole content, never from what the client claims, and
/// accepts only what the system keeps: PDF, Office Open XML and OFD packages, PNG and JPEG
/// images, and UTF-8 plain text. libmagic (file(1)'s library) names the type; then the few
/// accepted types are checked for what libmagic does not judge: nothing appended after the
/// format's own end (polyglots), no HTML or SVG markup anywhere in the file, no script.
enum DocumentSniffer {
    /// Why a file was refused, said to the uploader.
    struct Refusal: Error, Equatable, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    static let plainText = "text/plain; charset=utf-8"

    /// The content type to store, or why the bytes are not accepted.
    static func verdict(of data: Data) -> Result<String, Refusal> {
        guard !data.isEmpty else { return .failure(Refusal(reason: "文件内容为空")) }
        guard let (named, charset) = LibMagic.shared.mimeType(of: data) else {
            return .failure(Refusal(reason: "无法识别文件类型(文件类型库不可用),请联系系统管理员"))
        }
        return data.withUnsafeBytes { raw -> Result<String, Refusal> in
            let bytes = raw.bindMemory(to: UInt8.self)
            do {
                return .success(try judge(bytes, named: named, charset: charset))
            } catch let refusal as Refusal {
                return .failure(refusal)
            } catch {
                return .failure(Refusal(reason: "\(error)"))
            }
        }
    }

    /// The content type, or nil when refused (the reason is in `verdict`).
    static func contentType(of data: Data) -> String? {
        if case .success(let type) = verdict(of: data) { return type }
        return nil
    }

    private static func judge(_ b: UnsafeBufferPointer<UInt8>, named: String, charset: String) throws -> String {
        func refuse(_ reason: String) -> Refusal { Refusal(reason: reason) }
        if b.starts(with: [0x25, 0x50, 0x44, 0x46, 0x2D]) {                            // %PDF-
            guard named == "application/pdf" else { throw refuse("文件以 %PDF- 开头,但内容不是有效的 PDF(识别为 \(named))") }
            try PDFCheck.check(b)
            try Markup.refuseTags(in: b, handlers: true)
            return "application/pdf"
        }
        if b.starts(with: [0x50, 0x4B, 0x03, 0x04]) {                                  // PK\3\4
            guard named == "application/zip" || named.hasPrefix("application/vnd.openxmlformats-officedocument.") else {
                throw refuse("压缩包格式无法识别(识别为 \(named))")
            }
            return try ZipCheck.officeOrOFD(b)
        }
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {          // PNG
            guard named == "image/png" else { throw refuse("PNG 图片内容无效(识别为 \(named))") }
            try ImageCheck.png(b)
            try Markup.refuseTags(in: b, handlers: false)
            return "image/png"
        }
        if b.starts(with: [0xFF, 0xD8, 0xFF]) {                                         // JPEG SOI
            guard named == "image/jpeg" else { throw refuse("JPEG 图片内容无效(识别为 \(named))") }
            try ImageCheck.jpeg(b)
            try Markup.refuseTags(in: b, handlers: false)
            return "image/jpeg"
        }
        if charset == "binary", ["executable", "dosexec", "sharedlib", "mach-binary", "java-applet", "msi"].contains(where: { named.contains($0) }) {
            throw refuse("不接受可执行文件(识别为 \(named))")
        }
        try TextCheck.check(b, named: named, charset: charset)
        return plainText
    }
}

/// libmagic behind a lock: a `magic_t` is not safe to share between threads, so each call takes
/// an idle handle (loading the compiled database costs milliseconds; handles are kept).
final class LibMagic: @unchecked Sendable {
    static let shared = LibMagic()

    private let lock = NIOLock()
    private var idle: [OpaquePointer] = []   // under `lock`

    /// The MIME type and character set libmagic names for the bytes ("text/plain", "utf-8";
    /// "application/pdf", "binary"), looking at all of them, or nil when the library or its
    /// database cannot be loaded.
    func mimeType(of data: Data) -> (type: String, charset: String)? {
        guard let cookie = take() else { return nil }
        defer { lock.withLock { idle.append(cookie) } }
        let named = data.withUnsafeBytes { raw -> String? in
            guard let base = raw.baseAddress, let result = magic_buffer(cookie, base, raw.count) else { return nil }
            return String(cString: result)
        }
        guard let named else { return nil }
        let parts = named.split(separator: ";", maxSplits: 1)
        let charset = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "charset=", with: "") : "binary"
        return (String(parts[0]).trimmingCharacters(in: .whitespaces), charset)
    }

    private func take() -> OpaquePointer? {
        if let cookie = lock.withLock({ idle.popLast() }) { return cookie }
        // Compressed content is not opened: the accepted types are judged as stored.
        guard let cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_MIME_ENCODING | MAGIC_NO_CHECK_COMPRESS) else { return nil }
        guard magic_load(cookie, nil) == 0 else {
            magic_close(cookie)
            return nil
        }
        // The whole upload, not libmagic's default prefix (1 MiB for the type, 64 KiB for the charset).
        var most: Int = 64 * 1024 * 1024
        _ = magic_setparam(cookie, MAGIC_PARAM_BYTES_MAX, &most)
        _ = magic_setparam(cookie, MAGIC_PARAM_ENCODING_MAX, &most)
        return cookie
    }
}

/// HTML, SVG and script markup anywhere in the bytes. A browser sniffing a file, or a viewer
/// rendering an embedded part, runs these; none belongs in the accepted types.
enum Markup {
    /// Tag names that make active content or a page (compared case-insensitively, followed by
    /// a space, `/`, `>` or the end).
    /// Other tags (`<img`, `<a`, `<x`) count only with an event handler: "x<a b" is ordinary prose.
    static let tags: [[UInt8]] = ["script", "html", "body", "svg", "iframe", "frame", "frameset", "object", "embed", "applet",
                                  "meta", "link", "style", "base", "form", "math", "template", "foreignobject", "!doctype", "?php"]
        .map { Array($0.utf8) }

    static func lower(_ c: UInt8) -> UInt8 { (c >= 0x41 && c <= 0x5A) ? c | 0x20 : c }
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C }
    static func isLetter(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) }

    /// Refuses the first markup tag found; with `handlers`, also any `<tag … on…=` event handler.
    /// Binary formats (images) skip handler attributes: their compressed data is not text.
    static func refuseTags(in b: UnsafeBufferPointer<UInt8>, handlers: Bool) throws {
        var i = 0
        let n = b.count
        while i < n {
            guard b[i] == 0x3C else { i += 1; continue }   // '<'
            var j = i + 1
            while j < n && j - i < 8 && isSpace(b[j]) { j += 1 }   // "< script" is read as a tag by some parsers
            if let tag = tagName(b, at: j) {
                throw DocumentSniffer.Refusal(reason: "文件中含有网页或脚本标记「<\(String(decoding: tag, as: UTF8.self))」(位置 \(i)),不接受网页、SVG 或脚本内容")
            }
            if handlers, j < n, isLetter(b[j]), let handler = handler(b, from: j) {
                throw DocumentSniffer.Refusal(reason: "文件中含有网页事件处理属性「\(handler)=」(位置 \(i)),不接受网页或脚本内容")
            }
            i += 1
        }
    }

    /// The listed tag starting at `j`, if one does.
    private static func tagName(_ b: UnsafeBufferPointer<UInt8>, at j: Int) -> [UInt8]? {
        for tag in tags where j + tag.count <= b.count {
            var k = 0
            while k < tag.count && lower(b[j + k]) == tag[k] { k += 1 }
            guard k == tag.count else { continue }
            let end = j + k
            if end == b.count || isSpace(b[end]) || b[end] == 0x2F || b[end] == 0x3E { return tag }
        }
        return nil
    }

    /// An `on…=` attribute inside the tag opened before `from`, read up to its `>` (at most 4 KiB).
    private static func handler(_ b: UnsafeBufferPointer<UInt8>, from: Int) -> String? {
        var k = from
        let end = min(b.count, from + 4096)
        while k < end && b[k] != 0x3E && b[k] != 0x3C {
            let before = b[k - 1]
            if (isSpace(before) || before == 0x2F || before == 0x22 || before == 0x27) && k + 3 < end
                && lower(b[k]) == 0x6F && lower(b[k + 1]) == 0x6E && isLetter(b[k + 2]) {   // "on" + a letter
                var m = k + 2
                while m < end && isLetter(b[m]) { m += 1 }
                var e = m
                while e < end && isSpace(b[e]) { e += 1 }
                if e < end && b[e] == 0x3D { return String(decoding: UnsafeBufferPointer(rebasing: b[k..<m]), as: UTF8.self) }
                k = m
                continue
            }
            k += 1
        }
        return nil
    }
}

/// PDF: the header, an end-of-file marker at the end (nothing appended after it), and no PDF
/// JavaScript or launch actions (names compared after decoding `#xx` escapes).
enum PDFCheck {
    static func check(_ b: UnsafeBufferPointer<UInt8>) throws {
        // %%EOF within the last 1 KiB, followed only by line ends and spaces.
        let marker = Array("%%EOF".utf8)
        let tailStart = max(0, b.count - 1024)
        var found: Int?
        var i = b.count - marker.count
        while i >= tailStart {
            if Array(b[i..<(i + marker.count)]) == marker { found = i; break }
            i -= 1
        }
        guard let eof = found else {
            throw DocumentSniffer.Refusal(reason: "PDF 文件不完整: 文件末尾没有 %%EOF 结束标记")
        }
        for c in b[(eof + marker.count)...] where !(Markup.isSpace(c) || c == 0) {
            throw DocumentSniffer.Refusal(reason: "PDF 文件的 %%EOF 结束标记之后还有其他内容")
        }
        try refuseActiveNames(b)
    }

    static let activeNames: Set<String> = ["javascript", "js", "launch", "richmedia"]

    /// Every `/Name` token, `#xx` decoded, against the PDF's active-content actions.
    static func refuseActiveNames(_ b: UnsafeBufferPointer<UInt8>) throws {
        var i = 0
        while i < b.count {
            guard b[i] == 0x2F else { i += 1; continue }   // '/'
            var name: [UInt8] = []
            var k = i + 1
            while k < b.count, name.count <= 16 {
                let c = b[k]
                if Markup.isSpace(c) || c == 0 || "/[]()<>{}%".utf8.contains(c) { break }
                if c == 0x23, k + 2 < b.count, let v = UInt8(String(decoding: [b[k + 1], b[k + 2]], as: UTF8.self), radix: 16) {
                    name.append(Markup.lower(v))
                    k += 3
                } else {
                    name.append(Markup.lower(c))
                    k += 1
                }
            }
            if activeNames.contains(String(decoding: name, as: UTF8.self)) {
                throw DocumentSniffer.Refusal(reason: "PDF 文件含有脚本或启动动作(/\(String(decoding: name, as: UTF8.self))),不接受")
            }
            i = max(k, i + 1)
        }
    }
}

/// Office Open XML (docx/xlsx/pptx) and OFD (GB/T 33190) are zip packages. Only a well-formed
/// zip is accepted: its entries cover the file from the first byte to the central directory
/// with nothing between or after them (a zip reader ignores such bytes; a browser or another
/// reader may not), and its entry names are an Office or OFD package's, without macros.
enum ZipCheck {
    struct Entry {
        var name: String
        var flags: UInt16
        var compressedSize: Int
        var localOffset: Int
    }

    static func u16(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    static func u32(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int { u16(b, i) | u16(b, i + 2) << 16 }

    static func refuse(_ reason: String) -> DocumentSniffer.Refusal { DocumentSniffer.Refusal(reason: "压缩包(Office/OFD)结构无效: " + reason) }

    static func entries(_ b: UnsafeBufferPointer<UInt8>) throws -> [Entry] {
        // End of central directory: 22 bytes plus its comment, which must reach exactly the end.
        guard b.count >= 22 else { throw refuse("文件过短") }
        var eocd: Int?
        var i = b.count - 22
        while i >= max(0, b.count - 22 - 65_535) {
            if b[i] == 0x50 && b[i + 1] == 0x4B && b[i + 2] == 0x05 && b[i + 3] == 0x06 && i + 22 + u16(b, i + 20) == b.count { eocd = i; break }
            i -= 1
        }
        guard let end = eocd else { throw refuse("找不到目录结尾,或其后还有其他内容") }
        let count = u16(b, end + 10), size = u32(b, end + 12), start = u32(b, end + 16)
        guard u16(b, end + 4) == 0, u16(b, end + 6) == 0, u16(b, end + 8) == count, count > 0,
              count != 0xFFFF, size != 0xFFFF_FFFF, start != 0xFFFF_FFFF, start + size == end else {
            throw refuse("目录位置或条目数不一致")
        }
        var result: [Entry] = []
        var p = start
        for _ in 0..<count {
            guard p + 46 <= end, u32(b, p) == 0x0201_4B50 else { throw refuse("目录条目损坏") }
            let nameLength = u16(b, p + 28), extra = u16(b, p + 30), comment = u16(b, p + 32)
            guard p + 46 + nameLength + extra + comment <= end else { throw refuse("目录条目越界") }
            let name = String(decoding: UnsafeBufferPointer(rebasing: b[(p + 46)..<(p + 46 + nameLength)]), as: UTF8.self)
            let compressed = u32(b, p + 20), offset = u32(b, p + 42)
            guard compressed != 0xFFFF_FFFF, offset != 0xFFFF_FFFF else { throw refuse("不接受 ZIP64") }
            result.append(Entry(name: name, flags: UInt16(u16(b, p + 8)), compressedSize: compressed, localOffset: offset))
            p += 46 + nameLength + extra + comment
        }
        guard p == end else { throw refuse("目录长度不一致") }
        // Local entries, in file order, one after another from byte 0 to the central directory.
        var at = 0
        for entry in result.sorted(by: { $0.localOffset < $1.localOffset }) {
            guard entry.localOffset == at, at + 30 <= start, u32(b, at) == 0x0403_4B50 else { throw refuse("条目之间或之前有多余内容") }
            guard entry.flags & 0x1 == 0 else { throw refuse("不接受加密的条目") }
            let nameLength = u16(b, at + 26), extra = u16(b, at + 28)
            guard at + 30 + nameLength <= start,
                  String(decoding: UnsafeBufferPointer(rebasing: b[(at + 30)..<(at + 30 + nameLength)]), as: UTF8.self) == entry.name else {
                throw refuse("条目名与目录不一致")
            }
            at += 30 + nameLength + extra + entry.compressedSize
            if entry.flags & 0x8 != 0 {   // a data descriptor follows: 12 bytes, or 16 with its signature
                if at + 16 <= start && u32(b, at) == 0x0807_4B50 { at += 16 } else { at += 12 }
            }
            guard at <= start else { throw refuse("条目越界") }
        }
        guard at == start else { throw refuse("条目与目录之间有多余内容") }
        return result
    }

    static let refusedExtensions: Set<String> = ["exe", "dll", "com", "scr", "msi", "bat", "cmd", "ps1", "vbs", "vbe", "js", "jse", "wsf",
                                                 "hta", "html", "htm", "xhtml", "sh", "jar", "lnk", "cpl"]

    static func officeOrOFD(_ b: UnsafeBufferPointer<UInt8>) throws -> String {
        let list = try entries(b)
        let names = Set(list.map(\.name))
        for name in names {
            let lowered = name.lowercased()
            if name.hasPrefix("/") || name.contains("\\") || name.split(separator: "/").contains("..") { throw refuse("条目路径无效: \(name)") }
            if lowered.hasSuffix("vbaproject.bin") || lowered.contains("activex/") { throw refuse("不接受含宏或 ActiveX 控件的文档(\(name))") }
            if let ext = lowered.split(separator: ".").last, lowered.contains("."), refusedExtensions.contains(String(ext)) {
                throw refuse("包内含有可执行文件或网页: \(name)")
            }
        }
        if names.contains("OFD.xml") { return "application/ofd" }
        guard names.contains("[Content_Types].xml") else { throw refuse("既不是 Office 文档([Content_Types].xml)也不是 OFD 文档(OFD.xml)") }
        let office = ["_rels/", "docProps/", "word/", "xl/", "ppt/", "customXml/", "[Content_Types].xml"]
        for name in names where !office.contains(where: { name.hasPrefix($0) }) {
            throw refuse("Office 文档中有不属于文档的条目: \(name)")
        }
        if names.contains(where: { $0.hasPrefix("word/") }) { return "application/vnd.openxmlformats-officedocument.wordprocessingml.document" }
        if names.contains(where: { $0.hasPrefix("xl/") }) { return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }
        if names.contains(where: { $0.hasPrefix("ppt/") }) { return "application/vnd.openxmlformats-officedocument.presentationml.presentation" }
        throw refuse("Office 文档中没有正文(word/、xl/ 或 ppt/)")
    }
}

/// PNG and JPEG end where the format says: after IEND, after the last EOI. Bytes appended after
/// that are what an image/HTML or image/zip polyglot is made of.
enum ImageCheck {
    static func png(_ b: UnsafeBufferPointer<UInt8>) throws {
        var at = 8
        var first = true
        while at + 12 <= b.count {
            let length = Int(b[at]) << 24 | Int(b[at + 1]) << 16 | Int(b[at + 2]) << 8 | Int(b[at + 3])
            let type = String(decoding: UnsafeBufferPointer(rebasing: b[(at + 4)..<(at + 8)]), as: UTF8.self)
            if first && type != "IHDR" { throw DocumentSniffer.Refusal(reason: "PNG 图片结构无效: 第一个数据块不是 IHDR") }
            first = false
            guard length <= b.count - at - 12 else { throw DocumentSniffer.Refusal(reason: "PNG 图片结构无效: 数据块越界") }
            at += 12 + length
            if type == "IEND" {
                guard at == b.count else { throw DocumentSniffer.Refusal(reason: "PNG 图片结束(IEND)之后还有其他内容") }
                return
            }
        }
        throw DocumentSniffer.Refusal(reason: "PNG 图片不完整: 没有结束数据块 IEND")
    }

    static func jpeg(_ b: UnsafeBufferPointer<UInt8>) throws {
        var end = b.count
        while end > 2 && b[end - 1] == 0 { end -= 1 }   // some encoders pad with zero bytes
        guard end >= 4, b[end - 2] == 0xFF, b[end - 1] == 0xD9 else {
            throw DocumentSniffer.Refusal(reason: "JPEG 图片不完整,或结束标记(EOI)之后还有其他内容")
        }
    }
}

/// Plain text: UTF-8 throughout (libmagic agrees: charset utf-8 or us-ascii), no NUL, not a
/// script (`#!`, even after a byte-order mark or spaces), no markup, and libmagic does not name it
/// a page, XML or a script. libmagic's type alone does not decide text: its DOS COM rule names any
/// text starting with byte E9 (郑, 部, 项 … in UTF-8) an executable, so its charset does.
enum TextCheck {
    static func check(_ b: UnsafeBufferPointer<UInt8>, named: String, charset: String) throws {
        guard String(validating: b, as: UTF8.self) != nil else {
            throw DocumentSniffer.Refusal(reason: "不是可识别的文件类型: 仅接受 PDF、Office(docx/xlsx/pptx)、OFD、PNG/JPEG 图片和 UTF-8 纯文本")
        }
        if b.contains(0) { throw DocumentSniffer.Refusal(reason: "文本中含有 NUL 字符,不是纯文本") }
        var start = 0
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        while start < b.count && Markup.isSpace(b[start]) { start += 1 }
        if start + 1 < b.count && b[start] == 0x23 && b[start + 1] == 0x21 {
            throw DocumentSniffer.Refusal(reason: "不接受脚本文件(以 #! 开头)")
        }
        try Markup.refuseTags(in: b, handlers: true)
        let refused = ["html", "xml", "svg", "script", "shellscript", "php", "perl", "python", "ruby", "javascript", "ecmascript", "msdos-batch",
                       "tcl", "lua", "awk", "m4", "postscript", "vbscript"]
        guard charset == "utf-8" || charset == "us-ascii" else {
            throw DocumentSniffer.Refusal(reason: "不是纯文本(识别为 \(named), 字符集 \(charset))")
        }
        guard !refused.contains(where: { named.contains($0) }) else {
            throw DocumentSniffer.Refusal(reason: "不接受此类文本(识别为 \(named)): 仅接受纯文本,不接受网页、XML 或脚本")
        }
    }
}
