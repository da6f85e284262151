/// A bar chart laid out (`BarChart.layout`), as `charts/bar-chart.leaf` draws it: coordinates as
/// text (one decimal), colours, and the texts the template escapes.
struct BarChartView: Encodable, Sendable {
    struct LegendItem: Encodable, Sendable {
        var x: String
        var textX: String
        var colour: String
        var name: String
    }

    /// A vertical gridline at a whole value, with its label under the plot.
    struct Gridline: Encodable, Sendable {
        var x: String
        var label: String
    }

    struct Bar: Encodable, Sendable {
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
    struct Group: Encodable, Sendable {
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
