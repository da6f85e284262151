import Foundation

/// R-SUP-1 (第三十五条, 第三十六条): 监督检查 / 绩效评价 / 审计 recorded with findings, each with a
/// rectification deadline (限期整改). 市审计局 records audits (预决算, 财经纪律) and only audits;
/// audits are its alone.
public enum RecordOversight: ProjectActionRule {
    public struct FindingInput: Decodable, Sendable {
        public var description: String
        public var basis: String
        public var deadline: CivilDate
    }
    public struct Payload: Decodable, Sendable {
        public var kind: OversightKind
        public var heldOn: CivilDate
        public var subject: String
        public var conclusion: String
        public var auditScope: AuditScope?
        public var findings: [FindingInput]
    }
    public static let spec = ActionSpec(
        "record-oversight", "登记监督检查、绩效评价或审计", actors: Supervision.agencies,
        stages: Supervision.stages, rule: "R-SUP-1", article: "第三十五条")
    public static let maximumFindings = 100

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Supervision.text(x.subject, "subject") { c.add(v) }
        if let v = Supervision.text(x.conclusion, "conclusion") { c.add(v) }
        if let v = Fields.notFuture(x.heldOn, "heldOn", today: ctx.today) { c.add(v) }
        c.require(x.findings.count <= maximumFindings, .input("findings", "一次登记的整改意见不超过\(maximumFindings)条"))
        for (i, f) in x.findings.enumerated() {
            if let v = Supervision.text(f.description, "findings[\(i)].description") { c.add(v) }
            if let v = Supervision.text(f.basis, "findings[\(i)].basis") { c.add(v) }
            c.require(f.deadline > ctx.today, .input("findings[\(i)].deadline", "整改期限应晚于今天(\(ctx.today.chinese))"))
        }
        if x.kind == .audit {
            c.require(x.auditScope != nil, .input("auditScope", "审计须注明范围: 预算执行、决算或财经纪律"))
        } else {
            c.require(x.auditScope == nil, .input("auditScope", "只有审计填写审计范围"))
        }
        if !c.isEmpty { return c.violations }
        let isAuditBureau = ctx.actor.organisationType == .aud
        c.require(
            !isAuditBureau || x.kind == .audit, rule: "R-SUP-1", article: "第三十五条",
            "市审计局登记的是审计(预决算、财经纪律),不能登记\(x.kind.chinese)", field: "kind")
        c.require(
            isAuditBureau || x.kind != .audit, rule: "R-SUP-1", article: "第三十五条",
            "审计由市审计局登记,\(ctx.actor.organisationType.chinese)可登记监督检查或绩效评价", field: "kind")
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        let oversightNumber = p.supervision.oversights.count + 1
        let first = p.supervision.findings.count + 1
        let numbers = Array(first..<(first + x.findings.count))
        for (n, f) in zip(numbers, x.findings) {
            p.supervision.findings.append(
                Finding(
                    number: n, oversightNumber: oversightNumber, agency: ctx.actor.organisationType,
                    agencyOrganisationId: ctx.actor.organisationId, description: f.description, basis: f.basis,
                    deadline: f.deadline, raisedOn: ctx.today, status: .open, reports: []))
        }
        p.supervision.oversights.append(
            Oversight(
                number: oversightNumber, kind: x.kind, agency: ctx.actor.organisationType, agencyOrganisationId: ctx.actor.organisationId,
                heldOn: x.heldOn, subject: x.subject, conclusion: x.conclusion, auditScope: x.auditScope,
                recordedOn: ctx.today, findingNumbers: numbers))
        let findings = numbers.isEmpty ? "未发现问题" : "提出整改意见\(numbers.count)条(第\(numbers.map(String.init).joined(separator: "、"))号)"
        return "\(ctx.actor.organisationType.chinese)登记\(x.kind.chinese)「\(x.subject)」,\(findings)"
    }
}

/// R-SUP-1: the unit answers a finding with a rectification report (整改报告). A late report is
/// accepted and marked late; a closed finding takes no more reports.
public enum ReportRectification: ProjectActionRule {
    public struct Payload: Decodable, Sendable { public var findingNumber: Int; public var description: String }
    public static let spec = ActionSpec(
        "report-rectification", "报送整改情况", actors: [.unit],
        stages: Supervision.stages, rule: "R-SUP-1", article: "第三十五条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        p.supervision.findings.contains { $0.status != .closed }
            ? []
            : [Violation(rule: "R-SUP-1", article: "第三十六条", message: "没有待整改的整改意见")]
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Supervision.text(x.description, "description") { c.add(v) }
        switch Supervision.finding(x.findingNumber, in: p) {
        case .failure(let v): c.add(v)
        case .success(let f):
            c.require(f.status != .closed, rule: "R-SUP-1", article: "第三十六条", "整改意见\(f.number)已销号,无需再报送", field: "findingNumber")
        }
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        guard let i = p.supervision.findings.firstIndex(where: { $0.number == x.findingNumber }) else { return "" }
        let late = ctx.today > p.supervision.findings[i].deadline
        p.supervision.findings[i].reports.append(RectificationReport(reportedOn: ctx.today, description: x.description, late: late))
        if p.supervision.findings[i].status == .open { p.supervision.findings[i].status = .reported }
        return "报送整改意见\(x.findingNumber)的整改情况\(late ? "(逾期)" : ""): \(x.description)"
    }
}

/// R-SUP-1 (第三十六条): the agency that raised the finding accepts the rectification (销号).
/// Closing needs a rectification report on record: the unit must have answered.
public enum CloseFinding: ProjectActionRule {
    public struct Payload: Decodable, Sendable { public var findingNumber: Int; public var note: String }
    public static let spec = ActionSpec(
        "close-finding", "整改意见销号", actors: Supervision.agencies,
        stages: Supervision.stages, rule: "R-SUP-1", article: "第三十六条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        Supervision.own(p, ctx).contains { $0.status != .closed && !$0.reports.isEmpty }
            ? []
            : [Violation(rule: "R-SUP-1", article: "第三十六条", message: "本部门提出的整改意见中没有已报送整改情况、待销号的")]
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Supervision.text(x.note, "note") { c.add(v) }
        switch Supervision.finding(x.findingNumber, in: p) {
        case .failure(let v): c.add(v)
        case .success(let f):
            if !c.isEmpty { break }
            if let v = Supervision.ownership(f, ctx, rule: "R-SUP-1") { c.add(v) }
            c.require(f.status != .closed, rule: "R-SUP-1", article: "第三十六条", "整改意见\(f.number)已销号", field: "findingNumber")
            c.require(
                !f.reports.isEmpty, rule: "R-SUP-1", article: "第三十六条",
                "项目单位尚未报送整改意见\(f.number)的整改情况,不能销号", field: "findingNumber")
        }
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        guard let i = p.supervision.findings.firstIndex(where: { $0.number == x.findingNumber }) else { return "" }
        p.supervision.findings[i].status = .closed
        p.supervision.findings[i].closedOn = ctx.today
        p.supervision.findings[i].closingNote = x.note
        return "整改意见\(x.findingNumber)整改到位,销号: \(x.note)"
    }
}

/// R-SUP-1, R-SUP-2 (第三十六条): the agency that raised the finding escalates it when the unit
/// 拒不整改 (no report and the deadline has passed) or 整改后仍不符合要求 (a report it does not
/// accept). Before the deadline, an unanswered finding cannot be escalated: the unit still has time.
public enum EscalateFinding: ProjectActionRule {
    public struct Payload: Decodable, Sendable { public var findingNumber: Int; public var reason: String }
    public static let spec = ActionSpec(
        "escalate-finding", "整改意见升级处理", actors: Supervision.agencies,
        stages: Supervision.stages, rule: "R-SUP-1", article: "第三十六条")

    static func escalatable(_ f: Finding, today: CivilDate) -> Bool {
        f.status == .reported || f.isOverdueUnanswered(today: today)
    }

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        Supervision.own(p, ctx).contains { escalatable($0, today: ctx.today) }
            ? []
            : [Violation(rule: "R-SUP-1", article: "第三十六条", message: "本部门提出的整改意见中没有逾期未整改或整改后仍不符合要求的")]
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Supervision.text(x.reason, "reason") { c.add(v) }
        switch Supervision.finding(x.findingNumber, in: p) {
        case .failure(let v): c.add(v)
        case .success(let f):
            if !c.isEmpty { break }
            if let v = Supervision.ownership(f, ctx, rule: "R-SUP-1") { c.add(v) }
            switch f.status {
            case .closed, .escalated:
                c.add(Violation(rule: "R-SUP-1", article: "第三十六条", message: "整改意见\(f.number)\(f.status.chinese)", field: "findingNumber"))
            case .open where !f.isOverdueUnanswered(today: ctx.today):
                c.add(
                    Violation(
                        rule: "R-SUP-1", article: "第三十六条",
                        message: "整改意见\(f.number)的整改期限为\(f.deadline.chinese),期限届满前尚未报送整改情况的不能升级处理",
                        field: "findingNumber"))
            default: break
            }
        }
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        guard let i = p.supervision.findings.firstIndex(where: { $0.number == x.findingNumber }) else { return "" }
        let refused = p.supervision.findings[i].reports.isEmpty
        p.supervision.findings[i].status = .escalated
        p.supervision.findings[i].escalatedOn = ctx.today
        p.supervision.findings[i].escalationReason = x.reason
        return "整改意见\(x.findingNumber)\(refused ? "逾期未整改" : "整改后仍不符合要求"),升级处理: \(x.reason)"
    }
}
