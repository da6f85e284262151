import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import ZhengxinCore

/// The project page's timeline: stages passed, legal deadlines, today; and its SVG.
@Suite("Project timeline")
struct ProjectTimelineTests {
    func draft(planYear: Int = 2027) -> ProjectRecord {
        ProjectRecord(id: UUID(), code: "ZZ-1", name: "智慧<城管>&\"平台\"", unitId: UUID(), source: .unitDeclaration, planYear: planYear,
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

    @Test("A project walked to acceptance shows its stages in date order; the trial run ends on its date")
    func walkedProject() throws {
        let s = try Scenario.at(.accepted)
        let t = ProjectTimeline.of(s.project, policy: s.policy, today: s.today)
        let labels = t.milestones.map(\.label)
        for expected in ["创建", "申报", "入储备库", "列入年度计划", "开工", "建成", "初步验收", "试运行开始", "试运行结束", "申请竣工验收", "竣工验收"] {
            #expect(labels.contains(expected), "missing \(expected)")
        }
        #expect(t.milestones.map(\.date) == t.milestones.map(\.date).sorted())
        #expect(t.milestones.first { $0.label == "试运行结束" }?.date == s.project.trialRun?.end)
        #expect(t.start.day == 1 && t.start <= s.project.createdOn)
        #expect(t.end >= s.today && t.end.day == CivilDate.daysIn(month: t.end.month, year: t.end.year))
        // More than two years: year ticks.
        #expect(t.ticks.filter(\.major).allSatisfy { $0.label.hasSuffix("年") })
    }

    @Test("Open rectification deadlines of supervision findings are on the timeline (第三十六条)")
    func trialRunAndIncident() {
        var p = completed(on: CivilDate(2026, 1, 10))
        p.stage = .trialRunning
        p.trialRun = TrialRun(startedOn: CivilDate(2026, 1, 20), minimumEnd: CivilDate(2026, 4, 20), extendedEnd: nil)
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
    func svg() throws {
        var p = completed(on: CivilDate(2025, 8, 31))
        p.name = "<script>alert(1)</script>"
        let t = ProjectTimeline.of(p, policy: .zhengzhou2020, today: CivilDate(2026, 3, 1))
        let svg = TimelineSVG.render(t, title: "「\(p.name)」& 时间线 \u{1}")
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = ElementCollector()
        parser.delegate = collector
        #expect(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
        #expect(collector.root == "svg")
        #expect(collector.rootAttributes["role"] == "img")
        #expect(collector.names.contains("title") && collector.names.contains("desc"))
        #expect(collector.text.contains("「<script>alert(1)</script>」& 时间线"))
        #expect(!svg.contains("<script>"))
        #expect(svg.contains("今天 2026-03-01"))
        #expect(svg.contains("class=\"deadline overdue\"") && svg.contains("#b3261e"))
        #expect(TimelineSVG.description(t).contains("R-ACC-4"))
    }
}

final class ElementCollector: NSObject, XMLParserDelegate {
    var root: String?
    var rootAttributes: [String: String] = [:]
    var names: Set<String> = []
    var text = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
        if root == nil { root = name; rootAttributes = attributes }
        names.insert(name)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}
