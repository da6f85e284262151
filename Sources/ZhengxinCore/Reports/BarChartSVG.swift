/// Horizontal (grouped) bar charts for the portfolio report, drawn on the server as SVG: one row per
/// category, one bar per series, the value written at each bar's end, a scale of five gridlines.
/// Horizontal bars because the categories are Chinese unit names and stage names. Every text is
/// escaped; the drawing is `role="img"` with a `<title>` and a `<desc>`; the page puts the same
/// figures in a table beside it.
public struct BarChart: Sendable, Hashable {
    public enum ValueKind: Sendable, Hashable {
        case count   // 个
        case money   // fen, shown in 万元
    }

    public struct Series: Sendable, Hashable {
        public var name: String
        public var colour: String
        public init(name: String, colour: String) {
            self.name = name
            self.colour = colour
        }
    }

    public var id: String
    public var title: String
    public var categories: [String]
    public var series: [Series]
    /// values[category][series]; never negative (a negative value draws as zero).
    public var values: [[Int64]]
    public var kind: ValueKind

    public init(id: String, title: String, categories: [String], series: [Series], values: [[Int64]], kind: ValueKind) {
        self.id = id
        self.title = title
        self.categories = categories
        self.series = series
        self.values = values
        self.kind = kind
    }

    static let width = 600.0
    static let labelWidth = 150.0
    static let valueWidth = 100.0
    static let barHeight = 14.0
    static let groupPadding = 10.0
    static var plotWidth: Double { width - labelWidth - valueWidth }

    /// The scale's end: the smallest 1, 2, 2.5 or 5 × 10ⁿ at or above `maximum` (1 for an empty chart).
    public static func niceMaximum(_ maximum: Int64) -> Int64 {
        guard maximum > 0 else { return 1 }
        var power: Int64 = 1
        while true {
            for step in [10, 20, 25, 50] as [Int64] {
                let (tenfold, overflow) = power.multipliedReportingOverflow(by: step)
                if overflow { return Int64.max }
                if tenfold % 10 == 0 && tenfold / 10 >= maximum { return tenfold / 10 }
            }
            let (next, overflow) = power.multipliedReportingOverflow(by: 10)
            if overflow { return Int64.max }
            power = next
        }
    }

    /// Gridlines at whole values: 2 × 10ⁿ in quarters, 1, 2.5 and 5 × 10ⁿ in fifths; a gridline
    /// that would fall between two whole values (0.25 of a project) is left out.
    public static func ticks(scale: Int64) -> [Int64] {
        let parts: Int64 = String(scale).hasPrefix("2") && !String(scale).hasPrefix("25") ? 4 : 5
        return (0...parts).compactMap { i in
            let (product, overflow) = scale.multipliedReportingOverflow(by: i)
            if overflow { return scale / parts * i }
            return product % parts == 0 ? product / parts : nil
        }
    }

    /// Bar length for `value` on a scale ending at `scale`.
    public static func length(_ value: Int64, scale: Int64) -> Double {
        plotWidth * Double(min(max(value, 0), scale)) / Double(max(scale, 1))
    }

    /// "12个", or money in 万元 with two decimals: 1,234.56万元.
    public func valueText(_ v: Int64) -> String {
        switch kind {
        case .count: return "\(v)个"
        case .money:
            // 万元 with two decimals is 10,000 fen a step, rounded half up.
            let wan = Fen(v / 10_000 + (v % 10_000 >= 5_000 ? 1 : 0)).yuanText
            return String(wan.dropLast()) + "万元"
        }
    }

    /// A gridline's label: whole 万元 without decimals (the scale steps are round).
    public func tickText(_ v: Int64) -> String {
        let text = valueText(v)
        return text.hasSuffix(".00万元") ? String(text.dropLast(".00万元".count)) + "万元" : text
    }

    public func render() -> String {
        let scale = Self.niceMaximum(values.flatMap { $0 }.max() ?? 0)
        let groupHeight = Double(series.count) * (Self.barHeight + 2) + Self.groupPadding
        let legend = series.count > 1 ? 24.0 : 0
        let top = 8 + legend
        let height = top + Double(max(categories.count, 1)) * groupHeight + 28
        let x0 = Self.labelWidth
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"bar-chart\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" "
            + "viewBox=\"0 0 \(Int(Self.width)) \(Int(height))\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" "
            + "font-family=\"PingFang SC, Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif\" font-size=\"12\">"
        s += "<title id=\"\(id)-title\">\(esc(title))</title><desc id=\"\(id)-desc\">\(esc(description))</desc>"
        var lx = x0
        if series.count > 1 {
            for item in series {
                s += "<rect x=\"\(f(lx))\" y=\"8\" width=\"12\" height=\"12\" fill=\"\(esc(item.colour))\"/>"
                s += "<text x=\"\(f(lx + 16))\" y=\"18\" fill=\"#333\">\(esc(item.name))</text>"
                lx += 16 + TimelineSVG.estimatedWidth(item.name, size: 12) + 18
            }
        }
        let bottom = height - 22
        for tick in Self.ticks(scale: scale) {
            let tx = x0 + Self.length(tick, scale: scale)
            s += "<line x1=\"\(f(tx))\" y1=\"\(f(top))\" x2=\"\(f(tx))\" y2=\"\(f(bottom))\" stroke=\"#d5dde6\" stroke-width=\"1\"/>"
            s += "<text x=\"\(f(tx))\" y=\"\(f(bottom + 16))\" fill=\"#555\" font-size=\"11\" text-anchor=\"middle\">\(esc(tickText(tick)))</text>"
        }
        for (c, category) in categories.enumerated() {
            let gy = top + Double(c) * groupHeight + Self.groupPadding / 2
            s += "<g class=\"bar-group\"><title>\(esc(groupText(c)))</title>"
            s += "<text x=\"\(f(x0 - 6))\" y=\"\(f(gy + groupHeight / 2 - 2))\" fill=\"#1f2d3d\" text-anchor=\"end\">\(esc(Self.fitted(category)))</text>"
            for (k, item) in series.enumerated() {
                let v = c < values.count && k < values[c].count ? values[c][k] : 0
                let y = gy + Double(k) * (Self.barHeight + 2)
                s += "<rect x=\"\(f(x0))\" y=\"\(f(y))\" width=\"\(f(Self.length(v, scale: scale)))\" height=\"\(f(Self.barHeight))\" fill=\"\(esc(item.colour))\"/>"
                // Grouped bars: a zero needs no label (the table beside the chart has every figure).
                guard v != 0 || series.count == 1 else { continue }
                s += "<text x=\"\(f(x0 + Self.length(v, scale: scale) + 4))\" y=\"\(f(y + Self.barHeight - 3))\" fill=\"#333\" font-size=\"11\">\(esc(valueText(v)))</text>"
            }
            s += "</g>"
        }
        s += "<line x1=\"\(f(x0))\" y1=\"\(f(top))\" x2=\"\(f(x0))\" y2=\"\(f(bottom))\" stroke=\"#1f3a5f\" stroke-width=\"1\"/>"
        return s + "</svg>"
    }

    /// The chart in words, for screen readers.
    public var description: String {
        guard !categories.isEmpty else { return "\(title): 暂无数据。" }
        return "\(title): " + categories.indices.map(groupText).joined(separator: "; ") + "。"
    }

    func groupText(_ c: Int) -> String {
        let figures = series.enumerated().map { k, item in
            "\(item.name) \(valueText(c < values.count && k < values[c].count ? values[c][k] : 0))"
        }
        return "\(categories[c]): " + figures.joined(separator: ", ")
    }

    /// A label that fits the label column, cut with "…" (the full label is in the group's title).
    static func fitted(_ label: String) -> String {
        let room = labelWidth - 12
        guard TimelineSVG.estimatedWidth(label, size: 12) > room else { return label }
        var out = ""
        for ch in label {
            if TimelineSVG.estimatedWidth(out + String(ch) + "…", size: 12) > room { break }
            out.append(ch)
        }
        return out + "…"
    }

    private func esc(_ s: String) -> String { TimelineSVG.escape(s) }
    private func f(_ v: Double) -> String { TimelineSVG.f(v) }
}
