import Foundation
import Testing

@testable import ZhengxinCore

/// Bodies and steps shared by the supervision tests.
enum SupervisionPayloads {
    static func oversight(_ kind: OversightKind = .inspection, heldOn: CivilDate, deadlines: [CivilDate], scope: AuditScope? = nil) -> JSON
    {
        var j: JSON = [
            "kind": kind.rawValue, "heldOn": heldOn.json, "subject": "项目建设管理情况", "conclusion": "存在问题,限期整改",
            "findings": deadlines.map { ["description": "未按批复内容建设", "basis": "第十条 批复要求", "deadline": $0.json] },
        ]
        if let scope { j["auditScope"] = scope.rawValue }
        return j
    }

    static func sanction(_ kind: SanctionKind, _ findings: [Int]) -> JSON {
        ["kind": kind.rawValue, "findingNumbers": findings, "reason": "拒不整改", "documentNumber": "郑发改通报〔2027〕1号"]
    }
}

extension Scenario {
    /// An oversight by `agency` with one finding per deadline (default: one, 30 days out).
    mutating func inspect(by agency: Actor, _ kind: OversightKind = .inspection, deadlines: [CivilDate]? = nil, scope: AuditScope? = nil)
        throws
    {
        try act(
            "record-oversight", by: agency,
            SupervisionPayloads.oversight(kind, heldOn: today, deadlines: deadlines ?? [today.addingDays(30)], scope: scope))
    }

    mutating func reportRectification(_ finding: Int, on date: CivilDate? = nil) throws {
        try act("report-rectification", by: Actors.unit, ["findingNumber": finding, "description": "已按要求整改"], on: date)
    }

    func escalation(_ finding: Int, by agency: Actor, on date: CivilDate? = nil) -> Decision {
        attempt("escalate-finding", by: agency, ["findingNumber": finding, "reason": "整改不到位"], on: date)
    }
}

/// R-SUP-1 (第三十五条, 第三十六条): oversight with findings, rectification reports, closing and escalating.
@Suite("Supervision findings, R-SUP-1 第三十五条 第三十六条")
struct SupervisionFindingTests {
    // R-SUP-1: DRC, FIN and BDB inspect and evaluate; AUD audits, and only audits.
    @Test func whoRecordsWhat() throws {
        var s = try Scenario.at(.constructing)
        try s.inspect(by: Actors.drc, deadlines: [s.today.addingDays(10), s.today.addingDays(20)])
        try s.inspect(by: Actors.fin, .performanceEvaluation, deadlines: [])
        try s.inspect(by: Actors.bdb)
        try s.inspect(by: Actors.aud, .audit, scope: .financialDiscipline)
        #expect(s.project.supervision.oversights.map(\.agency) == [.drc, .fin, .bdb, .aud])
        #expect(s.project.supervision.oversights.map(\.findingNumbers) == [[1, 2], [], [3], [4]])
        #expect(s.project.supervision.findings.allSatisfy { $0.status == .open && $0.raisedOn == s.today })
        #expect(s.project.supervision.oversights[3].auditScope == .financialDiscipline)

        let audInspects = s.attempt(
            "record-oversight", by: Actors.aud, SupervisionPayloads.oversight(.inspection, heldOn: s.today, deadlines: []))
        #expect(audInspects.rules == ["R-SUP-1"])
        #expect(audInspects.violations.first?.article == "第三十五条")
        #expect(
            s.attempt(
                "record-oversight", by: Actors.drc, SupervisionPayloads.oversight(.audit, heldOn: s.today, deadlines: [], scope: .budget)
            ).rules == ["R-SUP-1"])
        #expect(
            s.attempt("record-oversight", by: Actors.aud, SupervisionPayloads.oversight(.audit, heldOn: s.today, deadlines: []))
                .violations.map(\.field) == ["auditScope"])
        #expect(s.attempt("record-oversight", by: Actors.unit, SupervisionPayloads.oversight(heldOn: s.today, deadlines: [])).isForbidden)
        #expect(s.attempt("record-oversight", by: Actors.vendor, SupervisionPayloads.oversight(heldOn: s.today, deadlines: [])).isForbidden)
    }

    // R-SUP-1: the deadline must lie after today; the inspection cannot be dated in the future.
    @Test func deadlineAfterTodayAndHeldNotInFuture() throws {
        let s = try Scenario.at(.constructing)
        let today = s.attempt("record-oversight", by: Actors.drc, SupervisionPayloads.oversight(heldOn: s.today, deadlines: [s.today]))
        #expect(today.violations.map(\.field) == ["findings[0].deadline"])
        #expect(
            s.attempt(
                "record-oversight", by: Actors.drc, SupervisionPayloads.oversight(heldOn: s.today, deadlines: [s.today.addingDays(1)])
            ).isAccepted)
        #expect(
            s.attempt("record-oversight", by: Actors.drc, SupervisionPayloads.oversight(heldOn: s.today.addingDays(1), deadlines: []))
                .violations.map(\.field) == ["heldOn"])
    }

    // Oversight applies from declaration on, not to a draft.
    @Test func stagesFromDeclarationOn() throws {
        let draft = try Scenario.draft()
        #expect(
            draft.attempt("record-oversight", by: Actors.drc, SupervisionPayloads.oversight(heldOn: draft.today, deadlines: [])).rules == [
                Lifecycle.stageRule
            ])
        var declared = try Scenario.at(.declared)
        try declared.inspect(by: Actors.bdb)
        var operating = try Scenario.at(.accepted)
        try operating.inspect(by: Actors.fin, .performanceEvaluation)
        #expect(operating.project.supervision.findings.count == 1)
    }

    // 限期整改: the deadline day is on time, the day after is overdue; escalation waits for it.
    @Test func overdueFromTheDayAfterTheDeadline() throws {
        var s = try Scenario.at(.constructing)
        let deadline = s.today.addingDays(30)
        try s.inspect(by: Actors.drc, deadlines: [deadline])
        let onTheDay = SupervisionDeadlines.openFindings(s.project, today: deadline)
        #expect(onTheDay.map(\.overdue) == [false])
        #expect(onTheDay.first?.daysRemaining == 0)
        #expect(onTheDay.first?.awaitingReport == true)
        let after = SupervisionDeadlines.openFindings(s.project, today: deadline.addingDays(1))
        #expect(after.map(\.overdue) == [true])
        #expect(after.first?.daysOverdue == 1)
        #expect(after.first?.deadline == deadline)

        let early = s.escalation(1, by: Actors.drc, on: deadline)
        #expect(early.rules == ["R-SUP-1", "R-SUP-1"])
        #expect(early.violations.last?.field == "findingNumber")
        #expect(s.escalation(1, by: Actors.drc, on: deadline.addingDays(1)).isAccepted)
    }

    // A report, even late, stops the finding being overdue; it waits for the agency.
    @Test func lateReportIsMarkedAndAwaitsReview() throws {
        var s = try Scenario.at(.constructing)
        let deadline = s.today.addingDays(5)
        try s.inspect(by: Actors.fin, .performanceEvaluation, deadlines: [deadline, deadline.addingDays(10)])
        try s.reportRectification(1, on: deadline)
        try s.reportRectification(2, on: deadline.addingDays(11))
        #expect(s.project.supervision.findings.map(\.status) == [.reported, .reported])
        #expect(s.project.supervision.findings.map { $0.reports.map(\.late) } == [[false], [true]])
        let open = SupervisionDeadlines.openFindings(s.project, today: s.today)
        #expect(open.map(\.overdue) == [false, false])
        #expect(open.map(\.awaitingReview) == [true, true])
        #expect(s.attempt("report-rectification", by: Actors.otherUnit, ["findingNumber": 1, "description": "x"]).isForbidden)
        #expect(
            s.attempt("report-rectification", by: Actors.unit, ["findingNumber": 9, "description": "x"]).violations.map(\.field) == [
                "findingNumber"
            ])
    }

    // Only the agency that raised a finding closes or escalates it; closing needs a report.
    @Test func onlyTheRecordingAgencyDecides() throws {
        var s = try Scenario.at(.constructing)
        try s.inspect(by: Actors.drc, deadlines: [s.today.addingDays(10), s.today.addingDays(10)])
        let noReport = s.attempt("close-finding", by: Actors.drc, ["findingNumber": 1, "note": "n"])
        #expect(noReport.rules == ["R-SUP-1", "R-SUP-1"])
        try s.reportRectification(1)
        try s.reportRectification(2)
        for agency in [Actors.fin, Actors.bdb, Actors.aud] {
            let close = s.attempt("close-finding", by: agency, ["findingNumber": 1, "note": "n"])
            #expect(close.rules == ["R-SUP-1", "R-SUP-1"], "\(agency.organisationType): conditions and ownership")
            #expect(close.violations.last?.message.contains("市发展改革委") == true)
            #expect(s.escalation(2, by: agency).violations.last?.field == "findingNumber")
        }
        #expect(s.attempt("close-finding", by: Actors.unit, ["findingNumber": 1, "note": "n"]).isForbidden)
        try s.act("close-finding", by: Actors.drc, ["findingNumber": 1, "note": "整改到位"])
        try s.act("escalate-finding", by: Actors.drc, ["findingNumber": 2, "reason": "整改后仍不符合要求"])
        #expect(s.project.supervision.findings.map(\.status) == [.closed, .escalated])
        #expect(s.project.supervision.findings[0].closedOn == s.today)
        #expect(SupervisionDeadlines.openFindings(s.project, today: s.today).isEmpty)
        // Settled: no second close, escalation or report on the closed one.
        #expect(s.attempt("close-finding", by: Actors.drc, ["findingNumber": 1, "note": "n"]).rules.contains("R-SUP-1"))
        #expect(s.escalation(2, by: Actors.drc).rules.contains("R-SUP-1"))
        #expect(s.attempt("report-rectification", by: Actors.unit, ["findingNumber": 1, "description": "x"]).rules == ["R-SUP-1"])
    }

    // Records stored before supervision existed still decode.
    @Test func oldRecordsDecode() throws {
        let empty = try JSONDecoder().decode(SupervisionRecord.self, from: Data("{}".utf8))
        #expect(empty == SupervisionRecord())
        var s = try Scenario.at(.constructing)
        try s.inspect(by: Actors.drc)
        let roundTrip = try JSONDecoder().decode(ProjectRecord.self, from: JSONEncoder().encode(s.project))
        #expect(roundTrip == s.project)
    }
}
