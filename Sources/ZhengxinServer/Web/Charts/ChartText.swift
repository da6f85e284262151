/// Numbers and label widths for the drawings the templates draw (charts/*.leaf). The templates
/// escape every text; this only lays out.
enum ChartText {
    /// A coordinate to one decimal, without a trailing ".0": 12 → "12", 12.25 → "12.3".
    static func f(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    /// A label's width in pixels, estimated: a CJK character is as wide as the font size, ASCII 0.6 of it.
    static func estimatedWidth(_ s: String, size: Int) -> Double {
        s.unicodeScalars.reduce(0) { $0 + ($1.isASCII ? 0.6 : 1.0) } * Double(size)
    }

    /// Control characters other than tab and newline as spaces: an SVG stays well-formed XML
    /// (XML 1.0 allows none of them) when it is saved or printed on its own.
    static func clean(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: isControl) else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.map { isControl($0) ? " " : $0 }))
    }

    private static func isControl(_ u: Unicode.Scalar) -> Bool {
        u.value < 0x20 && u != "\t" && u != "\n"
    }
}
