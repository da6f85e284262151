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
        if b.starts(with: [0x25, 0x50, 0x44, 0x46, 0x2D]) {                            // %PDF-
            guard named == "application/pdf" else { throw Refusal("DOC-TYPE-MISMATCH", "文件以 %PDF- 开头,但内容不是有效的 PDF(识别为 \(named))") }
            try PDFCheck.check(b)
            try Markup.refuseTags(in: b, handlers: true)
            return "application/pdf"
        }
        if b.starts(with: [0x50, 0x4B, 0x03, 0x04]) {                                  // PK\3\4
            guard named == "application/zip" || named.hasPrefix("application/vnd.openxmlformats-officedocument.") else {
                throw Refusal("DOC-TYPE-MISMATCH", "压缩包格式无法识别(识别为 \(named))")
            }
            return try ZipCheck.officeOrOFD(b)
        }
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {          // PNG
            guard named == "image/png" else { throw Refusal("DOC-TYPE-MISMATCH", "PNG 图片内容无效(识别为 \(named))") }
            try ImageCheck.png(b)
            try Markup.refuseTags(in: b, handlers: false)
            return "image/png"
        }
        if b.starts(with: [0xFF, 0xD8, 0xFF]) {                                         // JPEG SOI
            guard named == "image/jpeg" else { throw Refusal("DOC-TYPE-MISMATCH", "JPEG 图片内容无效(识别为 \(named))") }
            try ImageCheck.jpeg(b)
            try Markup.refuseTags(in: b, handlers: false)
            return "image/jpeg"
        }
        if charset == "binary", ["executable", "dosexec", "sharedlib", "mach-binary", "java-applet", "msi"].contains(where: { named.contains($0) }) {
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
                throw DocumentSniffer.Refusal("DOC-MARKUP", "文件中含有网页或脚本标记「<\(String(decoding: tag, as: UTF8.self))」(位置 \(i)),不接受网页、SVG 或脚本内容")
            }
            if handlers, j < n, isLetter(b[j]), let handler = handler(b, from: j) {
                throw DocumentSniffer.Refusal("DOC-MARKUP", "文件中含有网页事件处理属性「\(handler)=」(位置 \(i)),不接受网页或脚本内容")
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

/// PDF: the header, an end-of-file marker at the end (nothing appended after it), and nothing a
/// viewer runs, opens or fetches by itself: no JavaScript, launch, form-submission or remote
/// actions, no action run on opening or by an event (a link the reader clicks is allowed), no
/// embedded or attached files, no rich media, no XFA. Names are
/// compared after decoding `#xx` escapes (`/J#61vaScript` is `/JavaScript`). Objects packed in
/// compressed object streams (`/ObjStm`) are inflated and read the same way; one that cannot be
/// inflated and read is refused, since what it holds cannot be seen.
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
            throw DocumentSniffer.Refusal("DOC-PDF-STRUCTURE", "PDF 文件不完整: 文件末尾没有 %%EOF 结束标记")
        }
        for c in b[(eof + marker.count)...] where !(Markup.isSpace(c) || c == 0) {
            throw DocumentSniffer.Refusal("DOC-PDF-APPENDED", "PDF 文件的 %%EOF 结束标记之后还有其他内容")
        }
        let streams = try PDFStructure.streams(b)
        let plain = try refuseActiveNames(b, streamData: streams.map(\.data))
        // A stream the walk did not reach (hidden inside what it read as a string, say) would keep
        // its objects from this check while a viewer, jumping by offsets, reads them: every
        // `endstream` keyword must close a stream the walk found.
        let walkedEnds = streams.reduce(0) { $0 + occurrences(of: endstream, in: UnsafeBufferPointer(rebasing: b[$1.data])) }
        guard occurrences(of: endstream, in: b) <= streams.count + walkedEnds else {
            throw DocumentSniffer.Refusal("DOC-PDF-STRUCTURE", "PDF 文件中有无法定位的数据流,其内容无法检查,不接受")
        }
        var budget = maxInflatedTotal
        var typed = 0
        var targets = Set(plain.openActionTargets)
        var inflated: [(stream: PDFStructure.Stream, objects: [UInt8])] = []
        for stream in streams where stream.isObjectStream {
            if stream.isTypedObjectStream { typed += 1 }
            let objects = try objectStreamContent(b, stream, budget: &budget)
            try objects.withUnsafeBufferPointer { o in targets.formUnion(try refuseActiveNames(o, streamData: []).openActionTargets) }
            inflated.append((stream, objects))
        }
        // Every `/ObjStm` in the file must be a stream read above: one the structure walk did not
        // reach would hide its objects from this check while a viewer reads them.
        guard plain.objectStreams <= typed else {
            throw DocumentSniffer.Refusal("DOC-PDF-OBJECT-STREAM", "PDF 文件中有无法定位的压缩对象流(/ObjStm),其内容无法检查,不接受")
        }
        // A document opens in one place; a handful of /OpenAction entries (incremental updates) is
        // plenty, and each costs a pass over the file below.
        guard targets.count <= maxOpenActionTargets else {
            throw DocumentSniffer.Refusal("DOC-PDF-ACTIVE", "PDF 文件含有过多的打开动作(/OpenAction),不接受")
        }
        guard !targets.isEmpty else { return }
        // `/OpenAction 98 0 R` (LaTeX writes it so) only says where to open if every definition of
        // object 98, in the clear or packed, does. Only the packed objects that are targets are read.
        var packed: [Int: [Bool]] = [:]
        for (stream, objects) in inflated {
            objects.withUnsafeBufferPointer { o in
                guard case .int(let first)? = stream.dict["First"], first >= 0, first <= o.count else { return }
                let header = integers(UnsafeBufferPointer(rebasing: o[0..<first]))
                for pair in stride(from: 0, to: header.count - 1, by: 2) where targets.contains(header[pair]) && header[pair + 1] <= o.count - first {
                    packed[header[pair], default: []].append(isDestination(o, at: first + header[pair + 1]))
                }
            }
        }
        for target in targets {
            let definitions = (packed[target] ?? []) + plainDefinitions(b, of: target)
            guard !definitions.isEmpty, definitions.allSatisfy({ $0 }) else {
                throw DocumentSniffer.Refusal("DOC-PDF-ACTIVE", "PDF 文件含有打开时自动执行的动作(/OpenAction;只接受跳转到本文件的某一页),不接受")
            }
        }
    }

    static let maxOpenActionTargets = 16
    static let endstream = Array("endstream".utf8)

    /// How many times `needle` occurs in `b`.
    static func occurrences(of needle: [UInt8], in b: UnsafeBufferPointer<UInt8>) -> Int {
        guard let first = needle.first, b.count >= needle.count else { return 0 }
        var count = 0
        var i = 0
        while i + needle.count <= b.count {
            if b[i] == first && needle.indices.allSatisfy({ b[i + $0] == needle[$0] }) { count += 1; i += needle.count } else { i += 1 }
        }
        return count
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// The non-negative integers in `b`, in order (an object stream's header).
    static func integers(_ b: UnsafeBufferPointer<UInt8>) -> [Int] {
        var result: [Int] = []
        var k = 0
        while k < b.count {
            guard isDigit(b[k]) else { k += 1; continue }
            var value = 0
            while k < b.count && isDigit(b[k]) {
                value = value > Int.max / 20 ? Int.max / 20 : value * 10 + Int(b[k] - 0x30)
                k += 1
            }
            result.append(value)
        }
        return result
    }

    /// Whether the object starting at `k` (after white space) only says where the document
    /// opens: a destination array, or a /GoTo action to one with nothing chained after it (what
    /// LaTeX and most writers put in /OpenAction).
    static func isDestination(_ b: UnsafeBufferPointer<UInt8>, at k: Int) -> Bool {
        var k = k
        while k < b.count && PDFStructure.isWhite(b[k]) { k += 1 }
        if k < b.count && b[k] == 0x5B { return true }
        var lexer = PDFStructure.Lexer(b: b, i: k)
        guard case .dictOpen? = try? lexer.next(), let action = try? lexer.dict() else { return false }
        return action["S"] == .name("GoTo") && action["Next"] == nil
    }

    /// `N G R` at `k`: N.
    static func reference(_ b: UnsafeBufferPointer<UInt8>, at k: Int) -> Int? {
        var k = k
        var numbers: [Int] = []
        for _ in 0..<2 {
            let start = k
            var value = 0
            while k < b.count && isDigit(b[k]) && k - start < 10 { value = value * 10 + Int(b[k] - 0x30); k += 1 }
            guard k > start, k < b.count, PDFStructure.isWhite(b[k]) else { return nil }
            while k < b.count && PDFStructure.isWhite(b[k]) { k += 1 }
            numbers.append(value)
        }
        guard k < b.count, b[k] == 0x52, k + 1 == b.count || PDFStructure.isWhite(b[k + 1]) || PDFStructure.isDelimiter(b[k + 1]) else { return nil }
        return numbers[0]
    }

    /// Each `N G obj` in the file's own bytes: whether the object it opens is a destination.
    /// N is read as a viewer reads it, leading zeros included (`05 0 obj` is object 5).
    static func plainDefinitions(_ b: UnsafeBufferPointer<UInt8>, of number: Int) -> [Bool] {
        var result: [Bool] = []
        var i = 0
        while i < b.count {
            guard isDigit(b[i]), i == 0 || !isDigit(b[i - 1]) else { i += 1; continue }
            var k = i
            var value = 0
            while k < b.count && isDigit(b[k]) {
                value = value > Int.max / 20 ? Int.max / 20 : value * 10 + Int(b[k] - 0x30)
                k += 1
            }
            i = k
            guard value == number, k < b.count, PDFStructure.isWhite(b[k]) else { continue }
            while k < b.count && PDFStructure.isWhite(b[k]) { k += 1 }
            let generation = k
            while k < b.count && isDigit(b[k]) { k += 1 }
            guard k > generation, k < b.count, PDFStructure.isWhite(b[k]) else { continue }
            while k < b.count && PDFStructure.isWhite(b[k]) { k += 1 }
            guard k + 3 <= b.count, b[k] == 0x6F, b[k + 1] == 0x62, b[k + 2] == 0x6A else { continue }   // "obj"
            result.append(isDestination(b, at: k + 3))
        }
        return result
    }

    /// Inflated object streams: each at most 16 MiB, all together at most 64 MiB.
    static let maxInflated = 16 * 1024 * 1024
    static let maxInflatedTotal = 64 * 1024 * 1024

    /// Active content by (lower-cased, decoded) name, and what to call it.
    static let activeNames: [String: String] = [
        "javascript": "脚本(JavaScript)", "js": "脚本(JavaScript)",
        // A link (`/URI` behind a `/Link` annotation) opens only when the reader clicks it, and the
        // viewer asks first: ordinary in official documents, so accepted. Actions that run by
        // themselves (`/AA` on opening a page or the file, `/OpenAction` beyond a jump) are not.
        "aa": "自动触发的动作",
        "launch": "启动外部程序的动作", "submitform": "提交表单数据的动作", "importdata": "导入外部数据的动作",
        "gotor": "打开其他文件的动作", "gotoe": "打开嵌入文件的动作",
        "richmedia": "富媒体内容", "richmediaexecute": "富媒体内容", "rendition": "多媒体播放动作", "movie": "多媒体内容", "sound": "多媒体内容",
        "embeddedfile": "嵌入的文件", "embeddedfiles": "嵌入的文件", "fileattachment": "附件", "ef": "嵌入的文件", "af": "关联的文件",
        "xfa": "XFA 动态表单",
    ]

    struct Names {
        var objectStreams = 0
        /// Objects `/OpenAction` names by reference: each must turn out a destination.
        var openActionTargets: [Int] = []
    }

    /// Every `/Name` token, `#xx` decoded, against `activeNames`; `/OpenAction` only with a
    /// destination (`isDestination`, or a reference `check` follows), never another action. Inside
    /// stream data (`streamData`, ascending) two-letter names are not looked at: compressed bytes
    /// spell `/JS` by chance (about once in 60 MiB), and a two-letter key does nothing without
    /// the longer action name it goes with. Counts the `/ObjStm` names.
    static func refuseActiveNames(_ b: UnsafeBufferPointer<UInt8>, streamData: [Range<Int>]) throws -> Names {
        var names = Names()
        var r = 0
        var i = 0
        while i < b.count {
            guard b[i] == 0x2F else { i += 1; continue }   // '/'
            let (name, end) = PDFStructure.name(b, from: i + 1, limit: 17)
            let text = String(decoding: name.map(Markup.lower), as: UTF8.self)
            while r < streamData.count && streamData[r].upperBound <= i { r += 1 }
            let inStream = r < streamData.count && streamData[r].contains(i)
            if let what = activeNames[text], !(inStream && name.count < 3) {
                throw DocumentSniffer.Refusal("DOC-PDF-ACTIVE", "PDF 文件含有\(what)(/\(String(decoding: name, as: UTF8.self))),不接受")
            }
            if text == "openaction" {
                var k = end
                while k < b.count && PDFStructure.isWhite(b[k]) { k += 1 }
                if let target = reference(b, at: k) {
                    names.openActionTargets.append(target)
                } else if !isDestination(b, at: k) {
                    throw DocumentSniffer.Refusal("DOC-PDF-ACTIVE", "PDF 文件含有打开时自动执行的动作(/OpenAction;只接受跳转到本文件的某一页),不接受")
                }
            }
            if text == "objstm" { names.objectStreams += 1 }
            i = max(end, i + 1)
        }
        return names
    }

    /// The objects an object stream holds, inflated: only unfiltered or /FlateDecode without a
    /// predictor, which is what writers make; any other encoding, or data zlib cannot inflate
    /// (damaged, or encrypted), is refused rather than passed unread.
    static func objectStreamContent(_ b: UnsafeBufferPointer<UInt8>, _ stream: PDFStructure.Stream, budget: inout Int) throws -> [UInt8] {
        func refuse(_ why: String) -> DocumentSniffer.Refusal {
            DocumentSniffer.Refusal("DOC-PDF-OBJECT-STREAM", "PDF 文件的压缩对象流(/ObjStm)\(why),其中的内容无法检查,不接受")
        }
        let filters: [String]
        switch stream.dict["Filter"] {
        case nil: filters = []
        case .name(let n)?: filters = [n]
        case .array(let list)?:
            filters = try list.map { value -> String in
                guard case .name(let n) = value else { throw refuse("的编码无法识别") }
                return n
            }
        default: throw refuse("的编码无法识别")
        }
        switch stream.dict["DecodeParms"] ?? stream.dict["DP"] {
        case nil, .other?: break
        case .dict(let parms)?:
            if let predictor = parms["Predictor"], predictor != .int(1) { throw refuse("使用了预测编码") }
        case .array(let list)?:
            for case .dict(let parms) in list where parms["Predictor"] != nil && parms["Predictor"] != .int(1) { throw refuse("使用了预测编码") }
        default: throw refuse("的解码参数无法识别")
        }
        let data = UnsafeBufferPointer(rebasing: b[stream.data])
        switch filters {
        case []:
            guard data.count <= min(maxInflated, budget) else { throw refuse("过大") }
            budget -= data.count
            return Array(data)
        case ["FlateDecode"], ["Fl"]:
            switch DocumentInflate.inflate(data, .zlib, limit: min(maxInflated, budget)) {
            case .inflated(let bytes):
                budget -= bytes.count
                return bytes
            case .tooLarge: throw refuse("解压后过大")
            case .corrupt: throw refuse("无法解压(已损坏或已加密)")
            }
        default:
            throw refuse("使用了无法检查的编码(\(filters.joined(separator: " ")))")
        }
    }
}

/// Just enough of PDF's syntax to find every stream with its dictionary: names, strings,
/// comments, dictionaries and arrays, and stream data skipped by its /Length (or up to
/// `endstream`). What cannot be read this way (an unterminated string or dictionary, nesting
/// deeper than any writer makes) is refused: a reader that lost its place could be made to
/// miss an object stream.
enum PDFStructure {
    indirect enum Value: Equatable {
        case name(String), int(Int), ref(Int), dict([String: Value]), array([Value]), other
    }

    struct Stream {
        var dict: [String: Value]
        var data: Range<Int>

        var isTypedObjectStream: Bool {
            if case .name(let type)? = dict["Type"], type.lowercased() == "objstm" { return true }
            return false
        }

        /// By its type, or by the keys a viewer reads compressed objects with (a viewer does not
        /// insist on the type).
        var isObjectStream: Bool { isTypedObjectStream || (dict["N"] != nil && dict["First"] != nil) }
    }

    static let maxDepth = 64

    static func refuse(_ why: String) -> DocumentSniffer.Refusal {
        DocumentSniffer.Refusal("DOC-PDF-STRUCTURE", "PDF 文件结构无法解析: \(why)")
    }

    static func isDelimiter(_ c: UInt8) -> Bool { "()<>[]{}/%".utf8.contains(c) }
    static func isWhite(_ c: UInt8) -> Bool { Markup.isSpace(c) || c == 0 }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }

    /// The name starting at `from` (after its '/'), `#xx` decoded, at most `limit` bytes of it,
    /// and where reading stopped.
    static func name(_ b: UnsafeBufferPointer<UInt8>, from: Int, limit: Int = .max) -> ([UInt8], Int) {
        var out: [UInt8] = []
        var k = from
        while k < b.count, out.count < limit {
            let c = b[k]
            if isWhite(c) || isDelimiter(c) { break }
            if c == 0x23, k + 2 < b.count, let hi = hexValue(b[k + 1]), let lo = hexValue(b[k + 2]) {
                out.append(hi << 4 | lo)
                k += 3
            } else {
                out.append(c)
                k += 1
            }
        }
        return (out, k)
    }

    enum Token {
        case name(String), dictOpen, dictClose, arrayOpen, arrayClose, string, word(String), other
    }

    struct Lexer {
        let b: UnsafeBufferPointer<UInt8>
        var i = 0
        var depth = 0

        mutating func skipSpace() {
            while i < b.count {
                if isWhite(b[i]) {
                    i += 1
                } else if b[i] == 0x25 {   // '%' comment to the end of the line
                    while i < b.count && b[i] != 0x0A && b[i] != 0x0D { i += 1 }
                } else {
                    return
                }
            }
        }

        mutating func next() throws -> Token? {
            skipSpace()
            guard i < b.count else { return nil }
            let c = b[i]
            switch c {
            case 0x2F:   // '/'
                let (bytes, end) = PDFStructure.name(b, from: i + 1)
                i = end
                return .name(String(decoding: bytes, as: UTF8.self))
            case 0x3C:   // '<'
                if i + 1 < b.count && b[i + 1] == 0x3C { i += 2; return .dictOpen }
                guard let close = b[(i + 1)...].firstIndex(of: 0x3E) else { throw refuse("十六进制字符串没有结束") }
                i = close + 1
                return .string
            case 0x3E:   // '>'
                if i + 1 < b.count && b[i + 1] == 0x3E { i += 2; return .dictClose }
                i += 1
                return .other
            case 0x5B: i += 1; return .arrayOpen
            case 0x5D: i += 1; return .arrayClose
            case 0x28:   // '(' literal string, nested parentheses, backslash escapes
                var level = 1
                i += 1
                while i < b.count {
                    switch b[i] {
                    case 0x5C: i += 2; continue
                    case 0x28: level += 1
                    case 0x29: level -= 1
                    default: break
                    }
                    i += 1
                    if level == 0 { return .string }
                }
                throw refuse("字符串没有结束")
            case 0x29, 0x7B, 0x7D:
                i += 1
                return .other
            default:
                let start = i
                while i < b.count && !isWhite(b[i]) && !isDelimiter(b[i]) && i - start < 64 { i += 1 }
                let word = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
                while i < b.count && !isWhite(b[i]) && !isDelimiter(b[i]) { i += 1 }
                return .word(word)
            }
        }

        mutating func value(_ token: Token) throws -> Value {
            switch token {
            case .dictOpen: return .dict(try dict())
            case .arrayOpen: return .array(try array())
            case .name(let n): return .name(n)
            case .word(let w):
                guard let n = Int(w) else { return .other }
                let save = i
                if case .word(let g)? = try? next(), Int(g) != nil, case .word("R")? = try? next() { return .ref(n) }
                i = save
                return .int(n)
            case .dictClose, .arrayClose: throw refuse("字典或数组的括号不配对")
            default: return .other
            }
        }

        mutating func dict() throws -> [String: Value] {
            depth += 1
            defer { depth -= 1 }
            guard depth <= maxDepth else { throw refuse("嵌套过深") }
            var result: [String: Value] = [:]
            while true {
                guard let token = try next() else { throw refuse("字典没有结束") }
                switch token {
                case .dictClose: return result
                case .name(let key):
                    guard let valueToken = try next() else { throw refuse("字典没有结束") }
                    if case .dictClose = valueToken { return result }
                    result[key] = try value(valueToken)
                case .arrayClose: throw refuse("字典或数组的括号不配对")
                default: _ = try value(token)
                }
            }
        }

        mutating func array() throws -> [Value] {
            depth += 1
            defer { depth -= 1 }
            guard depth <= maxDepth else { throw refuse("嵌套过深") }
            var result: [Value] = []
            while true {
                guard let token = try next() else { throw refuse("数组没有结束") }
                if case .arrayClose = token { return result }
                result.append(try value(token))
            }
        }

        func matches(_ word: String, at k: Int) -> Bool {
            let w = Array(word.utf8)
            return k + w.count <= b.count && Array(b[k..<(k + w.count)]) == w
        }

        /// The data of the stream `dict` opens, when the keyword `stream` follows it.
        mutating func streamData(_ dict: [String: Value]) throws -> Range<Int>? {
            let save = i
            while i < b.count && isWhite(b[i]) { i += 1 }
            guard matches("stream", at: i), i + 6 < b.count, b[i + 6] == 0x0A || b[i + 6] == 0x0D else {
                i = save
                return nil
            }
            var start = i + 6
            if b[start] == 0x0D && start + 1 < b.count && b[start + 1] == 0x0A { start += 2 } else { start += 1 }
            if case .int(let length)? = dict["Length"], length >= 0, length <= b.count - start {
                var k = start + length
                while k < b.count && isWhite(b[k]) { k += 1 }
                if matches("endstream", at: k) {
                    i = k + 9
                    return start..<(start + length)
                }
            }
            // No usable /Length (indirect, or wrong): the data runs to `endstream`.
            var k = start
            while k < b.count && !matches("endstream", at: k) { k += 1 }
            guard k < b.count else { throw refuse("数据流没有 endstream 结束标记") }
            i = k + 9
            var end = k
            if end > start && b[end - 1] == 0x0A { end -= 1 }
            if end > start && b[end - 1] == 0x0D { end -= 1 }
            return start..<end
        }
    }

    /// Every stream with its dictionary, in file order.
    static func streams(_ b: UnsafeBufferPointer<UInt8>) throws -> [Stream] {
        var lexer = Lexer(b: b)
        var found: [Stream] = []
        while let token = try lexer.next() {
            guard case .dictOpen = token else { continue }
            let dict = try lexer.dict()
            if let data = try lexer.streamData(dict) { found.append(Stream(dict: dict, data: data)) }
        }
        return found
    }
}

/// Office Open XML (docx/xlsx/pptx) and OFD (GB/T 33190) are zip packages. Only a well-formed
/// zip is accepted: its entries cover the file from the first byte to the central directory
/// with nothing between or after them (a zip reader ignores such bytes; a browser or another
/// reader may not), each local header agrees with its directory entry (name, method, sizes,
/// checksum), and each entry has one plain name: no path climbing, no drive or backslash, no
/// second name in an extra field, no two names a reader would take for the same part. Then the
/// package is an Office document without macros, ActiveX, embedded objects or external
/// relationships, or an OFD document of XML, images, fonts and signatures only.
enum ZipCheck {
    struct Entry {
        var name: String
        var flags: Int
        var method: Int
        var crc: Int
        var compressedSize: Int
        var size: Int
        var localOffset: Int
        var dataOffset = 0
    }

    static func u16(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    static func u32(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int { u16(b, i) | u16(b, i + 2) << 16 }

    static func refuse(_ reason: String) -> DocumentSniffer.Refusal {
        DocumentSniffer.Refusal("DOC-ZIP-STRUCTURE", "压缩包(Office/OFD)结构无效: " + reason)
    }

    /// Extra fields, walked to their end; the Info-ZIP Unicode Path field (0x7075) gives an entry
    /// a second name that unzip prefers to the one checked here.
    static func checkExtra(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, of name: String) throws {
        var p = range.lowerBound
        while p < range.upperBound {
            guard p + 4 <= range.upperBound, p + 4 + u16(b, p + 2) <= range.upperBound else { throw refuse("条目 \(name) 的扩展字段损坏") }
            if u16(b, p) == 0x7075 {
                throw DocumentSniffer.Refusal("DOC-ZIP-ENTRY-NAME", "压缩包条目 \(name) 另带一个文件名(Unicode 路径扩展字段),不接受")
            }
            p += 4 + u16(b, p + 2)
        }
    }

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
            let flags = u16(b, p + 8)
            let nameBytes = UnsafeBufferPointer(rebasing: b[(p + 46)..<(p + 46 + nameLength)])
            // A name that is not UTF-8, or one in the legacy code page (no UTF-8 flag) with bytes
            // above ASCII, reads differently in different readers.
            guard let name = String(validating: nameBytes, as: UTF8.self), flags & 0x800 != 0 || nameBytes.allSatisfy({ $0 < 0x80 }) else {
                throw DocumentSniffer.Refusal("DOC-ZIP-ENTRY-NAME", "压缩包条目名不是 UTF-8 编码,不接受")
            }
            try checkExtra(b, (p + 46 + nameLength)..<(p + 46 + nameLength + extra), of: name)
            let compressed = u32(b, p + 20), uncompressed = u32(b, p + 24), offset = u32(b, p + 42)
            guard compressed != 0xFFFF_FFFF, uncompressed != 0xFFFF_FFFF, offset != 0xFFFF_FFFF else { throw refuse("不接受 ZIP64") }
            result.append(Entry(name: name, flags: flags, method: u16(b, p + 10), crc: u32(b, p + 16), compressedSize: compressed,
                                size: uncompressed, localOffset: offset))
            p += 46 + nameLength + extra + comment
        }
        guard p == end else { throw refuse("目录长度不一致") }
        // Local entries, in file order, one after another from byte 0 to the central directory,
        // each saying what its directory entry says.
        var at = 0
        result.sort { $0.localOffset < $1.localOffset }
        for index in result.indices {
            let entry = result[index]
            guard entry.localOffset == at, at + 30 <= start, u32(b, at) == 0x0403_4B50 else { throw refuse("条目之间或之前有多余内容") }
            guard entry.flags & 0x41 == 0 else { throw refuse("不接受加密的条目") }
            let nameLength = u16(b, at + 26), extra = u16(b, at + 28)
            guard at + 30 + nameLength + extra <= start,
                  Array(UnsafeBufferPointer(rebasing: b[(at + 30)..<(at + 30 + nameLength)])) == Array(entry.name.utf8) else {
                throw refuse("条目名与目录不一致")
            }
            let localFlags = u16(b, at + 6)
            guard u16(b, at + 8) == entry.method, localFlags & 0x49 == entry.flags & 0x49 else { throw refuse("条目 \(entry.name) 的压缩方式或标志与目录不一致") }
            let descriptor = entry.flags & 0x8 != 0
            if !descriptor {
                guard u32(b, at + 14) == entry.crc, u32(b, at + 18) == entry.compressedSize, u32(b, at + 22) == entry.size else {
                    throw refuse("条目 \(entry.name) 的大小或校验和与目录不一致")
                }
            }
            try checkExtra(b, (at + 30 + nameLength)..<(at + 30 + nameLength + extra), of: entry.name)
            result[index].dataOffset = at + 30 + nameLength + extra
            at += 30 + nameLength + extra + entry.compressedSize
            guard at <= start else { throw refuse("条目越界") }
            if descriptor {   // a data descriptor follows: 12 bytes, or 16 with its signature
                var d = at
                if at + 16 <= start && u32(b, at) == 0x0807_4B50 { d += 4 }
                guard d + 12 <= start, u32(b, d) == entry.crc, u32(b, d + 4) == entry.compressedSize, u32(b, d + 8) == entry.size else {
                    throw refuse("条目 \(entry.name) 的数据描述与目录不一致")
                }
                at = d + 12
            }
        }
        guard at == start else { throw refuse("条目与目录之间有多余内容") }
        return result
    }

    /// The name as a package reader resolves it: %-escapes decoded (part names are URIs) and
    /// letter case folded (part names compare without case).
    static func normalized(_ name: String) -> String { (name.removingPercentEncoding ?? name).lowercased() }

    /// One plain relative path: no drive, backslash, control character, leading '/', empty,
    /// '.' or '..' part (a directory entry ends with '/').
    static func checkName(_ name: String, as written: String) throws {
        func bad(_ why: String) -> DocumentSniffer.Refusal {
            DocumentSniffer.Refusal("DOC-ZIP-ENTRY-NAME", "压缩包条目路径无效(\(why)): \(written)")
        }
        guard !name.isEmpty else { throw bad("空名称") }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { throw bad("含控制字符") }
        if name.contains("\\") || name.contains(":") { throw bad("含反斜杠或冒号") }
        if name.hasPrefix("/") { throw bad("绝对路径") }
        var parts = name.split(separator: "/", omittingEmptySubsequences: false)
        if name.hasSuffix("/") { parts.removeLast() }
        for part in parts {
            if part.isEmpty { throw bad("空的路径段") }
            if part == "." || part == ".." { throw bad("含 . 或 .. 路径段") }
        }
    }

    static let refusedExtensions: Set<String> = ["exe", "dll", "com", "scr", "msi", "bat", "cmd", "ps1", "vbs", "vbe", "js", "jse", "wsf",
                                                 "hta", "html", "htm", "xhtml", "mht", "mhtml", "svgz", "sh", "jar", "lnk", "cpl"]

    static func officeOrOFD(_ b: UnsafeBufferPointer<UInt8>) throws -> String {
        let list = try entries(b)
        var seen: Set<String> = []
        var package: [(entry: Entry, name: String)] = []
        for entry in list {
            let name = normalized(entry.name)
            try checkName(entry.name, as: entry.name)
            try checkName(name, as: entry.name)
            let key = name.hasSuffix("/") ? String(name.dropLast()) : name
            guard seen.insert(key).inserted else {
                throw DocumentSniffer.Refusal("DOC-ZIP-DUPLICATE-ENTRY", "压缩包中有两个同名条目(不计大小写和 % 编码): \(entry.name),不接受")
            }
            guard entry.method == 0 || entry.method == 8 else { throw refuse("条目 \(entry.name) 的压缩方式(\(entry.method))不受支持") }
            if let ext = name.split(separator: "/").last?.split(separator: ".").last, name.contains("."), refusedExtensions.contains(String(ext)) {
                throw DocumentSniffer.Refusal("DOC-PACKAGE-EXECUTABLE", "包内含有可执行文件或网页: \(entry.name)")
            }
            package.append((entry, name))
        }
        let ofd = seen.contains("ofd.xml"), office = seen.contains("[content_types].xml")
        if ofd && office { throw refuse("同时含有 OFD.xml 和 [Content_Types].xml,无法确定是 OFD 还是 Office 文档") }
        if ofd { return try OFDPackage.check(package) }
        guard office else { throw refuse("既不是 Office 文档([Content_Types].xml)也不是 OFD 文档(OFD.xml)") }
        return try OfficePackage.check(b, package)
    }

    /// An entry's bytes, inflated when deflated, checked against its size and CRC-32.
    static func content(_ b: UnsafeBufferPointer<UInt8>, _ entry: Entry, limit: Int) throws -> [UInt8] {
        guard entry.size <= limit else { throw refuse("条目 \(entry.name) 过大,无法检查") }
        let data = UnsafeBufferPointer(rebasing: b[entry.dataOffset..<(entry.dataOffset + entry.compressedSize)])
        let bytes: [UInt8]
        if entry.method == 0 {
            bytes = Array(data)
        } else {
            guard case .inflated(let inflated) = DocumentInflate.inflate(data, .raw, limit: entry.size) else {
                throw refuse("条目 \(entry.name) 无法解压")
            }
            bytes = inflated
        }
        guard bytes.count == entry.size, Int(DocumentInflate.crc32(bytes)) == entry.crc else { throw refuse("条目 \(entry.name) 的内容与校验和不符") }
        return bytes
    }
}

/// OFD (GB/T 33190): OFD.xml and the documents under Doc_N/, each part XML, an image, a font or
/// signature data. Attachments (Attachs/) are files of any type carried inside: refused, as a
/// PDF's embedded files are.
enum OFDPackage {
    static let extensions: Set<String> = ["xml", "png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff", "jb2", "jbig2", "ttf", "otf", "ttc", "dat", "esl"]

    static func check(_ package: [(entry: ZipCheck.Entry, name: String)]) throws -> String {
        for (entry, name) in package where name != "ofd.xml" {
            let parts = name.split(separator: "/")
            guard let top = parts.first, top.hasPrefix("doc_"), top.count > 4, top.dropFirst(4).allSatisfy(\.isASCII), top.dropFirst(4).allSatisfy(\.isNumber) else {
                throw DocumentSniffer.Refusal("DOC-OFD-ENTRY", "OFD 文档中有不属于文档的条目: \(entry.name)(只接受 OFD.xml 和 Doc_N/ 下的内容)")
            }
            if parts.contains("attachs") || parts.last == "attachments.xml" {
                throw DocumentSniffer.Refusal("DOC-OFD-ATTACHMENT", "OFD 文档含有附件(\(entry.name)),不接受嵌入的文件")
            }
            if name.hasSuffix("/") { continue }
            guard let last = parts.last, last.contains("."), let ext = last.split(separator: ".").last, extensions.contains(String(ext)) else {
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
            if last.hasPrefix("vbaproject") || last.hasPrefix("vbadata") || last.hasPrefix("attachedtoolbars") || parts.contains("activex") {
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
                for (marker, code, what) in [("macroenabled", "DOC-OFFICE-MACRO", "启用宏的文档类型"), ("vbaproject", "DOC-OFFICE-MACRO", "宏(VBA)"),
                                             ("activex", "DOC-OFFICE-MACRO", "ActiveX 控件"), ("oleobject", "DOC-OFFICE-EMBEDDED", "嵌入的 OLE 对象")]
                where lowered.contains(marker) {
                    throw DocumentSniffer.Refusal(code, "Office 文档声明了\(what)(\(entry.name)),不接受")
                }
            } else {
                try relationships(text, in: entry.name)
            }
        }
        let names = package.map(\.name)
        if names.contains(where: { $0.hasPrefix("word/") }) { return "application/vnd.openxmlformats-officedocument.wordprocessingml.document" }
        if names.contains(where: { $0.hasPrefix("xl/") }) { return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }
        if names.contains(where: { $0.hasPrefix("ppt/") }) { return "application/vnd.openxmlformats-officedocument.presentationml.presentation" }
        throw DocumentSniffer.Refusal("DOC-OFFICE-ENTRY", "Office 文档中没有正文(word/、xl/ 或 ppt/)")
    }

    /// The relationship types of a hyperlink and of an embedded package, Transitional and Strict.
    static let hyperlinkTypes: Set<String> = ["http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
                                              "http://purl.oclc.org/ooxml/officeDocument/relationships/hyperlink"]
    static let packageTypes: Set<String> = ["http://schemas.openxmlformats.org/officeDocument/2006/relationships/package",
                                            "http://purl.oclc.org/ooxml/officeDocument/relationships/package"]

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
            let isInternal = (attributes["targetmode"] ?? "Internal").trimmingCharacters(in: .whitespacesAndNewlines).lowercased() == "internal"
            if hyperlinkTypes.contains(type) && isWebLink(target) { continue }   // followed only when the reader clicks it
            // A chart's workbook: a part of this package, by a plain relative name.
            if packageTypes.contains(type), isInternal, target.lowercased().hasSuffix(".xlsx"),
               !target.contains(":"), !target.contains("\\"), !target.contains("%"), !target.hasPrefix("/") {
                continue
            }
            if let mode = attributes["targetmode"], mode.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() != "internal" {
                throw DocumentSniffer.Refusal("DOC-OFFICE-EXTERNAL", "Office 文档含有指向外部的关系(\(part): TargetMode=\"\(mode)\" Target=\"\(target.prefix(200))\"),不接受引用外部资源的文档")
            }
            let plain = (target.removingPercentEncoding ?? target).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            let scheme = plain.prefix { $0 != "/" && $0 != "?" && $0 != "#" }.contains(":")
            if scheme || plain.hasPrefix("//") || plain.hasPrefix("\\") {
                throw DocumentSniffer.Refusal("DOC-OFFICE-EXTERNAL", "Office 文档含有指向外部的关系(\(part): Target=\"\(target.prefix(200))\"),不接受引用外部资源的文档")
            }
            if let type = attributes["type"], let last = type.split(separator: "/").last, let refused = refusedRelationships[last.lowercased()] {
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
            if s[i] == "!" || s[i] == "?" {   // comment, declaration, processing instruction: no attributes
                let close = s[i] == "!" && i + 2 < n && s[i + 1] == "-" && s[i + 2] == "-" ? find("-->", from: i) : find(">", from: i)
                i = (close ?? n) + 1
                continue
            }
            while i < n && !isSpace(s[i]) && s[i] != ">" && s[i] != "/" { i += 1 }   // element name
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
        while end > 2 && b[end - 1] == 0 { end -= 1 }   // some encoders pad with zero bytes
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
        let refused = ["html", "xml", "svg", "script", "shellscript", "php", "perl", "python", "ruby", "javascript", "ecmascript", "msdos-batch",
                       "tcl", "lua", "awk", "m4", "postscript", "vbscript"]
        guard charset == "utf-8" || charset == "us-ascii" else {
            throw DocumentSniffer.Refusal("DOC-TEXT", "不是纯文本(识别为 \(named), 字符集 \(charset))")
        }
        guard !refused.contains(where: { named.contains($0) }) else {
            throw DocumentSniffer.Refusal("DOC-TEXT", "不接受此类文本(识别为 \(named)): 仅接受纯文本,不接受网页、XML 或脚本")
        }
    }
}
