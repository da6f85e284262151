import Foundation

enum ReviewActions {
    static let all: [AnyActionRule] = [
        AnyActionRule(StartTechnicalReview.self), AnyActionRule(IssueReviewOpinion.self), AnyActionRule(Resubmit.self),
        AnyActionRule(MarkMajorProject.self), AnyActionRule(RecordExecutiveMeeting.self), AnyActionRule(AdmitToReservePool.self),
    ]
    static let beforeReserve: Set<Stage> = [.declared, .techReview, .pendingGovernment]
}

/// 第七条: BDB takes a declared project into technical review.
public enum StartTechnicalReview: ProjectActionRule {
    public static let spec = ActionSpec(
        "start-technical-review", "受理技术审查", actors: [.bdb], stages: [.declared], rule: "R-REV-1", article: "第七条")
    public static func check(_ x: EmptyPayload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] { [] }
    public static func apply(_ x: EmptyPayload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.stage = .techReview
        return "受理技术审查"
    }
}

/// 审查意见 (R-REV-1, 第七条; R-REV-2, 第二十七条).
public enum IssueReviewOpinion: ProjectActionRule {
    public struct Payload: Decodable, Sendable {
        public var findings: [CriterionFinding]
        public var conclusion: ReviewConclusion
        public var comment: String
        public var ownInfrastructureAccepted: Bool?
    }
    public static let spec = ActionSpec(
        "issue-review-opinion", "出具技术审查意见", actors: [.bdb], stages: [.techReview], rule: "R-REV-1", article: "第七条")

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Fields.text(x.comment, "comment") { c.add(v) }
        let given = x.findings.map(\.criterion)
        for criterion in ReviewCriterion.allCases {
            let count = given.filter { $0 == criterion }.count
            c.require(count == 1, .input("findings", count == 0 ? "缺少「\(criterion.chinese)」的审查结论" : "「\(criterion.chinese)」重复出现"))
        }
        for (i, f) in x.findings.enumerated() {
            if let v = Fields.text(f.comment, "findings[\(i)].comment") { c.add(v) }
        }
        c.add(IntensivenessReview.inputViolations(x.findings))
        if !c.isEmpty { return c.violations }
        c.add(IntensivenessReview.violations(x.findings, ctx.similarity))  // R-REV-3, whatever the conclusion
        if x.conclusion == .pass {
            for f in x.findings where !f.satisfied {
                c.add(Violation(rule: "R-REV-1", article: "第七条", message: "「\(f.criterion.chinese)」审查结论为不符合,不能出具审查通过意见"))
            }
            if p.ownInfrastructure != nil {
                c.require(
                    x.ownInfrastructureAccepted == true, rule: "R-REV-2", article: "第二十七条",
                    "项目拟单独建设基础设施,审查意见须明确认可其必要性及信息共享和业务协同方案", field: "ownInfrastructureAccepted")
            }
        }
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.reviewOpinions.append(
            ReviewOpinion(
                number: p.reviewOpinions.count + 1, findings: x.findings, conclusion: x.conclusion,
                ownInfrastructureAccepted: x.ownInfrastructureAccepted, comment: x.comment,
                issuedOn: ctx.today, reviewer: ctx.actor.userId))
        switch x.conclusion {
        case .pass: p.stage = .pendingGovernment
        case .returned: p.stage = .returned
        case .rejected: p.stage = .rejected
        }
        return "技术审查意见: \(x.conclusion.chinese)"
    }
}

/// The unit resubmits a project BDB returned for revision.
public enum Resubmit: ProjectActionRule {
    public static let spec = ActionSpec("resubmit", "修改后重新申报", actors: [.unit], stages: [.returned], rule: "R-REV-1", article: "第七条")
    /// Declared in time once, a revision does not reopen the window (R-DEC-1, 第七条) — for the year it
    /// was declared in time for. A plan year moved while returned must have been open at the first
    /// declaration too: declaring for a later year and moving the project back would dodge the window.
    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var violations = Declare.conditions(p, ctx).filter { $0.rule != "R-DEC-1" }
        if p.source == .unitDeclaration && p.declarationException == nil, let declared = p.declaredAt {
            let deadline = ctx.policy.declarationDeadline(planYear: p.planYear)
            if declared > deadline {
                violations.append(
                    Violation(
                        rule: "R-DEC-1", article: "第七条",
                        message:
                            "项目于\(declared.beijingDate.chinese)申报,晚于\(p.planYear)年度项目的申报截止时间(\(deadline.beijingDate.chinese)24时);改为该年度须由市发展改革委登记逾期申报例外,或改回原申报年度"
                    ))
            }
        }
        return violations
    }
    public static func check(_ x: EmptyPayload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] { [] }
    public static func apply(_ x: EmptyPayload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.stage = .declared
        return "修改后重新申报"
    }
}

/// R-GEN-2 (第六条): DRC marks a project 情况复杂、总投资较大且关系全市, or clears the mark, always with
/// a reason on record. Once a 政府常务会 decision is on record its outcome binds: the mark that sent
/// the project there can no longer be changed, so a 不同意 cannot be escaped by clearing it.
public enum MarkMajorProject: ProjectActionRule {
    public struct Payload: Decodable, Sendable { public var major: Bool; public var reason: String }
    public static let spec = ActionSpec(
        "mark-major", "认定需经政府常务会研究", actors: [.drc], stages: ReviewActions.beforeReserve, rule: "R-GEN-2", article: "第六条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        guard let meeting = p.majorProject?.executiveMeeting else { return [] }
        return [
            Violation(
                rule: "R-GEN-2", article: "第六条",
                message:
                    "政府常务会已于\(meeting.meetingOn.chinese)研究(\(meeting.minutesReference)),\(meeting.agreed ? "同意" : "不同意");其结论对项目具有约束力,不能再更改认定"
            )
        ]
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Fields.text(x.reason, "reason") { c.add(v) }
        if let current = p.majorProject {
            c.require(current.major != x.major, .input("major", current.major ? "项目已认定为需经政府常务会研究的项目" : "项目已认定为无需经政府常务会研究"))
        }
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        var earlier = p.majorProject?.earlierMarks ?? []
        if let old = p.majorProject {
            earlier.append(EarlierMajorProjectMark(major: old.major, reason: old.reason, markedOn: old.markedOn))
        }
        p.majorProject = MajorProjectMark(
            major: x.major, reason: x.reason, markedOn: ctx.today, executiveMeeting: nil,
            earlierMarks: earlier.isEmpty ? nil : earlier)
        let verb = earlier.isEmpty ? "认定" : "变更认定为"
        return x.major ? "\(verb)需经政府常务会研究的项目: \(x.reason)" : "\(verb)无需经政府常务会研究: \(x.reason)"
    }

    /// 第六条 (interpretation): from the policy's threshold on, the system suggests the mark.
    public static func suggested(_ p: ProjectRecord, _ policy: Policy) -> Bool {
        p.majorProject == nil && p.totalInvestment >= policy.executiveMeetingSuggestion
    }
}

/// R-GEN-2: the 政府常务会 decision (date, minutes reference). A later meeting may study the project
/// again; the earlier decisions stay on record and the latest binds.
public enum RecordExecutiveMeeting: ProjectActionRule {
    public struct Payload: Decodable, Sendable {
        public var meetingOn: CivilDate; public var minutesReference: String; public var agreed: Bool
    }
    public static let spec = ActionSpec(
        "record-executive-meeting", "登记政府常务会研究意见", actors: [.drc], stages: ReviewActions.beforeReserve, rule: "R-GEN-2", article: "第六条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        p.majorProject?.major == true ? [] : [Violation(rule: "R-GEN-2", article: "第六条", message: "项目未被认定为需经政府常务会研究的项目")]
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Fields.text(x.minutesReference, "minutesReference", max: 200) { c.add(v) }
        if let v = Fields.notFuture(x.meetingOn, "meetingOn", today: ctx.today) { c.add(v) }
        if let earlier = p.majorProject?.executiveMeeting {
            c.require(
                x.meetingOn > earlier.meetingOn, rule: "R-GEN-2", article: "第六条",
                "政府常务会已于\(earlier.meetingOn.chinese)研究该项目;再次研究的会议日期须晚于该日", field: "meetingOn")
        }
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        guard var mark = p.majorProject else { return "" }
        if let earlier = mark.executiveMeeting { mark.earlierMeetings = (mark.earlierMeetings ?? []) + [earlier] }
        mark.executiveMeeting = ExecutiveMeetingDecision(
            meetingOn: x.meetingOn, minutesReference: x.minutesReference, agreed: x.agreed,
            totalInvestmentStudied: p.totalInvestment)
        p.majorProject = mark
        return "政府常务会(\(x.meetingOn.chinese), \(x.minutesReference)): \(x.agreed ? "同意" : "不同意")"
    }
}

/// R-RES-1 (第八条): after municipal government approval, into the reserve pool.
public enum AdmitToReservePool: ProjectActionRule {
    public struct Payload: Decodable, Sendable { public var approvedOn: CivilDate; public var documentNumber: String }
    public static let spec = ActionSpec(
        "admit-to-reserve-pool", "报市政府批准列入储备库", actors: [.drc], stages: [.pendingGovernment], rule: "R-RES-1", article: "第八条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        c.require(p.reviewOpinions.last?.conclusion == .pass, rule: "R-RES-1", article: "第八条", "项目须经市大数据局技术审查通过")
        if p.majorProject?.major == true {
            c.require(
                p.majorProject?.executiveMeeting?.agreed == true, rule: "R-GEN-2", article: "第六条",
                "项目已认定为情况复杂、总投资较大且关系全市,须经政府常务会研究同意后方可列入储备库")
            if let meeting = p.majorProject?.executiveMeeting, meeting.agreed, let studied = meeting.totalInvestmentStudied {
                c.require(
                    p.totalInvestment <= studied, rule: "R-GEN-2", article: "第六条",
                    "政府常务会同意时项目总投资为\(studied.yuanText),现为\(p.totalInvestment.yuanText),须经政府常务会重新研究")
            }
        }
        return c.violations
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        [Fields.text(x.documentNumber, "documentNumber", max: 200), Fields.notFuture(x.approvedOn, "approvedOn", today: ctx.today)]
            .compactMap { $0 }
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.reservePoolEntry = ReservePoolEntry(approvedOn: x.approvedOn, documentNumber: x.documentNumber)
        p.stage = .reserve
        return "经市政府批准(\(x.documentNumber))列入政府投资项目储备库"
    }
}
