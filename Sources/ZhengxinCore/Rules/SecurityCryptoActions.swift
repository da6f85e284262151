import Foundation

// 商用密码 三同步 (R-SEC-2, 第三十二条): "同步规划、同步建设、同步运行密码保障系统并定期评估".

/// 同步规划: the crypto system is planned in a design document (可研, 初设 or 实施方案) of the project.
public enum RecordCryptoPlan: ProjectActionRule {
    public struct Payload: Decodable, Sendable {
        public var designDocumentNumber: Int
        public var summary: String
    }
    public static let spec = ActionSpec(
        "record-crypto-plan", "登记密码保障系统同步规划", actors: [.unit],
        stages: [.approving, .approved, .procuring, .constructing], rule: "R-SEC-2", article: "第三十二条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        p.security.crypto.built == nil ? [] : [Violation(rule: "R-SEC-2", article: "第三十二条", message: "密码保障系统已建成,不能再修改规划")]
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Fields.text(x.summary, "summary", max: 5000) { c.add(v) }
        let doc = p.documents.first { $0.number == x.designDocumentNumber }
        c.require(
            doc?.kind.needsSharingChapter == true,
            .input("designDocumentNumber", "文档\(x.designDocumentNumber)不是本项目的可行性研究报告、初步设计或实施方案"))
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        let kind = p.documents.first { $0.number == x.designDocumentNumber }!.kind
        p.security.crypto.planned = CryptoPlan(
            designDocumentNumber: x.designDocumentNumber, designDocumentKind: kind, summary: x.summary, recordedOn: ctx.today)
        return "密码保障系统已在\(kind.chinese)(文档\(x.designDocumentNumber))中同步规划: \(x.summary)"
    }
}

/// The body of "built" and "running".
public struct CryptoMilestonePayload: Decodable, Sendable {
    public var on: CivilDate
    public var summary: String

    /// The field checks both milestones (built, running) share.
    func fieldViolations(today: CivilDate) -> [Violation] {
        [Fields.text(summary, "summary", max: 5000), Fields.notFuture(on, "on", today: today)].compactMap { $0 }
    }
}

/// 同步建设: built with the system, before acceptance is applied for.
public enum RecordCryptoBuilt: ProjectActionRule {
    public typealias Payload = CryptoMilestonePayload
    public static let spec = ActionSpec(
        "record-crypto-built", "登记密码保障系统同步建设完成", actors: [.unit],
        stages: [.constructing, .completed, .trialRunning], rule: "R-SEC-2", article: "第三十二条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        c.require(p.security.crypto.planned != nil, rule: "R-SEC-2", article: "第三十二条", "密码保障系统尚未登记同步规划(设计文件)")
        c.require(p.security.crypto.built == nil, rule: "R-SEC-2", article: "第三十二条", "密码保障系统建设完成已登记")
        return c.violations
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        x.fieldViolations(today: ctx.today)
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.security.crypto.built = CryptoMilestone(on: x.on, summary: x.summary, recordedOn: ctx.today)
        return "密码保障系统于\(x.on.chinese)同步建设完成: \(x.summary)"
    }
}

/// 同步运行: running with the system once it is accepted.
public enum RecordCryptoRunning: ProjectActionRule {
    public typealias Payload = CryptoMilestonePayload
    public static let spec = ActionSpec(
        "record-crypto-running", "登记密码保障系统同步运行", actors: [.unit],
        stages: [.accepted, .operating], rule: "R-SEC-2", article: "第三十二条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        c.require(p.security.crypto.built != nil, rule: "R-SEC-2", article: "第三十二条", "密码保障系统尚未登记建设完成")
        c.require(p.security.crypto.running == nil, rule: "R-SEC-2", article: "第三十二条", "密码保障系统运行已登记")
        return c.violations
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        c.add(x.fieldViolations(today: ctx.today))
        if let built = p.security.crypto.built?.on { c.require(x.on >= built, .input("on", "运行日期不能早于建设完成日期\(built.chinese)")) }
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.security.crypto.running = CryptoMilestone(on: x.on, summary: x.summary, recordedOn: ctx.today)
        return "密码保障系统自\(x.on.chinese)同步运行: \(x.summary)"
    }
}

/// 密评 (商用密码应用安全性评估, R-SEC-2 "定期评估"): of the built crypto system; yearly at level 3 and above.
public enum RecordCryptoAssessment: ProjectActionRule {
    public typealias Payload = SecurityAssessmentPayload
    public static let spec = ActionSpec(
        "record-crypto-assessment", "登记商用密码应用安全性评估", actors: [.unit],
        stages: SecurityActions.assessable, rule: "R-SEC-2", article: "第三十二条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        p.security.crypto.built == nil
            ? [Violation(rule: "R-SEC-2", article: "第三十二条", message: "密码保障系统尚未登记建设完成,不能登记密评")] : []
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        SecurityActions.checkAssessment(x, ctx, notBefore: p.security.crypto.built?.on, what: "密码保障系统建设完成日期")
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        p.security.crypto.assessments.append(SecurityActions.assessment(x, number: p.security.crypto.assessments.count + 1))
        return "商用密码应用安全性评估(\(x.body),\(x.assessedOn.chinese)): \(x.result.chinese)"
    }
}
