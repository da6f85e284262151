import CPangoCairo
import Foundation

/// Draws a `DecisionDocument` on A4 (595 × 842 pt) as PDF through Cairo, with Pango shaping the
/// Chinese text (Noto CJK through fontconfig): a red masthead with the agency's name, the 文号, the
/// title, the addressee, the decision, the article it rests on, the agency and date, and a
/// verification block with the QR code of the public verification page.
enum DecisionPDF {
    struct Failed: Error { var status: String }

    static let width = 595.0
    static let height = 842.0
    static let margin = 60.0
    static let red = (0.78, 0.06, 0.06)
    static let black = (0.0, 0.0, 0.0)

    private final class Sink {
        var data = Data()
    }

    static func render(_ d: DecisionDocument) throws -> Data {
        let sink = Unmanaged.passRetained(Sink())
        defer { sink.release() }
        let surface = cairo_pdf_surface_create_for_stream(
            { closure, bytes, length in
                if let closure, let bytes {
                    Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
                }
                return CAIRO_STATUS_SUCCESS
            }, sink.toOpaque(), width, height)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, d.title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, d.agency)
        let cr = cairo_create(surface)!
        var page = Page(cr: cr)
        draw(d, on: &page)
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        guard status == CAIRO_STATUS_SUCCESS else { throw Failed(status: String(cString: cairo_status_to_string(status))) }
        return sink.takeUnretainedValue().data
    }

    private static func draw(_ d: DecisionDocument, on page: inout Page) {
        let column = width - 2 * margin
        page.text(d.agency + "文件", font: "Noto Serif CJK SC Bold 24", colour: red, align: PANGO_ALIGN_CENTER, after: 10)
        page.text(d.documentNumber, font: "Noto Serif CJK SC 12", align: PANGO_ALIGN_CENTER, after: 6)
        page.rule(colour: red, thickness: 2, after: 20)
        page.text(d.title, font: "Noto Sans CJK SC Bold 16", align: PANGO_ALIGN_CENTER, after: 18)
        page.text(d.addressee + ":", font: "Noto Serif CJK SC 12", after: 8)
        page.text("　　" + d.summary + "。", font: "Noto Serif CJK SC 12", after: 10)
        var lines = ["项目名称: \(d.projectName)", "项目编码: \(d.projectCode)", "事项: \(d.actionTitle)"]
        lines += d.facts.map { "\($0.label): \($0.value)" }
        page.text(lines.joined(separator: "\n"), font: "Noto Serif CJK SC 11", indent: 24, after: 12)
        page.text("依据《郑州市政务信息化项目建设管理暂行办法》(郑政文〔2020〕70号):", font: "Noto Serif CJK SC 11", after: 4)
        for article in d.articles { page.text(article, font: "Noto Serif CJK SC 10.5", indent: 24, after: 4) }
        page.skip(20)
        page.text(d.agency + "\n" + d.date, font: "Noto Serif CJK SC 12", align: PANGO_ALIGN_RIGHT, after: 24)

        // The verification block: the QR code on the left, what it checks on the right.
        let side = 132.0
        page.needs(side + 16)
        page.rule(colour: black, thickness: 0.5, after: 8)
        let top = page.y
        if let qr = DecisionQRCode(d.verifyURL) { drawQR(qr, on: page.cr, x: margin, y: top, side: side) }
        page.y = top
        let right = (x: margin + side + 12, width: column - side - 12)
        let blocks = [
            ("电子签名验证\n签名算法: SM2 (SM3 摘要), 签署时间 \(d.signedAt)\n机构签名密钥指纹(SM3):", "Noto Sans CJK SC 8"),
            (d.keyFingerprint, "Noto Sans Mono CJK SC 7"), ("签名摘要(SM3):", "Noto Sans CJK SC 8"),
            (d.signatureDigest, "Noto Sans Mono CJK SC 7"), ("扫码或访问以下地址核验本文件是否真实、未被改动:", "Noto Sans CJK SC 8"),
            (d.verifyURL, "Noto Sans Mono CJK SC 7"),
        ]
        // The block was fitted as a whole above; its lines stay beside the code.
        for (text, font) in blocks { page.text(text, font: font, x: right.x, width: right.width, breaks: false, after: 2) }
        page.y = max(page.y, top + side)
    }

    /// A quiet zone of four modules, then the modules as one filled path (no seams between them).
    private static func drawQR(_ qr: DecisionQRCode, on cr: OpaquePointer, x: Double, y: Double, side: Double) {
        let unit = side / Double(qr.width + 8)
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_rectangle(cr, x, y, side, side)
        cairo_fill(cr)
        cairo_set_source_rgb(cr, 0, 0, 0)
        for row in 0..<qr.width {
            for column in 0..<qr.width where qr.dark[row * qr.width + column] {
                cairo_rectangle(cr, x + Double(column + 4) * unit, y + Double(row + 4) * unit, unit, unit)
            }
        }
        cairo_fill(cr)
    }

    /// A cursor down the page; a block that would cross the bottom margin starts a new page.
    private struct Page {
        let cr: OpaquePointer
        var y = DecisionPDF.margin

        mutating func needs(_ height: Double) {
            if y + height > DecisionPDF.height - DecisionPDF.margin {
                cairo_show_page(cr)
                y = DecisionPDF.margin
            }
        }

        mutating func skip(_ height: Double) { y += height }

        mutating func rule(colour: (Double, Double, Double), thickness: Double, after: Double) {
            cairo_set_source_rgb(cr, colour.0, colour.1, colour.2)
            cairo_set_line_width(cr, thickness)
            cairo_move_to(cr, DecisionPDF.margin, y)
            cairo_line_to(cr, DecisionPDF.width - DecisionPDF.margin, y)
            cairo_stroke(cr)
            y += thickness + after
        }

        mutating func text(
            _ text: String, font: String, colour: (Double, Double, Double) = DecisionPDF.black, align: PangoAlignment = PANGO_ALIGN_LEFT,
            indent: Double = 0, x: Double? = nil, width: Double? = nil, breaks: Bool = true, after: Double
        ) {
            let layout = pango_cairo_create_layout(cr)!
            defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
            let description = pango_font_description_from_string(font)
            defer { pango_font_description_free(description) }
            let left = (x ?? DecisionPDF.margin) + indent
            let boxWidth = (width ?? DecisionPDF.width - 2 * DecisionPDF.margin) - indent
            pango_layout_set_font_description(layout, description)
            pango_layout_set_width(layout, Int32(boxWidth * Double(PANGO_SCALE)))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
            pango_layout_set_alignment(layout, align)
            pango_layout_set_text(layout, DecisionPDF.keepingTogether(text), -1)
            var w: Int32 = 0
            var h: Int32 = 0
            pango_layout_get_pixel_size(layout, &w, &h)
            if breaks { needs(Double(h)) }
            cairo_set_source_rgb(cr, colour.0, colour.1, colour.2)
            cairo_move_to(cr, left, y)
            pango_cairo_show_layout(cr, layout)
            y += Double(h) + after
        }
    }
}

extension DecisionPDF {
    /// Chinese text may break between any two characters, also between an amount and its 元 or a
    /// number and its 号: a WORD JOINER (U+2060, no glyph) keeps them on one line.
    static func keepingTogether(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        var previous: Character?
        for c in text {
            if let p = previous, p.isASCII, p.isNumber, c == "元" || c == "号" || c == "万" { out.append("\u{2060}") }
            out.append(c)
            previous = c
        }
        return out
    }
}
