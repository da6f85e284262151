import CNIOExtrasZlib
import Foundation

/// Hostile packages and PDFs for the structural checks: zips whose entries a reader would take
/// for other names or other bytes than the directory says, Office parts that bring in code,
/// embedded objects or outside resources, PDFs whose actions hide behind `#xx` escapes or inside
/// zlib-compressed object streams. Built byte by byte like SampleDocuments.
enum HostileDocuments {
    // MARK: zlib

    /// `bytes` deflated by zlib at its default level: with a zlib header (`raw` false, PDF
    /// /FlateDecode) or bare (`raw`, ZIP method 8).
    static func deflate(_ bytes: [UInt8], raw: Bool = false) -> [UInt8] {
        let stream = UnsafeMutablePointer<cnioextras_z_stream>.allocate(capacity: 1)
        stream.initialize(to: cnioextras_z_stream())
        defer { stream.deinitialize(count: 1); stream.deallocate() }
        precondition(
            CNIOExtrasZlib_deflateInit2(
                stream, CNIOEXTRAS_Z_DEFAULT_COMPRESSION, CNIOEXTRAS_Z_DEFLATED, raw ? -15 : 15, 8,
                CNIOEXTRAS_Z_DEFAULT_STRATEGY) == CNIOEXTRAS_Z_OK)
        defer { _ = cnioextras_z_deflateEnd(stream) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: Int(cnioextras_z_deflateBound(stream, UInt(bytes.count))) + 64)
        let produced = input.withUnsafeMutableBufferPointer { inp in
            output.withUnsafeMutableBufferPointer { out -> Int in
                stream.pointee.next_in = inp.baseAddress
                stream.pointee.avail_in = UInt32(inp.count)
                stream.pointee.next_out = out.baseAddress
                stream.pointee.avail_out = UInt32(out.count)
                precondition(cnioextras_z_deflate(stream, CNIOEXTRAS_Z_FINISH) == CNIOEXTRAS_Z_STREAM_END)
                return out.count - Int(stream.pointee.avail_out)
            }
        }
        return Array(output.prefix(produced))
    }

    // MARK: zip

    struct ZipEntry {
        var name: String
        var bytes: [UInt8]
        var deflated = false
        /// Extra field of the directory entry and of the local header.
        var extra: [UInt8] = []
        /// The local header's name and CRC-32 when they differ from the directory's.
        var localName: String?
        var localCRC: UInt32?

        init(_ name: String, _ text: String, deflated: Bool = false) {
            self.name = name
            self.bytes = Array(text.utf8)
            self.deflated = deflated
        }

        init(_ name: String, bytes: [UInt8], deflated: Bool = false) {
            self.name = name
            self.bytes = bytes
            self.deflated = deflated
        }
    }

    static func zip(_ entries: [ZipEntry]) -> Data {
        typealias S = SampleDocuments
        var local = Data(), central = Data()
        for entry in entries {
            let stored = entry.deflated ? deflate(entry.bytes, raw: true) : entry.bytes
            let crc = S.crc32(entry.bytes)
            let name = Array(entry.name.utf8), localName = Array((entry.localName ?? entry.name).utf8)
            let method: UInt16 = entry.deflated ? 8 : 0
            let offset = UInt32(local.count)
            local.append(
                contentsOf: S.le32(0x0403_4B50) + S.le16(20) + S.le16(0x0800) + S.le16(method) + S.le16(0) + S.le16(0x21)
                    + S.le32(entry.localCRC ?? crc) + S.le32(UInt32(stored.count)) + S.le32(UInt32(entry.bytes.count))
                    + S.le16(UInt16(localName.count)) + S.le16(UInt16(entry.extra.count)))
            local.append(contentsOf: localName + entry.extra + stored)
            central.append(
                contentsOf: S.le32(0x0201_4B50) + S.le16(20) + S.le16(20) + S.le16(0x0800) + S.le16(method) + S.le16(0) + S.le16(0x21)
                    + S.le32(crc) + S.le32(UInt32(stored.count)) + S.le32(UInt32(entry.bytes.count)) + S.le16(UInt16(name.count))
                    + S.le16(UInt16(entry.extra.count)) + S.le16(0) + S.le16(0) + S.le16(0) + S.le32(0) + S.le32(offset))
            central.append(contentsOf: name + entry.extra)
        }
        var out = local + central
        out.append(
            contentsOf: S.le32(0x0605_4B50) + S.le16(0) + S.le16(0) + S.le16(UInt16(entries.count)) + S.le16(UInt16(entries.count))
                + S.le32(UInt32(central.count)) + S.le32(UInt32(local.count)) + S.le16(0))
        return out
    }

    static let ofdXML =
        #"<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"#
    static let ofdDocument = #"<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>"#

    /// An OFD package: OFD.xml, Doc_0/Document.xml and `extra`.
    static func ofd(_ extra: [ZipEntry]) -> Data {
        zip([ZipEntry("OFD.xml", ofdXML), ZipEntry("Doc_0/Document.xml", ofdDocument)] + extra)
    }

    static let contentTypes =
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#
    static let packageRels =
        #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#
    static let documentXML =
        #"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>郑州市政务信息化项目</w:t></w:r></w:p></w:body></w:document>"#

    /// word/_rels/document.xml.rels holding `relationships` (inner XML of <Relationships>).
    static func documentRels(_ relationships: String) -> String {
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
            + relationships + "</Relationships>"
    }

    /// A Word document as Word writes it (every part deflated), with `extra` parts.
    static func docx(_ extra: [ZipEntry], contentTypes types: String = contentTypes, deflated: Bool = true) -> Data {
        zip(
            [
                ZipEntry("[Content_Types].xml", types, deflated: deflated), ZipEntry("_rels/.rels", packageRels, deflated: deflated),
                ZipEntry("word/document.xml", documentXML, deflated: deflated),
            ] + extra)
    }

    // MARK: PDF

    /// A one-page PDF with the catalog's extra keys `catalog` and further objects `more`
    /// (each "<< … >>" or "<< … >>\nstream\n…\nendstream", numbered from 5), cross-reference
    /// table and trailer.
    static func pdf(catalog: String = "", more: [[UInt8]] = []) -> Data {
        let stream = "BT /F1 12 Tf 20 100 Td (Zhengzhou) Tj ET"
        let objects: [[UInt8]] =
            [
                Array("<< /Type /Catalog /Pages 2 0 R \(catalog)>>".utf8), Array("<< /Type /Pages /Kids [3 0 R] /Count 1 >>".utf8),
                Array("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>".utf8),
                Array("<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream".utf8),
            ] + more
        var out = Data("%PDF-1.5\n%\u{E2}\u{E3}\n".utf8)
        var offsets: [Int] = []
        for (i, object) in objects.enumerated() {
            offsets.append(out.count)
            out.append(Data("\(i + 1) 0 obj\n".utf8))
            out.append(contentsOf: object)
            out.append(Data("\nendobj\n".utf8))
        }
        let xref = out.count
        out.append(Data("xref\n0 \(offsets.count + 1)\n0000000000 65535 f \n".utf8))
        for offset in offsets { out.append(Data(String(format: "%010d 00000 n \n", offset).utf8)) }
        out.append(Data("trailer\n<< /Size \(offsets.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n".utf8))
        return out
    }

    /// An object stream holding `objects` (numbered from `first`), its data deflated by zlib
    /// unless `filter` names another encoding; `type` false leaves out /Type /ObjStm.
    static func objectStream(
        _ objects: [String], first number: Int = 20, type: Bool = true, filter: String = "/FlateDecode",
        indirectLength: Bool = false
    ) -> [UInt8] {
        var header = "", body = ""
        for (i, object) in objects.enumerated() {
            header += "\(number + i) \(body.utf8.count) "
            body += object + "\n"
        }
        let plain = Array((header + "\n" + body).utf8)
        let data: [UInt8]
        switch filter {
        case "/FlateDecode": data = deflate(plain)
        case "/ASCIIHexDecode": data = Array((plain.map { String(format: "%02X", $0) }.joined() + ">").utf8)
        default: data = plain
        }
        let length = indirectLength ? "99 0 R" : "\(data.count)"
        let dict =
            "<< \(type ? "/Type /ObjStm " : "")/N \(objects.count) /First \((header + "\n").utf8.count) /Length \(length)\(filter.isEmpty ? "" : " /Filter \(filter)") >>"
        return Array("\(dict)\nstream\n".utf8) + data + Array("\nendstream".utf8)
    }
}
