import Foundation
import Testing
import ZhengxinCore

@testable import ZhengxinServer

/// The project page's timeline: stages passed, legal deadlines, today; laid out in Swift and drawn
/// by `charts/timeline.leaf`.
@Suite("Project timeline")
struct ProjectTimelineTests {
    func draft(planYear: Int = 2027) -> ProjectRecord {
        ProjectRecord(
            id: UUID(), code: "ZZ-1", name: "智慧<城管>&\"平台\"", unitId: UUID(), source: .unitDeclaration, planYear: planYear,
            category: .businessSystem, totalInvestment: Fen(yuan: 1_000_000), content: "c", goals: "g", classified: false,
            simpleContentRequested: false, ownInfrastructure: nil, nationalCode: nil, policyId: Policy.zhengzhou2020.id,
            createdOn: CivilDate(2026, 1, 1), createdBy: UUID())
    }

    func completed(on day: CivilDate) -> ProjectRecord {
        var p = draft()
        p.createdOn = CivilDate(day.year - 1, 1, 1)
        p.stage = .completed
        p.completedOn = day
        return p
    }

    @Test("第七条: an undeclared draft shows the 30 June deadline, red only from 1 July")
    func declarationDeadline() {
        let onDay = ProjectTimeline.of(draft(), policy: .zhengzhou2020, today: CivilDate(2026, 6, 30))
        #expect(onDay.deadlines.map(\.date) == [CivilDate(2026, 6, 30)])
        #expect(onDay.deadlines.map(\.article) == ["第七条"])
        #expect(onDay.deadlines.first?.overdue == false)
        // Shown months ahead too, not only within the scan's 30-day notice.
        #expect(ProjectTimeline.of(draft(), policy: .zhengzhou2020, today: CivilDate(2026, 1, 2)).deadlines.count == 1)
        #expect(ProjectTimeline.of(draft(), policy: .zhengzhou2020, today: CivilDate(2026, 7, 1)).deadlines.first?.overdue == true)
    }

    @Test("第二十一条: completion + 6 months to the day, clamped to the month's end; overdue the day after")
    func acceptanceDeadlineBoundary() {
        let p = completed(on: CivilDate(2025, 8, 31))
        let last = ProjectTimeline.of(p, policy: .zhengzhou2020, today: CivilDate(2026, 2, 28))
        #expect(last.deadlines.map(\.date) == [CivilDate(2026, 2, 28)])
        #expect(last.deadlines.first?.overdue == false)
        #expect(last.milestones.map(\.label) == ["创建", "建成"])
        let after = ProjectTimeline.of(p, policy: .zhengzhou2020, today: CivilDate(2026, 3, 1))
        #expect(after.deadlines.first?.overdue == true)
        #expect(after.deadlines.first?.rule == "R-ACC-4")
    }

    @Test("Acceptance on the last day is met (green); a day later it stays on the timeline as late")
    func acceptanceMetOrLate() {
        var p = completed(on: CivilDate(2025, 8, 31))
        p.stage = .accepted
        p.acceptedOn = CivilDate(2026, 2, 28)
        let met = ProjectTimeline.of(p, policy: .zhengzhou2020, today: CivilDate(2026, 9, 1)).deadlines
        #expect(met.count == 1 && met[0].met && !met[0].overdue && met[0].article == "第二十一条")
        p.acceptedOn = CivilDate(2026, 3, 1)
        let late = ProjectTimeline.of(p, policy: .zhengzhou2020, today: CivilDate(2026, 9, 1)).deadlines
        #expect(late.count == 1 && !late[0].met && late[0].overdue)
    }

    @Test("A project walked to acceptance shows its stages on its page's timeline, in date order", arguments: Backend.all)
    func walkedProject(_ backend: Backend) async throws {
        try await TestWorld.with(backend) { world in
            let w = try await RefusalTests.constructing(world)
            try await w.toAccepted()
            let page = try await world.page("/projects/\(w.projectId)", session: world.tokens["unitA"])
            #expect(page.status == .ok)
            let svg = try #require(
                page.html.range(of: "<svg").flatMap { start in
                    page.html.range(of: "</svg>", range: start.lowerBound..<page.html.endIndex).map {
                        String(page.html[start.lowerBound..<$0.upperBound])
                    }
                })
            let drawn = try #require(ViewRendering.parsed(svg), "the timeline parses as XML")
            let labels = ["创建", "申报", "入储备库", "列入年度计划", "开工", "建成", "初步验收", "申请竣工验收", "竣工验收"]
            let milestoneTexts = drawn.text
            var last = milestoneTexts.startIndex
            for label in labels {
                let found = try #require(
                    milestoneTexts.range(of: label + " 20", range: last..<milestoneTexts.endIndex), "missing or out of order: \(label)")
                last = found.upperBound
            }
            #expect(drawn.count("circle") >= labels.count, "a dot on the axis for each stage passed")
        }
    }

    @Test("Open rectification deadlines of supervision findings are on the timeline (第三十六条)")
    func trialRunAndIncident() throws {
        var p = completed(on: CivilDate(2026, 1, 10))
        p.stage = .trialRunning
        // The record's own encoding: the core keeps TrialRun's memberwise initialiser to itself.
        p.trialRun = try JSONDecoder().decode(TrialRun.self, from: Data(#"{"startedOn":"2026-01-20","minimumEnd":"2026-04-20"}"#.utf8))
        #expect(p.trialRun?.end == CivilDate(2026, 4, 20))
        let t = ProjectTimeline.of(p, policy: .zhengzhou2020, today: CivilDate(2026, 2, 1))
        #expect(t.deadlines.map(\.label).contains(DeadlineKind.trialRunEnd.chinese))
        #expect(!t.milestones.map(\.label).contains("试运行结束"))
        #expect(t.deadlines.allSatisfy { !$0.overdue })
    }

    @Test("Month ticks up to two years, each on the first of a month")
    func ticks() {
        let t = ProjectTimeline.of(draft(), policy: .zhengzhou2020, today: CivilDate(2026, 3, 5))
        #expect(t.start == CivilDate(2026, 1, 1))
        #expect(t.end == CivilDate(2026, 6, 30))
        #expect(t.ticks.map(\.label) == ["2026年1月", "2月", "3月", "4月", "5月", "6月"])
        #expect(t.fraction(t.start) == 0 && t.fraction(t.end) == 1)
    }

    @Test("The SVG is well-formed XML, accessible, escapes every text and marks the overdue deadline red")
    func svg() async throws {
        var p = completed(on: CivilDate(2025, 8, 31))
        p.name = "<script>alert(1)</script>"
        let t = ProjectTimeline.of(p, policy: .zhengzhou2020, today: CivilDate(2026, 3, 1))
        let svg = try await ViewRendering.render("charts/timeline", TimelineLayout.of(t, title: "「\(p.name)」& 时间线 \u{1}"))
        let drawn = try #require(ViewRendering.parsed(svg), "not well-formed")
        #expect(drawn.names.first == "svg")
        #expect(drawn.attributes.first?["role"] == "img")
        #expect(drawn.names.contains("title") && drawn.names.contains("desc"))
        #expect(drawn.text.contains("「<script>alert(1)</script>」& 时间线"))
        #expect(!svg.contains("<script>") && svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;」&amp; 时间线"))
        #expect(svg.contains("今天 2026-03-01"))
        #expect(svg.contains("class=\"deadline overdue\"") && svg.contains("#b3261e"))
        #expect(TimelineLayout.description(t).contains("R-ACC-4"))
    }

    @Test("Labels near the right edge end at their mark; quarter ticks of a long life have no label")
    func labelPlacement() {
        let t = ProjectTimeline.of(completed(on: CivilDate(2025, 8, 31)), policy: .zhengzhou2020, today: CivilDate(2027, 6, 1))
        let view = TimelineLayout.of(t)
        #expect(view.today.label.anchor == "end", "today is the axis's last date")
        #expect(view.ticks.contains { !$0.labelled } && view.ticks.filter(\.labelled).allSatisfy { $0.label.text.hasSuffix("年") })
        #expect(view.deadlines.allSatisfy { $0.overdue == false || $0.colour == "#b3261e" })
    }
}
