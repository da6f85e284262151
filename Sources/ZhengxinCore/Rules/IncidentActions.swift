import Foundation

enum IncidentActions {
    static let all: [AnyActionRule] = [
        AnyActionRule(ReportIncident.self), AnyActionRule(OrderRectification.self),
        AnyActionRule(SuspendConstruction.self), AnyActionRule(ResumeConstruction.self),
    ]
}

/// R-INC-1 (第十八条): the unit reports serious delay or major investment loss.
public enum ReportIncident: ProjectActionRule {
    public struct Payload: Decodable, Sendable {
        public var kind: IncidentKind; public var description: String; public var occurredOn: CivilDate
    }
    public static let spec = ActionSpec(
        "report-incident", "报告严重逾期或投资重大损失", actors: [.unit], stages: [.constructing, .suspended], rule: "R-INC-1", article: "第十八条")

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        [Fields.text(x.description, "description", max: 5000), Fields.notFuture(x.occurredOn, "occurredOn", today: ctx.today)].compactMap {
            $0
        }
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.incidents.append(
            IncidentReport(
                number: p.incidents.count + 1, kind: x.kind, description: x.description,
                occurredOn: x.occurredOn, reportedOn: ctx.today, response: nil))
        return "报告\(x.kind.chinese): \(x.description)"
    }
}

/// Finds the incident a DRC response refers to, or says why it can't be answered.
enum IncidentLookup {
    static func unanswered(_ number: Int?, in p: ProjectRecord) -> Violation? {
        guard let number else { return nil }
        guard let incident = p.incidents.first(where: { $0.number == number }) else {
            return .input("incidentNumber", "报告编号\(number)不存在")
        }
        return incident.response == nil
            ? nil : Violation(rule: "R-INC-1", article: "第十八条", message: "报告\(number)已处理", field: "incidentNumber")
    }
}

/// R-INC-1: DRC orders rectification with a deadline.
public enum OrderRectification: ProjectActionRule {
    public struct Payload: Decodable, Sendable {
        public var incidentNumber: Int; public var requirements: String; public var deadline: CivilDate
    }
    public static let spec = ActionSpec(
        "order-rectification", "要求限期整改", actors: [.drc], stages: [.constructing, .suspended], rule: "R-INC-1", article: "第十八条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        p.incidents.contains { $0.response == nil } ? [] : [Violation(rule: "R-INC-1", article: "第十八条", message: "没有待处理的严重逾期或投资重大损失报告")]
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Fields.text(x.requirements, "requirements", max: 5000) { c.add(v) }
        c.require(x.deadline > ctx.today, .input("deadline", "整改期限应晚于今天"))
        if let v = IncidentLookup.unanswered(x.incidentNumber, in: p) { c.add(v) }
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        if let i = p.incidents.firstIndex(where: { $0.number == x.incidentNumber }) {
            p.incidents[i].response = IncidentResponse(
                kind: .rectification, requirements: x.requirements, deadline: x.deadline, decidedOn: ctx.today)
        }
        return "要求于\(x.deadline.chinese)前整改: \(x.requirements)"
    }
}

/// R-INC-1: DRC suspends construction (暂停项目建设) in answer to the unit's report (第十八条): a report
/// not yet answered, or one answered by a rectification whose deadline has passed (the rectification
/// did not help), each such report once. A problem DRC finds itself goes through 第三十六条:
/// rectification first, a suspension only as a sanction for 拒不整改 (ApplySanction).
public enum SuspendConstruction: ProjectActionRule {
    public struct Payload: Decodable, Sendable { public var incidentNumber: Int; public var reason: String }
    public static let spec = ActionSpec(
        "suspend-construction", "暂停项目建设", actors: [.drc], stages: [.constructing], rule: "R-INC-1", article: "第十八条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        p.incidents.contains { answerable($0, today: ctx.today) }
            ? []
            : [
                Violation(
                    rule: "R-INC-1", article: "第十八条",
                    message: "没有可据以暂停建设的严重逾期或投资重大损失报告(未处理的报告,或整改期限已过的报告);监督检查发现的问题应先要求限期整改,拒不整改的依第三十六条采取暂停项目建设措施")
            ]
    }

    /// Whether a suspension may answer `incident` today: unanswered, or rectification ordered, its
    /// deadline past and no suspension on it yet.
    static func answerable(_ incident: IncidentReport, today: CivilDate) -> Bool {
        guard let response = incident.response else { return true }
        guard response.kind == .rectification, response.escalatedOn == nil, let deadline = response.deadline else { return false }
        return today > deadline
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Fields.text(x.reason, "reason", max: 5000) { c.add(v) }
        guard let incident = p.incidents.first(where: { $0.number == x.incidentNumber }) else {
            c.add(.input("incidentNumber", "报告编号\(x.incidentNumber)不存在"))
            return c.violations
        }
        if !answerable(incident, today: ctx.today) {
            let why: String
            switch incident.response {
            case .some(let r) where r.kind == .rectification && r.escalatedOn == nil:
                why = "报告\(x.incidentNumber)已要求于\(r.deadline?.chinese ?? "")前整改,整改期限届满后仍不符合要求的方可暂停建设"
            default: why = "报告\(x.incidentNumber)已处理"
            }
            c.add(Violation(rule: "R-INC-1", article: "第十八条", message: why, field: "incidentNumber"))
        }
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        if let i = p.incidents.firstIndex(where: { $0.number == x.incidentNumber }) {
            if p.incidents[i].response == nil {
                p.incidents[i].response = IncidentResponse(kind: .suspension, requirements: x.reason, deadline: nil, decidedOn: ctx.today)
            } else {
                p.incidents[i].response?.escalatedOn = ctx.today
            }
        }
        p.stageBeforeSuspension = p.stage
        p.stage = .suspended
        return "暂停项目建设(报告\(x.incidentNumber)): \(x.reason)"
    }
}

/// DRC lifts a suspension it applied, with a reason.
public enum ResumeConstruction: ProjectActionRule {
    public struct Payload: Decodable, Sendable { public var reason: String }
    public static let spec = ActionSpec(
        "resume-construction", "恢复项目建设", actors: [.drc], stages: [.suspended], rule: "R-INC-1", article: "第十八条")

    /// A suspension imposed as a sanction is lifted only by the agency that applied it (R-SUP-2).
    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        p.supervision.hasActiveSuspension
            ? [Violation(rule: "R-SUP-2", article: "第三十六条", message: "项目因处理措施暂停建设,须由采取该措施的部门解除")] : []
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        [Fields.text(x.reason, "reason", max: 5000)].compactMap { $0 }
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.stage = p.stageBeforeSuspension ?? .constructing
        p.stageBeforeSuspension = nil
        return "恢复项目建设: \(x.reason)"
    }
}
