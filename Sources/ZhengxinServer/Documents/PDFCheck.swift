import Foundation

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
        // Nor may an object stand inside a stream's data: a viewer that jumps to it by the xref's
        // offset reads it as any other, while here its bytes were data, whose two-letter names
        // (/AA, /EF, /AF) are not looked at — a page's auto-run action or an embedded file hid so.
        if streams.contains(where: { holdsObjectHeader(b, $0.data) }) {
            throw DocumentSniffer.Refusal("DOC-PDF-STRUCTURE", "PDF 文件的数据流中藏有对象定义(N G obj),其内容无法检查,不接受")
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
                for pair in stride(from: 0, to: header.count - 1, by: 2)
                where targets.contains(header[pair]) && header[pair + 1] <= o.count - first {
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

    /// Whether `range` holds an object's header, `N G obj`, as a viewer's lexer reads one: two numbers
    /// and the keyword, apart by white space or comments (`5 0 %x` + a line end + `obj`), the keyword
    /// perhaps right after the second number (`5 0obj`), and ended by white space, a delimiter or the
    /// range's end. A number as the lexer takes one, sign and decimal point included (`5 +0.0 obj`):
    /// pdf.js compares the header's numbers by value. Compressed data spells this by chance about
    /// never; a content stream's operators never do.
    static func holdsObjectHeader(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        let end = range.upperBound
        func number(from k: Int) -> Int? {  // [+-]? digits, a '.' anywhere among them; at least one digit
            var k = k
            if k < end && (b[k] == 0x2B || b[k] == 0x2D) { k += 1 }
            var digits = 0
            var point = false
            while k < end && (isDigit(b[k]) || (b[k] == 0x2E && !point)) {
                if b[k] == 0x2E { point = true } else { digits += 1 }
                k += 1
            }
            return digits > 0 ? k : nil
        }
        func gap(from k: Int) -> Int {  // white space and comments (`%` to the line's end)
            var k = k
            while k < end {
                if PDFStructure.isWhite(b[k]) {
                    k += 1
                } else if b[k] == 0x25 {
                    while k < end && b[k] != 0x0A && b[k] != 0x0D { k += 1 }
                } else {
                    break
                }
            }
            return k
        }
        func startsNumber(_ k: Int) -> Bool { isDigit(b[k]) || b[k] == 0x2B || b[k] == 0x2D || b[k] == 0x2E }
        var i = range.lowerBound
        while i < end {
            guard startsNumber(i), i == range.lowerBound || !startsNumber(i - 1), let first = number(from: i) else {
                i += 1
                continue
            }
            let second = gap(from: first)
            if second > first, let after = number(from: second) {
                let k = gap(from: after)
                if k + 3 <= end && b[k] == 0x6F && b[k + 1] == 0x62 && b[k + 2] == 0x6A
                    && (k + 3 == end || PDFStructure.isWhite(b[k + 3]) || PDFStructure.isDelimiter(b[k + 3]))
                {
                    return true
                }
            }
            i = first
        }
        return false
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
        guard k < b.count, b[k] == 0x52, k + 1 == b.count || PDFStructure.isWhite(b[k + 1]) || PDFStructure.isDelimiter(b[k + 1]) else {
            return nil
        }
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
            guard k + 3 <= b.count, b[k] == 0x6F, b[k + 1] == 0x62, b[k + 2] == 0x6A else { continue }  // "obj"
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
            guard b[i] == 0x2F else { i += 1; continue }  // '/'
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
