import ZhengxinCore

/// Horizontal (grouped) bar charts for the portfolio report: one row per category, one bar per
/// series, the value written at each bar's end, a scale of five gridlines. Horizontal bars because
/// the categories are Chinese unit names and stage names. Laid out here (`layout`), drawn as SVG by
/// `BarChartView.svg`, which escapes every text; the drawing is `role="img"` with a `<title>` and a
/// `<desc>`; the page puts the same figures in a table beside it.
struct BarChart: Sendable, Hashable {
    enum ValueKind: Sendable, Hashable {
        case count  // 个
        case money  // fen, shown in 万元
    }

    struct Series: Sendable, Hashable {
        var name: String
        var colour: String
        init(name: String, colour: String) {
            self.name = name
            self.colour = colour
        }
    }

    var id: String
    var title: String
    var categories: [String]
    var series: [Series]
    /// values[category][series]; never negative (a negative value draws as zero).
    var values: [[Int64]]
    var kind: ValueKind

    init(id: String, title: String, categories: [String], series: [Series], values: [[Int64]], kind: ValueKind) {
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
    static func niceMaximum(_ maximum: Int64) -> Int64 {
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
    static func ticks(scale: Int64) -> [Int64] {
        let parts: Int64 = String(scale).hasPrefix("2") && !String(scale).hasPrefix("25") ? 4 : 5
        return (0...parts).compactMap { i in
            let (product, overflow) = scale.multipliedReportingOverflow(by: i)
            if overflow { return scale / parts * i }
            return product % parts == 0 ? product / parts : nil
        }
    }

    /// Bar length for `value` on a scale ending at `scale`.
    static func length(_ value: Int64, scale: Int64) -> Double {
        plotWidth * Double(min(max(value, 0), scale)) / Double(max(scale, 1))
    }

    /// "12个", or money in 万元 with two decimals: 1,234.56万元.
    func valueText(_ v: Int64) -> String {
        switch kind {
        case .count: return "\(v)个"
        case .money:
            // 万元 with two decimals is 10,000 fen a step, rounded half up.
            let wan = Fen(v / 10_000 + (v % 10_000 >= 5_000 ? 1 : 0)).yuanText
            return String(wan.dropLast()) + "万元"
        }
    }

    /// A gridline's label: whole 万元 without decimals (the scale steps are round).
    func tickText(_ v: Int64) -> String {
        let text = valueText(v)
        return text.hasSuffix(".00万元") ? String(text.dropLast(".00万元".count)) + "万元" : text
    }

    /// The drawing's layout: every coordinate computed here, every text escaped when drawn (`BarChartView.svg`).
    func layout() -> BarChartView {
        let scale = Self.niceMaximum(values.flatMap { $0 }.max() ?? 0)
        let groupHeight = Double(series.count) * (Self.barHeight + 2) + Self.groupPadding
        let top = 8 + (series.count > 1 ? 24.0 : 0)
        let height = top + Double(max(categories.count, 1)) * groupHeight + 28
        let x0 = Self.labelWidth
        let f = ChartText.f
        var legend: [BarChartView.LegendItem] = []
        var lx = x0
        if series.count > 1 {
            for item in series {
                legend.append(.init(x: f(lx), textX: f(lx + 16), colour: item.colour, name: ChartText.clean(item.name)))
                lx += 16 + ChartText.estimatedWidth(item.name, size: 12) + 18
            }
        }
        let bottom = height - 22
        let gridlines = Self.ticks(scale: scale).map { tick in
            BarChartView.Gridline(x: f(x0 + Self.length(tick, scale: scale)), label: tickText(tick))
        }
        let groups = categories.enumerated().map { c, category in
            let gy = top + Double(c) * groupHeight + Self.groupPadding / 2
            let bars = series.enumerated().map { k, item in
                let v = c < values.count && k < values[c].count ? values[c][k] : 0
                let y = gy + Double(k) * (Self.barHeight + 2)
                let length = Self.length(v, scale: scale)
                // Grouped bars: a zero needs no label (the table beside the chart has every figure).
                return BarChartView.Bar(
                    y: f(y), width: f(length), colour: item.colour, labelled: v != 0 || series.count == 1,
                    valueX: f(x0 + length + 4), valueY: f(y + Self.barHeight - 3), value: valueText(v))
            }
            return BarChartView.Group(
                title: ChartText.clean(groupText(c)), labelY: f(gy + groupHeight / 2 - 2),
                label: ChartText.clean(Self.fitted(category)), bars: bars)
        }
        return BarChartView(
            id: id, title: ChartText.clean(title), desc: ChartText.clean(description), width: f(Self.width), height: f(height),
            x0: f(x0), labelX: f(x0 - 6), top: f(top), bottom: f(bottom), tickY: f(bottom + 16), barHeight: f(Self.barHeight),
            legend: legend, gridlines: gridlines, groups: groups)
    }

    /// The chart as SVG markup, for a page to put in as it is.
    var svg: String { layout().svg }

    /// The chart in words, for screen readers.
    var description: String {
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
        guard ChartText.estimatedWidth(label, size: 12) > room else { return label }
        var out = ""
        for ch in label {
            if ChartText.estimatedWidth(out + String(ch) + "…", size: 12) > room { break }
            out.append(ch)
        }
        return out + "…"
    }
}
