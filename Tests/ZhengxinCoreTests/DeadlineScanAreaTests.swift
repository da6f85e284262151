import Foundation
import Testing

@testable import ZhengxinCore

/// 期限提醒: deadlines raised from supervision findings, security assessments and O&M fee years.
@Suite("Deadline scan: findings, security, O&M")
struct DeadlineScanAreaTests {
    func kinds(_ s: Scenario, on day: CivilDate, _ kind: DeadlineKind) -> [Deadline] {
        DeadlineScan.deadlines(for: s.project, today: day, policy: s.policy).filter { $0.kind == kind }
    }

    @Test("第三十六条: a finding is overdue the day after its deadline, for the unit and the inspecting agency")
    func findings() throws {
        var s = try Scenario.at(.constructing)
        let deadline = s.today.addingDays(40)
        try s.inspect(by: Actors.fin, deadlines: [deadline])
        #expect(kinds(s, on: deadline.addingDays(-31), .findingRectification).isEmpty)
        #expect(kinds(s, on: deadline.addingDays(-30), .findingRectification).map(\.status) == [.upcoming])
        #expect(kinds(s, on: deadline, .findingRectification).map(\.status) == [.upcoming])
        let late = kinds(s, on: deadline.addingDays(1), .findingRectification)
        #expect(late.map(\.status) == [.overdue])
        #expect(late.first?.audience == [.unit, .fin])
        #expect(late.first?.rule == "R-SUP-1")
    }

    @Test("第三十三条: a level-3 system's 等级测评 falls due 12 months after filing; level 2 never")
    func gradedProtection() throws {
        var s = try Scenario.at(.constructing, NewProject(securityRecords: false))
        let filed = s.today
        try s.act("record-graded-protection", by: Actors.unit, ["level": 3, "filingNumber": "41010013001-00009", "filedOn": filed.json])
        let due = filed.addingMonths(12)
        #expect(kinds(s, on: due, .gradedProtection).map(\.status) == [.upcoming])
        #expect(kinds(s, on: due.addingDays(1), .gradedProtection).map(\.status) == [.overdue])
        #expect(kinds(s, on: due.addingDays(1), .gradedProtection).first?.audience == [.unit, .bdb])
        var low = try Scenario.at(.constructing, NewProject(securityRecords: false))
        try low.act(
            "record-graded-protection", by: Actors.unit, ["level": 2, "filingNumber": "41010013001-00010", "filedOn": low.today.json])
        #expect(kinds(low, on: low.today.addingMonths(24), .gradedProtection).isEmpty)
    }

    @Test("第二十五条: an operating project past its warranty is reminded of the year still to apply for")
    func operationsFee() throws {
        let accepted = try Scenario.at(.accepted)
        #expect(kinds(accepted, on: CivilDate(2035, 1, 1), .operationsFee).isEmpty)  // not yet operating
        var s = try Scenario.omOperating()
        s.project.constructionContracts[0].warrantyEnd = CivilDate(2029, 12, 31)
        #expect(kinds(s, on: CivilDate(2028, 6, 1), .operationsFee).isEmpty)  // 2030 is more than a year ahead
        #expect(kinds(s, on: CivilDate(2029, 6, 1), .operationsFee).map(\.ref) == ["2030"])
        try s.act("apply-for-operations-fee", by: Actors.unit, OMPayloads.fee(2030), on: CivilDate(2029, 6, 1))
        #expect(kinds(s, on: CivilDate(2029, 6, 1), .operationsFee).isEmpty)
    }
}
