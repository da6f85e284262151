/// Draws a `ProjectTimeline` as an SVG fragment for the project page: a horizontal axis with month
/// or year ticks, stage markers above it, deadline markers below it (red when past and unmet, green
/// when met) and a dashed "今天" line. Every text is escaped; the drawing is `role="img"` with a
/// `<title>` and a `<desc>` that says in words what it shows.
public enum TimelineSVG {
    static let width = 960.0
    static let margin = 24.0
    static let rowHeight = 18.0

    public static func render(_ t: ProjectTimeline, title: String = "项目时间线") -> String {
        let upper = LabelRows()
        let milestoneRows = t.milestones.map { upper.place(x(t, $0.date), text: label($0.date, $0.label)) }
        let lower = LabelRows()
        let deadlineRows = t.deadlines.map { lower.place(x(t, $0.date), text: label($0.date, $0.label)) }
        let top = 40.0 + Double(upper.count) * rowHeight
        let axis = top + 12
        let height = axis + 40 + Double(lower.count) * rowHeight + 8
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" role=\"img\" aria-labelledby=\"timeline-title timeline-desc\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" "
            + "font-family=\"PingFang SC, Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif\" font-size=\"12\">"
        s += "<title id=\"timeline-title\">\(escape(title))</title><desc id=\"timeline-desc\">\(escape(description(t)))</desc>"
        s += line(margin, axis, width - margin, axis, stroke: "#1f3a5f", width: 2)
        for tick in t.ticks {
            let tx = x(t, tick.date)
            s += line(tx, axis - (tick.major ? 6 : 4), tx, axis + (tick.major ? 6 : 4), stroke: "#1f3a5f", width: 1)
            if !tick.label.isEmpty { s += text(tx + 2, axis + 18, tick.label, fill: "#555", anchor: "start", size: 11) }
        }
        for (m, row) in zip(t.milestones, milestoneRows) {
            let mx = x(t, m.date), ly = top - Double(row) * rowHeight
            s += "<g class=\"milestone\"><title>\(escape(label(m.date, m.label)))</title>"
            s += line(mx, ly + 3, mx, axis, stroke: "#9fb3c8", width: 1)
            s += "<circle cx=\"\(f(mx))\" cy=\"\(f(axis))\" r=\"5\" fill=\"#1f3a5f\"/>"
            s += text(mx + 3, ly, label(m.date, m.label), fill: "#1f3a5f", anchor: "start", size: 12) + "</g>"
        }
        let lowerTop = axis + 40
        for (d, row) in zip(t.deadlines, deadlineRows) {
            let dx = x(t, d.date), ly = lowerTop + Double(row) * rowHeight
            let colour = d.overdue ? "#b3261e" : (d.met ? "#2e7d32" : "#b26a00")
            let state = d.overdue ? "已逾期" : (d.met ? "已按期完成" : "未到期")
            s += "<g class=\"deadline\(d.overdue ? " overdue" : "")\"><title>\(escape("\(label(d.date, d.label)) \(state) \(d.rule) \(d.article): \(d.message)"))</title>"
            s += line(dx, axis, dx, ly - 10, stroke: colour, width: 1, dashed: true)
            s += "<path d=\"M\(f(dx)) \(f(axis - 6)) L\(f(dx + 6)) \(f(axis)) L\(f(dx)) \(f(axis + 6)) L\(f(dx - 6)) \(f(axis)) Z\" fill=\"\(colour)\"/>"
            s += text(dx + 3, ly, "\(label(d.date, d.label))(\(d.article))", fill: colour, anchor: "start", size: 12) + "</g>"
        }
        let now = x(t, t.today)
        s += "<g class=\"today\"><title>今天 \(t.today)</title>"
        s += line(now, 22, now, height - 4, stroke: "#c62828", width: 1.5, dashed: true)
        // Near either end the label sits inside the drawing rather than centred over the line.
        let anchor = now > width - 80 ? "end" : (now < 80 ? "start" : "middle")
        s += text(anchor == "end" ? now - 3 : now, 16, "今天 \(t.today)", fill: "#c62828", anchor: anchor, size: 12) + "</g>"
        return s + "</svg>"
    }

    /// The timeline in words, for screen readers (the SVG's `<desc>`).
    public static func description(_ t: ProjectTimeline) -> String {
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

    static func f(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double, dashed: Bool = false) -> String {
        "<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(f(width))\"\(dashed ? " stroke-dasharray=\"4 3\"" : "")/>"
    }

    static func text(_ x: Double, _ y: Double, _ content: String, fill: String, anchor: String, size: Int) -> String {
        // Labels near the right edge end at their mark instead of running off the drawing.
        let end = anchor == "start" && x + estimatedWidth(content, size: size) > width - 4
        let tx = end ? x - 6 : x
        return "<text x=\"\(f(tx))\" y=\"\(f(y))\" fill=\"\(fill)\" font-size=\"\(size)\" text-anchor=\"\(end ? "end" : anchor)\">\(escape(content))</text>"
    }

    static func estimatedWidth(_ s: String, size: Int) -> Double {
        s.unicodeScalars.reduce(0) { $0 + ($1.isASCII ? 0.6 : 1.0) } * Double(size)
    }

    /// XML escaping for text and attribute values. Byte by byte: the five characters and the control
    /// characters are ASCII, never part of a multi-byte sequence; most texts need no escaping at all
    /// and are returned as they are (the project page escapes a few thousand texts).
    public static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: needsEscape) else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 16)
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): out.append(contentsOf: "&#39;".utf8)
            // Control characters other than tab and newline are not allowed in XML 1.0.
            case 0..<0x20 where b != 0x09 && b != 0x0A: out.append(UInt8(ascii: " "))
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func needsEscape(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "&") || b == UInt8(ascii: "<") || b == UInt8(ascii: ">") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'")
            || (b < 0x20 && b != 0x09 && b != 0x0A)
    }

    /// Assigns each label the first row where it does not overlap the labels already there.
    final class LabelRows {
        private var rightEdges: [Double] = []
        var count: Int { max(rightEdges.count, 1) }

        func place(_ x: Double, text: String) -> Int {
            let w = TimelineSVG.estimatedWidth(text, size: 12) + 24
            for (i, edge) in rightEdges.enumerated() where x > edge {
                rightEdges[i] = x + w
                return i
            }
            rightEdges.append(x + w)
            return rightEdges.count - 1
        }
    }
}
