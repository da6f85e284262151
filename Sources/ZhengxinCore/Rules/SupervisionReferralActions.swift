import Foundation

/// R-SUP-3 (第三十七条 to 第三十九条): 追责移送 — who is referred, for what conduct, to which body,
/// under which article, on which date.
/// - 第三十七条 (违反本办法, 管理不善, 弄虚作假 …): 项目审批部门应当提请 — 市发展改革委 only.
/// - 第三十八条 (截留、挪用资金, 违规安排经费) and 第三十九条 (滥用职权 …): "有关部门" — any of the
///   four supervising agencies.
/// Allowed after termination too: accountability outlives the project.
public enum ReferForAccountability: ProjectActionRule {
    public struct Payload: Decodable, Sendable {
        public var ground: ReferralGround
        public var subject: String
        public var conduct: String
        public var referredTo: String
        public var referredOn: CivilDate
        public var criminal: Bool?
        public var findingNumbers: [Int]?
    }
    public static let spec = ActionSpec(
        "refer-for-accountability", "移送追究责任", actors: Supervision.agencies,
        stages: Supervision.referralStages, rule: "R-SUP-3", article: "第三十七条至第三十九条")

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Fields.text(x.subject, "subject", max: 500) { c.add(v) }
        if let v = Supervision.text(x.conduct, "conduct") { c.add(v) }
        if let v = Fields.text(x.referredTo, "referredTo", max: 500) { c.add(v) }
        if let v = Fields.notFuture(x.referredOn, "referredOn", today: ctx.today) { c.add(v) }
        for (i, n) in (x.findingNumbers ?? []).enumerated() where p.supervision.finding(n) == nil {
            c.add(.input("findingNumbers[\(i)]", "整改意见\(n)不存在"))
        }
        if !c.isEmpty { return c.violations }
        c.require(
            x.ground != .breachOfMeasures || ctx.actor.organisationType == .drc, rule: "R-SUP-3", article: "第三十七条",
            "违反本办法规定的追责由项目审批部门(市发展改革委)提请,\(ctx.actor.organisationType.chinese)可依第三十八条、第三十九条移送", field: "ground")
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        let number = p.supervision.referrals.count + 1
        p.supervision.referrals.append(
            AccountabilityReferral(
                number: number, ground: x.ground, article: x.ground.article, agency: ctx.actor.organisationType,
                agencyOrganisationId: ctx.actor.organisationId, subject: x.subject, conduct: x.conduct, referredTo: x.referredTo,
                referredOn: x.referredOn, criminal: x.criminal ?? false, findingNumbers: x.findingNumbers ?? [], recordedOn: ctx.today))
        return "依\(x.ground.article)将「\(x.subject)」移送\(x.referredTo)\((x.criminal ?? false) ? "追究刑事责任" : "追究责任"): \(x.conduct)"
    }
}
