import Foundation

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
            if b[i] == 0x50 && b[i + 1] == 0x4B && b[i + 2] == 0x05 && b[i + 3] == 0x06 && i + 22 + u16(b, i + 20) == b.count {
                eocd = i; break
            }
            i -= 1
        }
        guard let end = eocd else { throw refuse("找不到目录结尾,或其后还有其他内容") }
        let count = u16(b, end + 10), size = u32(b, end + 12), start = u32(b, end + 16)
        guard u16(b, end + 4) == 0, u16(b, end + 6) == 0, u16(b, end + 8) == count, count > 0,
            count != 0xFFFF, size != 0xFFFF_FFFF, start != 0xFFFF_FFFF, start + size == end
        else {
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
            result.append(
                Entry(
                    name: name, flags: flags, method: u16(b, p + 10), crc: u32(b, p + 16), compressedSize: compressed,
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
                Array(UnsafeBufferPointer(rebasing: b[(at + 30)..<(at + 30 + nameLength)])) == Array(entry.name.utf8)
            else {
                throw refuse("条目名与目录不一致")
            }
            let localFlags = u16(b, at + 6)
            guard u16(b, at + 8) == entry.method, localFlags & 0x49 == entry.flags & 0x49 else {
                throw refuse("条目 \(entry.name) 的压缩方式或标志与目录不一致")
            }
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
            if descriptor {  // a data descriptor follows: 12 bytes, or 16 with its signature
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

    static let refusedExtensions: Set<String> = [
        "exe", "dll", "com", "scr", "msi", "bat", "cmd", "ps1", "vbs", "vbe", "js", "jse", "wsf",
        "hta", "html", "htm", "xhtml", "mht", "mhtml", "svgz", "sh", "jar", "lnk", "cpl",
    ]

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
            if let ext = name.split(separator: "/").last?.split(separator: ".").last, name.contains("."),
                refusedExtensions.contains(String(ext))
            {
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
