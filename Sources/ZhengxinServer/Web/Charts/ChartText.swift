/// Numbers, label widths and escaping for the drawings: the bar charts (BarChartView.svg) and the
/// project timeline (charts/timeline.leaf, whose template escapes its texts).
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

    /// `s` safe inside an XML text node or a double-quoted attribute: the five characters Leaf's
    /// `#( )` escapes, escaped the same way, so a drawing reads the same whichever writes it.
    static func escaped(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x22 || $0 == 0x27 || $0 == 0x3C || $0 == 0x3E }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
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
