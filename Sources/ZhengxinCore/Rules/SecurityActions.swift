import Foundation

/// 网络与信息安全 (第三十一条 to 第三十四条). The unit is responsible for all of it (第三十一条 to
/// 第三十三条 "项目单位应当……"), so the unit records it.
enum SecurityActions {
    static let all: [AnyActionRule] = [
        AnyActionRule(RecordGradedProtection.self), AnyActionRule(RecordSecurityAssessment.self),
        AnyActionRule(RecordCryptoPlan.self), AnyActionRule(RecordCryptoBuilt.self), AnyActionRule(RecordCryptoRunning.self),
        AnyActionRule(RecordCryptoAssessment.self),
    ]
    /// From approval on the system exists on paper and can be graded; closed projects record nothing.
    static let gradable: Set<Stage> = [
        .approving, .approved, .procuring, .constructing, .suspended, .completed, .trialRunning,
        .acceptanceApplied, .accepted, .operating,
    ]
    /// Assessments look at something built or being built.
    static let assessable: Set<Stage> = [.constructing, .suspended, .completed, .trialRunning, .acceptanceApplied, .accepted, .operating]

    static func checkAssessment(_ x: SecurityAssessmentPayload, _ ctx: DecisionContext, notBefore: CivilDate?, what: String) -> [Violation]
    {
        var c = Checklist()
        if let v = Fields.text(x.body, "body", max: 200) { c.add(v) }
        if let r = x.reportNumber, let v = Fields.text(r, "reportNumber", max: 200) { c.add(v) }
        if let v = Fields.notFuture(x.assessedOn, "assessedOn", today: ctx.today) { c.add(v) }
        if let notBefore {
            c.require(x.assessedOn >= notBefore, .input("assessedOn", "测评日期不能早于\(what)\(notBefore.chinese)"))
        }
        return c.violations
    }

    static func assessment(_ x: SecurityAssessmentPayload, number: Int) -> SecurityAssessment {
        SecurityAssessment(number: number, assessedOn: x.assessedOn, result: x.result, body: x.body, reportNumber: x.reportNumber)
    }
}

/// The body of both kinds of assessment: 等级测评 and 密评.
public struct SecurityAssessmentPayload: Decodable, Sendable {
    public var assessedOn: CivilDate
    public var result: AssessmentResult
    public var body: String
    public var reportNumber: String?
}

/// 等级保护 定级备案 (R-SEC-1, 第三十三条 "严格落实等级保护要求"): level 1–5, filing number and date.
/// Recorded again when the level is re-graded.
public enum RecordGradedProtection: ProjectActionRule {
    public typealias Payload = GradedProtection
    public static let spec = ActionSpec(
        "record-graded-protection", "登记网络安全等级保护定级备案", actors: [.unit],
        stages: SecurityActions.gradable, rule: "R-SEC-1", article: "第三十三条")

    public static func check(_ x: GradedProtection, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        c.require((1...5).contains(x.level), .input("level", "等级保护级别应为第一级至第五级(1–5)"))
        if let v = Fields.text(x.filingNumber, "filingNumber", max: 200) { c.add(v) }
        if let v = Fields.notFuture(x.filedOn, "filedOn", today: ctx.today) { c.add(v) }
        return c.violations
    }

    public static func apply(_ x: GradedProtection, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        let before = p.security.gradedProtection
        p.security.gradedProtection = x
        let verb = before == nil ? "定级备案" : "重新定级备案(原第\(before!.level)级)"
        return "网络安全等级保护\(verb): 第\(x.level)级,备案编号\(x.filingNumber),\(x.filedOn.chinese)"
    }
}

/// 等级测评 (R-SEC-1, 第三十三条): at level 3 and above one is due every year (SecurityDeadlines).
public enum RecordSecurityAssessment: ProjectActionRule {
    public typealias Payload = SecurityAssessmentPayload
    public static let spec = ActionSpec(
        "record-security-assessment", "登记等级保护测评", actors: [.unit],
        stages: SecurityActions.assessable, rule: "R-SEC-1", article: "第三十三条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        p.security.gradedProtection == nil
            ? [Violation(rule: "R-SEC-1", article: "第三十三条", message: "尚未登记等级保护定级备案,不能登记等级测评")] : []
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        SecurityActions.checkAssessment(x, ctx, notBefore: p.security.gradedProtection?.filedOn, what: "定级备案日期")
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.security.assessments.append(SecurityActions.assessment(x, number: p.security.assessments.count + 1))
        return "等级保护测评(\(x.body),\(x.assessedOn.chinese)): \(x.result.chinese)"
    }
}
