/// A bar chart laid out (`BarChart.layout`): coordinates as text (one decimal), colours and texts,
/// drawn as SVG by `svg`.
struct BarChartView: Sendable {
    struct LegendItem: Sendable {
        var x: String
        var textX: String
        var colour: String
        var name: String
    }

    /// A vertical gridline at a whole value, with its label under the plot.
    struct Gridline: Sendable {
        var x: String
        var label: String
    }

    struct Bar: Sendable {
        var y: String
        var width: String
        var colour: String
        /// The value is written at the bar's end.
        var labelled: Bool
        var valueX: String
        var valueY: String
        var value: String
    }

    /// One category: its label left of the axis, its bars, and its figures in words as a tooltip.
    struct Group: Sendable {
        var title: String
        var labelY: String
        var label: String
        var bars: [Bar]
    }

    var id: String
    var title: String
    var desc: String
    var width: String
    var height: String
    /// The axis: bars start at `x0`, from `top` to `bottom`; category labels end at `labelX`.
    var x0: String
    var labelX: String
    var top: String
    var bottom: String
    var tickY: String
    var barHeight: String
    var legend: [LegendItem]
    var gridlines: [Gridline]
    var groups: [Group]
}

extension BarChartView {
    /// The drawing as SVG markup, every text and attribute escaped (ChartText.escaped). Written here
    /// rather than by a template: a portfolio's charts hold about a thousand elements, which Leaf
    /// filled one escaped value at a time (about half of the report page's rendering).
    var svg: String {
        let e = ChartText.escaped
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"bar-chart\" role=\"img\""
        out += " aria-labelledby=\"\(e(id))-title \(e(id))-desc\" viewBox=\"0 0 \(e(width)) \(e(height))\" width=\"100%\""
        out += " preserveAspectRatio=\"xMinYMin meet\""
        out += " font-family=\"PingFang SC, Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif\" font-size=\"12\">\n"
        out += "<title id=\"\(e(id))-title\">\(e(title))</title><desc id=\"\(e(id))-desc\">\(e(desc))</desc>\n"
        for item in legend {
            out += "<rect x=\"\(e(item.x))\" y=\"8\" width=\"12\" height=\"12\" fill=\"\(e(item.colour))\"/>"
            out += "<text x=\"\(e(item.textX))\" y=\"18\" fill=\"#333\">\(e(item.name))</text>"
        }
        out += "\n"
        for g in gridlines {
            out += "<line x1=\"\(e(g.x))\" y1=\"\(e(top))\" x2=\"\(e(g.x))\" y2=\"\(e(bottom))\" stroke=\"#d5dde6\" stroke-width=\"1\"/>"
            out += "<text x=\"\(e(g.x))\" y=\"\(e(tickY))\" fill=\"#555\" font-size=\"11\" text-anchor=\"middle\">\(e(g.label))</text>"
        }
        out += "\n"
        for group in groups {
            out += "<g class=\"bar-group\"><title>\(e(group.title))</title>"
            out += "<text x=\"\(e(labelX))\" y=\"\(e(group.labelY))\" fill=\"#1f2d3d\" text-anchor=\"end\">\(e(group.label))</text>"
            for bar in group.bars {
                out += "<rect x=\"\(e(x0))\" y=\"\(e(bar.y))\" width=\"\(e(bar.width))\" height=\"\(e(barHeight))\""
                out += " fill=\"\(e(bar.colour))\"/>"
                if bar.labelled {
                    out += "<text x=\"\(e(bar.valueX))\" y=\"\(e(bar.valueY))\" fill=\"#333\" font-size=\"11\">\(e(bar.value))</text>"
                }
            }
            out += "</g>\n"
        }
        out += "<line x1=\"\(e(x0))\" y1=\"\(e(top))\" x2=\"\(e(x0))\" y2=\"\(e(bottom))\" stroke=\"#1f3a5f\" stroke-width=\"1\"/>\n"
        out += "</svg>"
        return out
    }
}
