import ZhengxinCore

/// Lays out a `ProjectTimeline` for `charts/timeline.leaf`: a horizontal axis with month or year
/// ticks, stage markers above it, deadline markers below it (red when past and unmet, green when
/// met) and a dashed "今天" line. Only coordinates, colours and texts: the template draws them and
/// its `#( )` escapes every text; the drawing is `role="img"` with a `<title>` and a `<desc>`
/// that says in words what it shows.
enum TimelineLayout {
    static let width = 960.0
    static let margin = 24.0
    static let rowHeight = 18.0

    static func of(_ t: ProjectTimeline, title: String = "项目时间线") -> TimelineView {
        let f = ChartText.f
        let upper = LabelRows()
        let milestoneRows = t.milestones.map { upper.place(x(t, $0.date), text: label($0.date, $0.label)) }
        let lower = LabelRows()
        let deadlineRows = t.deadlines.map { lower.place(x(t, $0.date), text: label($0.date, $0.label)) }
        let top = 40.0 + Double(upper.count) * rowHeight
        let axis = top + 12
        let height = axis + 40 + Double(lower.count) * rowHeight + 8
        let ticks = t.ticks.map { tick in
            let tx = x(t, tick.date), reach = tick.major ? 6.0 : 4.0
            return TimelineView.Tick(
                x: f(tx), y1: f(axis - reach), y2: f(axis + reach), labelled: !tick.label.isEmpty,
                label: text(tx + 2, axis + 18, tick.label, fill: "#555", anchor: "start", size: 11))
        }
        let milestones = zip(t.milestones, milestoneRows).map { m, row in
            let mx = x(t, m.date), ly = top - Double(row) * rowHeight
            return TimelineView.Milestone(
                title: ChartText.clean(label(m.date, m.label)), x: f(mx), lineTop: f(ly + 3),
                label: text(mx + 3, ly, label(m.date, m.label), fill: "#1f3a5f", anchor: "start", size: 12))
        }
        let lowerTop = axis + 40
        let deadlines = zip(t.deadlines, deadlineRows).map { d, row in
            let dx = x(t, d.date), ly = lowerTop + Double(row) * rowHeight
            let colour = d.overdue ? "#b3261e" : (d.met ? "#2e7d32" : "#b26a00")
            let state = d.overdue ? "已逾期" : (d.met ? "已按期完成" : "未到期")
            return TimelineView.Deadline(
                overdue: d.overdue, title: ChartText.clean("\(label(d.date, d.label)) \(state) \(d.rule) \(d.article): \(d.message)"),
                colour: colour, x: f(dx), lineBottom: f(ly - 10),
                diamond: "M\(f(dx)) \(f(axis - 6)) L\(f(dx + 6)) \(f(axis)) L\(f(dx)) \(f(axis + 6)) L\(f(dx - 6)) \(f(axis)) Z",
                label: text(dx + 3, ly, "\(label(d.date, d.label))(\(d.article))", fill: colour, anchor: "start", size: 12))
        }
        let now = x(t, t.today)
        // Near either end the label sits inside the drawing rather than centred over the line.
        let anchor = now > width - 80 ? "end" : (now < 80 ? "start" : "middle")
        return TimelineView(
            title: ChartText.clean(title), desc: ChartText.clean(description(t)), width: f(width), height: f(height),
            axisY: f(axis), axisStart: f(margin), axisEnd: f(width - margin), ticks: ticks, milestones: milestones, deadlines: deadlines,
            today: .init(
                title: "今天 \(t.today)", x: f(now), bottom: f(height - 4),
                label: text(anchor == "end" ? now - 3 : now, 16, "今天 \(t.today)", fill: "#c62828", anchor: anchor, size: 12)))
    }

    /// The timeline in words, for screen readers (the SVG's `<desc>`).
    static func description(_ t: ProjectTimeline) -> String {
        let passed = t.milestones.map { "\($0.date) \($0.label)" }.joined(separator: "; ")
        let due = t.deadlines.map { d in
            "\(d.date) \(d.label)(\(d.rule), \(d.article), \(d.overdue ? "已逾期" : (d.met ? "已按期完成" : "未到期")))"
        }.joined(separator: "; ")
        return "已办理: \(passed.isEmpty ? "无" : passed)。期限: \(due.isEmpty ? "无" : due)。今天: \(t.today)。"
    }

    static func label(_ date: CivilDate, _ text: String) -> String { "\(text) \(date)" }

    static func x(_ t: ProjectTimeline, _ date: CivilDate) -> Double {
        margin + (width - 2 * margin) * min(max(t.fraction(date), 0), 1)
    }

    static func text(_ x: Double, _ y: Double, _ content: String, fill: String, anchor: String, size: Int) -> TimelineView.Label {
        // Labels near the right edge end at their mark instead of running off the drawing.
        let end = anchor == "start" && x + ChartText.estimatedWidth(content, size: size) > width - 4
        return TimelineView.Label(
            x: ChartText.f(end ? x - 6 : x), y: ChartText.f(y), fill: fill, size: size,
            anchor: end ? "end" : anchor, text: ChartText.clean(content))
    }

    /// Assigns each label the first row where it does not overlap the labels already there.
    final class LabelRows {
        private var rightEdges: [Double] = []
        var count: Int { max(rightEdges.count, 1) }

        func place(_ x: Double, text: String) -> Int {
            let w = ChartText.estimatedWidth(text, size: 12) + 24
            for (i, edge) in rightEdges.enumerated() where x > edge {
                rightEdges[i] = x + w
                return i
            }
            rightEdges.append(x + w)
            return rightEdges.count - 1
        }
    }
}

/// A timeline laid out (`TimelineLayout.of`), as `charts/timeline.leaf` draws it.
struct TimelineView: Encodable, Sendable {
    struct Label: Encodable, Sendable {
        var x: String
        var y: String
        var fill: String
        var size: Int
        var anchor: String
        var text: String
    }

    struct Tick: Encodable, Sendable {
        var x: String
        var y1: String
        var y2: String
        /// Quarter ticks on long lives have no label.
        var labelled: Bool
        var label: Label
    }

    /// A stage passed: a dot on the axis, a thin line up to its label.
    struct Milestone: Encodable, Sendable {
        var title: String
        var x: String
        var lineTop: String
        var label: Label
    }

    /// A legal deadline: a diamond on the axis, a dashed line down to its label.
    struct Deadline: Encodable, Sendable {
        var overdue: Bool
        var title: String
        var colour: String
        var x: String
        var lineBottom: String
        var diamond: String
        var label: Label
    }

    struct Today: Encodable, Sendable {
        var title: String
        var x: String
        var bottom: String
        var label: Label
    }

    var title: String
    var desc: String
    var width: String
    var height: String
    var axisY: String
    var axisStart: String
    var axisEnd: String
    var ticks: [Tick]
    var milestones: [Milestone]
    var deadlines: [Deadline]
    var today: Today
}
