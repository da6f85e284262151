import Testing

@testable import ZhengxinCore

/// R-INC-1 (第十八条): the unit reports serious delay or major loss; DRC orders rectification or suspends.
@Suite("Incidents, R-INC-1 第十八条")
struct IncidentTests {
    func report(_ s: inout Scenario) throws {
        try s.act("report-incident", by: Actors.unit, ["kind": "seriousDelay", "description": "工期严重滞后", "occurredOn": s.today.json])
    }

    // R-INC-1 第十八条: the unit reports, during construction.
    @Test func reportIsTheUnitsDuringConstruction() throws {
        var s = try Scenario.at(.constructing)
        #expect(
            s.attempt("report-incident", by: Actors.drc, ["kind": "majorLoss", "description": "d", "occurredOn": s.today.json]).isForbidden)
        try report(&s)
        #expect(s.project.incidents.map(\.number) == [1])
        #expect(s.project.incidents[0].reportedOn == s.today)
        let procuring = try Scenario.at(.procuring)
        #expect(
            procuring.attempt(
                "report-incident", by: Actors.unit, ["kind": "majorLoss", "description": "d", "occurredOn": procuring.today.json]
            ).rules
                == [Lifecycle.stageRule])
    }

    // R-INC-1: the rectification deadline must lie after today.
    @Test func rectificationDeadlineMustBeAfterToday() throws {
        var s = try Scenario.at(.constructing)
        let open = Lifecycle.availableActions(s.project, s.context(Actors.drc)).first { $0.action == "order-rectification" }
        #expect(open?.unmetConditions.map(\.rule) == ["R-INC-1"], "nothing reported")
        #expect(
            s.attempt(
                "order-rectification", by: Actors.drc, ["incidentNumber": 1, "requirements": "r", "deadline": s.today.addingDays(30).json]
            )
            .violations.map(\.field) == ["incidentNumber"])
        try report(&s)
        for deadline in [s.today, s.today.addingDays(-1)] {
            let d = s.attempt(
                "order-rectification", by: Actors.drc, ["incidentNumber": 1, "requirements": "限期整改", "deadline": deadline.json])
            #expect(d.rules == ["INPUT"])
            #expect(d.violations.first?.field == "deadline")
        }
        #expect(
            s.attempt(
                "order-rectification", by: Actors.drc, ["incidentNumber": 9, "requirements": "r", "deadline": s.today.addingDays(1).json]
            )
            .violations.map(\.field) == ["incidentNumber"])
        try s.act(
            "order-rectification", by: Actors.drc, ["incidentNumber": 1, "requirements": "限期整改", "deadline": s.today.addingDays(1).json])
        let response = try #require(s.project.incidents[0].response)
        #expect(response.kind == .rectification)
        #expect(response.deadline == s.today.addingDays(1))
        #expect(s.project.stage == .constructing)
        // Answered once: no second order on the same report.
        #expect(
            s.attempt(
                "order-rectification", by: Actors.drc, ["incidentNumber": 1, "requirements": "r", "deadline": s.today.addingDays(5).json]
            ).rules
                == ["R-INC-1", "R-INC-1"])
    }

    // R-INC-1: suspension → suspended; resumption → back to constructing.
    @Test func suspendThenResume() throws {
        var s = try Scenario.at(.constructing)
        try report(&s)
        #expect(s.attempt("suspend-construction", by: Actors.unit, ["reason": "r"]).isForbidden)
        try s.act("suspend-construction", by: Actors.drc, ["incidentNumber": 1, "reason": "投资重大损失,暂停建设"])
        #expect(s.project.stage == .suspended)
        #expect(s.project.stageBeforeSuspension == .constructing)
        #expect(s.project.incidents[0].response?.kind == .suspension)
        #expect(s.attempt("record-completion", by: Actors.unit, ["completedOn": s.today.json]).rules == [Lifecycle.stageRule])
        #expect(
            s.attempt("suspend-construction", by: Actors.drc, ["incidentNumber": 1, "reason": "again"]).rules.first == Lifecycle.stageRule)
        try s.act("resume-construction", by: Actors.drc, ["reason": "整改到位"])
        #expect(s.project.stage == .constructing)
        #expect(s.project.stageBeforeSuspension == nil)
    }

    // R-INC-1 第十八条: a suspension answers the unit's report: one not yet answered, or one whose
    // rectification deadline has passed (the day after it, not on it), once. With no such report DRC is
    // refused; its own findings go through 第三十六条.
    @Test func suspensionAnswersAReport() throws {
        var s = try Scenario.at(.constructing)
        let none = s.attempt("suspend-construction", by: Actors.drc, ["incidentNumber": 1, "reason": "检查发现问题"])
        #expect(none.violations.map(\.field) == ["incidentNumber"])
        let blocked = SuspendConstruction.conditions(s.project, s.context(Actors.drc))
        #expect(blocked.map(\.rule) == ["R-INC-1"] && blocked.first?.article == "第十八条")
        try report(&s)
        let deadline = s.today.addingDays(30)
        try s.act("order-rectification", by: Actors.drc, ["incidentNumber": 1, "requirements": "追回进度", "deadline": deadline.json])
        let early = s.attempt("suspend-construction", by: Actors.drc, ["incidentNumber": 1, "reason": "r"], on: deadline)
        #expect(early.rules == ["R-INC-1", "R-INC-1"])
        #expect(early.violations.last?.field == "incidentNumber")
        try s.act("suspend-construction", by: Actors.drc, ["incidentNumber": 1, "reason": "整改不到位,暂停建设"], on: deadline.addingDays(1))
        #expect(s.project.stage == .suspended)
        #expect(s.project.incidents[0].response?.kind == .rectification, "the rectification stays on record")
        #expect(s.project.incidents[0].response?.escalatedOn == deadline.addingDays(1))
        #expect(s.attempt("resume-construction", by: Actors.drc, ["reason": ""]).violations.map(\.field) == ["reason"])
        try s.act("resume-construction", by: Actors.drc, ["reason": "整改到位"])
        // The same report does not suspend twice: a new problem needs a new report.
        #expect(
            s.attempt("suspend-construction", by: Actors.drc, ["incidentNumber": 1, "reason": "again"]).rules == ["R-INC-1", "R-INC-1"])
        try report(&s)
        try s.act("suspend-construction", by: Actors.drc, ["incidentNumber": 2, "reason": "再次严重逾期"])
        #expect(s.project.incidents[1].response?.kind == .suspension)
    }
}
