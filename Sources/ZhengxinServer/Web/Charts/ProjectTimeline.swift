import ZhengxinCore

/// A project's life on one time axis (the project page's timeline): the stages it has passed with their
/// dates, the legal deadlines that bind it (from `DeadlineScan`, the same rules as the daily scan)
/// and today. `TimelineLayout` places it; `charts/timeline.leaf` draws it.
struct ProjectTimeline: Sendable, Hashable {
    /// A stage passed (申报, 批复, 开工, 建成 …) on a date.
    struct Milestone: Sendable, Hashable {
        var date: CivilDate
        var label: String
    }

    /// A legal deadline: when it falls, which rule and article set it, and whether it was met.
    struct DeadlineMark: Sendable, Hashable {
        var date: CivilDate
        var label: String
        var rule: String
        var article: String
        var message: String
        /// Done in time (only known for deadlines that stay on the record once met, e.g. acceptance).
        var met: Bool
        /// Past and not met: drawn in red.
        var overdue: Bool
    }

    /// A tick on the axis: the first day of a month (or of a year on long lives).
    struct Tick: Sendable, Hashable {
        var date: CivilDate
        var label: String
        var major: Bool
    }

    var milestones: [Milestone]
    var deadlines: [DeadlineMark]
    var today: CivilDate
    /// The axis runs from the first day of `start`'s month to `end` (the last day of a month).
    var start: CivilDate
    var end: CivilDate
    var ticks: [Tick]

    /// Position of `date` on the axis, 0 at `start` and 1 at `end`.
    func fraction(_ date: CivilDate) -> Double {
        let span = Double(end.daysSinceEpoch - start.daysSinceEpoch)
        return Double(date.daysSinceEpoch - start.daysSinceEpoch) / max(span, 1)
    }

    static func of(_ p: ProjectRecord, policy: Policy, today: CivilDate) -> ProjectTimeline {
        let milestones = Self.milestones(p)
        let deadlines = Self.deadlines(p, policy: policy, today: today)
        let dates = milestones.map(\.date) + deadlines.map(\.date) + [today, p.createdOn]
        let first = dates.min()!, last = dates.max()!
        let start = CivilDate(first.year, first.month, 1)
        // At least six months on the axis, so a young project's marks do not pile up.
        let lastMonth = max(last, start.addingMonths(6).addingDays(-1))
        let end = CivilDate(lastMonth.year, lastMonth.month, CivilDate.daysIn(month: lastMonth.month, year: lastMonth.year))
        return ProjectTimeline(
            milestones: milestones, deadlines: deadlines, today: today, start: start, end: end,
            ticks: ticks(from: start, to: end))
    }

    /// Stages passed, in date order (the record keeps every date the rules wrote).
    static func milestones(_ p: ProjectRecord) -> [Milestone] {
        var out: [Milestone] = [Milestone(date: p.createdOn, label: "创建")]
        func add(_ date: CivilDate?, _ label: String) { if let date { out.append(Milestone(date: date, label: label)) } }
        add(p.declaredAt?.beijingDate, "申报")
        for opinion in p.reviewOpinions { add(opinion.issuedOn, "审查意见: \(opinion.conclusion.chinese)") }
        add(p.reservePoolEntry?.approvedOn, "入储备库")
        add(p.annualPlan?.issuedOn, "列入年度计划")
        for approval in p.approvals { add(approval.approvedOn, "批复\(approval.kind.chinese)") }
        add(p.constructionStartedOn, "开工")
        add(p.completedOn, "建成")
        add(p.preliminaryAcceptance?.heldOn, "初步验收")
        add(p.trialRun?.startedOn, "试运行开始")
        if let run = p.trialRun, p.stage != .trialRunning { add(run.end, "试运行结束") }
        add(p.acceptanceApplication?.appliedOn, "申请竣工验收")
        add(p.acceptedOn, "竣工验收")
        add(p.operations.startedOn, "投入运行")
        return out.enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
    }

    /// Every deadline the scan knows, however far ahead, and the acceptance deadline once met.
    static func deadlines(_ p: ProjectRecord, policy: Policy, today: CivilDate) -> [DeadlineMark] {
        var out = DeadlineScan.deadlines(for: p, today: today, policy: policy, leadDays: 1_000_000).map { d in
            DeadlineMark(
                date: d.dueOn, label: d.kind.chinese, rule: d.rule, article: d.article, message: d.message,
                met: false, overdue: d.status == .overdue)
        }
        // 第二十一条: acceptance within 6 months of completion stays on the timeline once done, met or late.
        if let accepted = p.acceptedOn, let due = AcceptanceClock.deadline(p, policy) {
            let late = accepted > due
            out.append(
                DeadlineMark(
                    date: due, label: DeadlineKind.acceptanceDeadline.chinese, rule: "R-ACC-1", article: "第二十一条",
                    message: late ? "应于\(due.chinese)前验收,\(accepted.chinese)验收(逾期)" : "应于\(due.chinese)前验收,已于\(accepted.chinese)验收",
                    met: !late, overdue: late))
        }
        return out.sorted { $0.date < $1.date }
    }

    /// Month ticks on an axis up to two years long, otherwise year ticks (with quarters unlabelled).
    static func ticks(from start: CivilDate, to end: CivilDate) -> [Tick] {
        let months = (end.year - start.year) * 12 + end.month - start.month + 1
        var out: [Tick] = []
        var date = start
        while date <= end {
            if months <= 24 {
                out.append(
                    Tick(
                        date: date, label: date.month == 1 || date == start ? "\(date.year)年\(date.month)月" : "\(date.month)月",
                        major: date.month == 1 || date == start))
            } else if date.month == 1 || date == start {
                out.append(Tick(date: date, label: "\(date.year)年", major: true))
            } else if (date.month - 1) % 3 == 0 {
                out.append(Tick(date: date, label: "", major: false))
            }
            date = date.addingMonths(1)
        }
        return out
    }
}
