import CLibMagic
import Foundation
import NIOConcurrencyHelpers

/// Names a document's type from its whole content, never from what the client claims, and
/// accepts only what the system keeps: PDF, Office Open XML and OFD packages, PNG and JPEG
/// images, and UTF-8 plain text. libmagic (file(1)'s library) names the type; then the few
/// accepted types are checked for what libmagic does not judge: nothing appended after the
/// format's own end (polyglots), no HTML or SVG markup anywhere in the file, no script, and no
/// active or embedded content a viewer would run or open (PDF actions, Office macros, embedded
/// objects, external relationships, OFD attachments).
enum DocumentSniffer {
    /// Why a file was refused, said to the uploader: a stable code (the violation's `rule`) and
    /// the reason in Chinese.
    struct Refusal: Error, Equatable, CustomStringConvertible {
        var code: String
        var reason: String
        var description: String { "\(code): \(reason)" }

        init(_ code: String, _ reason: String) {
            self.code = code
            self.reason = reason
        }
    }

    static let plainText = "text/plain; charset=utf-8"

    /// The content type to store, or why the bytes are not accepted.
    static func verdict(of data: Data) -> Result<String, Refusal> {
        guard !data.isEmpty else { return .failure(Refusal("DOC-EMPTY", "文件内容为空")) }
        guard let (named, charset) = LibMagic.shared.mimeType(of: data) else {
            return .failure(Refusal("DOC-TYPE-LIBRARY", "无法识别文件类型(文件类型库不可用),请联系系统管理员"))
        }
        return data.withUnsafeBytes { raw -> Result<String, Refusal> in
            let bytes = raw.bindMemory(to: UInt8.self)
            do {
                return .success(try judge(bytes, named: named, charset: charset))
            } catch let refusal as Refusal {
                return .failure(refusal)
            } catch {
                return .failure(Refusal("DOC-TYPE", "\(error)"))
            }
        }
    }

    /// The content type, or nil when refused (the reason is in `verdict`).
    static func contentType(of data: Data) -> String? {
        if case .success(let type) = verdict(of: data) { return type }
        return nil
    }

    private static func judge(_ b: UnsafeBufferPointer<UInt8>, named: String, charset: String) throws -> String {
        if b.starts(with: [0x25, 0x50, 0x44, 0x46, 0x2D]) {  // %PDF-
            guard named == "application/pdf" else { throw Refusal("DOC-TYPE-MISMATCH", "文件以 %PDF- 开头,但内容不是有效的 PDF(识别为 \(named))") }
            try PDFCheck.check(b)
            try Markup.refuseTags(in: b, handlers: true)
            return "application/pdf"
        }
        if b.starts(with: [0x50, 0x4B, 0x03, 0x04]) {  // PK\3\4
            guard named == "application/zip" || named.hasPrefix("application/vnd.openxmlformats-officedocument.") else {
                throw Refusal("DOC-TYPE-MISMATCH", "压缩包格式无法识别(识别为 \(named))")
            }
            return try ZipCheck.officeOrOFD(b)
        }
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {  // PNG
            guard named == "image/png" else { throw Refusal("DOC-TYPE-MISMATCH", "PNG 图片内容无效(识别为 \(named))") }
            try ImageCheck.png(b)
            try Markup.refuseTags(in: b, handlers: false)
            return "image/png"
        }
        if b.starts(with: [0xFF, 0xD8, 0xFF]) {  // JPEG SOI
            guard named == "image/jpeg" else { throw Refusal("DOC-TYPE-MISMATCH", "JPEG 图片内容无效(识别为 \(named))") }
            try ImageCheck.jpeg(b)
            try Markup.refuseTags(in: b, handlers: false)
            return "image/jpeg"
        }
        if charset == "binary",
            ["executable", "dosexec", "sharedlib", "mach-binary", "java-applet", "msi"].contains(where: { named.contains($0) })
        {
            throw Refusal("DOC-EXECUTABLE", "不接受可执行文件(识别为 \(named))")
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
    private var idle: [OpaquePointer] = []  // under `lock`

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
        let charset =
            parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "charset=", with: "") : "binary"
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
    static let tags: [[UInt8]] = [
        "script", "html", "body", "svg", "iframe", "frame", "frameset", "object", "embed", "applet",
        "meta", "link", "style", "base", "form", "math", "template", "foreignobject", "!doctype", "?php",
    ]
    .map { Array($0.utf8) }

    static func lower(_ c: UInt8) -> UInt8 { (c >= 0x41 && c <= 0x5A) ? c | 0x20 : c }
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C }
    static func isLetter(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) }

    /// Refuses the first markup tag found; with `handlers`, also any `<tag … on…=` event handler.
    /// Binary formats (images) skip handler attributes: their compressed data is not text.
    static func refuseTags(in b: UnsafeBufferPointer<UInt8>, handlers: Bool) throws {
        var i = 0
        let n = b.count
        // Where the attributes of the last tag read end: a '<' before it lies inside that tag (in a
        // quoted value, say), which a browser reads as text, and each byte is read as an attribute once.
        var readUpTo = 0
        while i < n {
            guard b[i] == 0x3C else { i += 1; continue }  // '<'
            var j = i + 1
            while j < n && j - i < 8 && isSpace(b[j]) { j += 1 }  // "< script" is read as a tag by some parsers
            if let tag = tagName(b, at: j) {
                throw DocumentSniffer.Refusal(
                    "DOC-MARKUP", "文件中含有网页或脚本标记「<\(String(decoding: tag, as: UTF8.self))」(位置 \(i)),不接受网页、SVG 或脚本内容")
            }
            if handlers, j < n, isLetter(b[j]) {
                // Two readings, each linear over the file: up to this tag's first '<' or '>' from every '<'
                // (which a browser may take for a tag even inside what the reading below took for a quoted
                // value), and the tag's attributes as a browser reads them, from each '<' past the last tag.
                var found = nearbyHandler(b, from: j)
                if found == nil && i >= readUpTo {
                    let (handler, end) = handler(b, from: j)
                    (found, readUpTo) = (handler, end)
                }
                if let found {
                    throw DocumentSniffer.Refusal("DOC-MARKUP", "文件中含有网页事件处理属性「\(found)=」(位置 \(i)),不接受网页或脚本内容")
                }
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

    /// An `on…=` attribute after `from`, before the next '<' or '>': each scan stops at the next '<',
    /// so the scans from every '<' read each byte about once, however far apart they are.
    private static func nearbyHandler(_ b: UnsafeBufferPointer<UInt8>, from: Int) -> String? {
        var k = from
        let end = b.count
        while k < end && b[k] != 0x3E && b[k] != 0x3C {
            let before = b[k - 1]
            if (isSpace(before) || before == 0x2F || before == 0x22 || before == 0x27) && k + 3 < end
                && lower(b[k]) == 0x6F && lower(b[k + 1]) == 0x6E && isLetter(b[k + 2])
            {  // "on" + a letter
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

    /// An `on…=` attribute of the tag whose name starts at `from`, and where the tag ends. Its
    /// attributes are read as a browser reads them, to the `>` that closes the tag however far: a
    /// quoted value runs to its closing quote, `<` and `>` in it included (`alt="<" onerror=…` once
    /// ended the search at that `<`, as a 4 KiB bound did at the handler after 5,000 spaces), and an
    /// attribute may follow a quoted value without a space.
    private static func handler(_ b: UnsafeBufferPointer<UInt8>, from: Int) -> (handler: String?, end: Int) {
        let n = b.count
        var k = from
        while k < n && !isSpace(b[k]) && b[k] != 0x2F && b[k] != 0x3E { k += 1 }  // the tag's name
        while true {
            while k < n && (isSpace(b[k]) || b[k] == 0x2F) { k += 1 }
            guard k < n, b[k] != 0x3E else { return (nil, k) }
            // A name runs to a space, '/', '>' or '='; a '=' in first place belongs to it.
            let name = k
            k += 1
            while k < n && !isSpace(b[k]) && b[k] != 0x2F && b[k] != 0x3E && b[k] != 0x3D { k += 1 }
            let nameEnd = k
            while k < n && isSpace(b[k]) { k += 1 }
            guard k < n, b[k] == 0x3D else { continue }  // no value
            if nameEnd - name >= 3 && lower(b[name]) == 0x6F && lower(b[name + 1]) == 0x6E && isLetter(b[name + 2]) {
                return (String(decoding: UnsafeBufferPointer(rebasing: b[name..<nameEnd]), as: UTF8.self), k)
            }
            k += 1
            while k < n && isSpace(b[k]) { k += 1 }
            guard k < n else { return (nil, n) }
            if b[k] == 0x22 || b[k] == 0x27 {
                let quote = b[k]
                k += 1
                while k < n && b[k] != quote { k += 1 }
                k += 1
            } else {
                while k < n && !isSpace(b[k]) && b[k] != 0x3E { k += 1 }
            }
        }
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
            if first && type != "IHDR" { throw DocumentSniffer.Refusal("DOC-IMAGE-STRUCTURE", "PNG 图片结构无效: 第一个数据块不是 IHDR") }
            first = false
            guard length <= b.count - at - 12 else { throw DocumentSniffer.Refusal("DOC-IMAGE-STRUCTURE", "PNG 图片结构无效: 数据块越界") }
            at += 12 + length
            if type == "IEND" {
                guard at == b.count else { throw DocumentSniffer.Refusal("DOC-IMAGE-STRUCTURE", "PNG 图片结束(IEND)之后还有其他内容") }
                return
            }
        }
        throw DocumentSniffer.Refusal("DOC-IMAGE-STRUCTURE", "PNG 图片不完整: 没有结束数据块 IEND")
    }

    static func jpeg(_ b: UnsafeBufferPointer<UInt8>) throws {
        var end = b.count
        while end > 2 && b[end - 1] == 0 { end -= 1 }  // some encoders pad with zero bytes
        guard end >= 4, b[end - 2] == 0xFF, b[end - 1] == 0xD9 else {
            throw DocumentSniffer.Refusal("DOC-IMAGE-STRUCTURE", "JPEG 图片不完整,或结束标记(EOI)之后还有其他内容")
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
            throw DocumentSniffer.Refusal("DOC-TYPE", "不是可识别的文件类型: 仅接受 PDF、Office(docx/xlsx/pptx)、OFD、PNG/JPEG 图片和 UTF-8 纯文本")
        }
        if b.contains(0) { throw DocumentSniffer.Refusal("DOC-TEXT", "文本中含有 NUL 字符,不是纯文本") }
        var start = 0
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        while start < b.count && Markup.isSpace(b[start]) { start += 1 }
        if start + 1 < b.count && b[start] == 0x23 && b[start + 1] == 0x21 {
            throw DocumentSniffer.Refusal("DOC-SCRIPT", "不接受脚本文件(以 #! 开头)")
        }
        try Markup.refuseTags(in: b, handlers: true)
        let refused = [
            "html", "xml", "svg", "script", "shellscript", "php", "perl", "python", "ruby", "javascript", "ecmascript", "msdos-batch",
            "tcl", "lua", "awk", "m4", "postscript", "vbscript",
        ]
        guard charset == "utf-8" || charset == "us-ascii" else {
            throw DocumentSniffer.Refusal("DOC-TEXT", "不是纯文本(识别为 \(named), 字符集 \(charset))")
        }
        guard !refused.contains(where: { named.contains($0) }) else {
            throw DocumentSniffer.Refusal("DOC-TEXT", "不接受此类文本(识别为 \(named)): 仅接受纯文本,不接受网页、XML 或脚本")
        }
    }
}
