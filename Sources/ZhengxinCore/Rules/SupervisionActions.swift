import Foundation

/// 监督管理 (第三十五条 to 第三十九条).
enum SupervisionActions {
    static let all: [AnyActionRule] = [
        AnyActionRule(RecordOversight.self), AnyActionRule(ReportRectification.self),
        AnyActionRule(CloseFinding.self), AnyActionRule(EscalateFinding.self),
        AnyActionRule(ApplySanction.self), AnyActionRule(LiftSanction.self),
        AnyActionRule(ReferForAccountability.self),
        AnyActionRule(UrgeUnit.self), AnyActionRule(AnswerUrge.self),
    ]
}

/// Stages and lookups shared by the supervision rules.
public enum Supervision {
    /// Where oversight applies *(interpretation)*: from declaration on, while the project lives.
    /// 第三十五条 binds the unit for 建设项目 once it is before the government: a draft is not yet
    /// declared; withdrawn and rejected projects never became projects; a terminated one is final
    /// (nothing left to rectify). Operation (运行维护) stays in: 绩效评价 and audits reach it.
    public static let stages: Set<Stage> = Set(Stage.allCases).subtracting([.draft, .withdrawn, .rejected, .terminated])

    /// Referrals (R-SUP-3) may follow a termination: accountability outlives the project.
    public static let referralStages: Set<Stage> = stages.union([.terminated])

    /// Agencies that record oversight (第三十五条).
    public static let agencies: Set<OrganisationType> = [.drc, .fin, .bdb, .aud]

    /// Agencies that sanction (第三十六条 names 项目审批部门、市财政局、市大数据局; not 市审计局).
    public static let sanctioningAgencies: Set<OrganisationType> = [.drc, .fin, .bdb]

    /// The finding named by the request, or the input error saying it does not exist.
    static func finding(_ number: Int, in p: ProjectRecord, field: String = "findingNumber") -> FindingLookup {
        if let f = p.supervision.finding(number) { return .success(f) }
        return .failure(Violation.input(field, "整改意见\(number)不存在"))
    }

    enum FindingLookup { case success(Finding), failure(Violation) }

    /// Only the agency that raised a finding decides on it (第三十六条).
    static func ownership(_ f: Finding, _ ctx: DecisionContext, rule: String, field: String = "findingNumber") -> Violation? {
        guard f.agencyOrganisationId != ctx.actor.organisationId else { return nil }
        return Violation(
            rule: rule, article: "第三十六条",
            message: "整改意见\(f.number)由\(f.agency.chinese)提出,只能由其审核、销号或升级处理", field: field)
    }

    /// Findings raised by the caller's own organisation.
    static func own(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Finding] {
        p.supervision.findings.filter { $0.agencyOrganisationId == ctx.actor.organisationId }
    }

    /// 拒不整改或整改后仍不符合要求: escalated, or overdue without any report.
    static func isSanctionable(_ f: Finding, today: CivilDate) -> Bool {
        f.status == .escalated || f.isOverdueUnanswered(today: today)
    }

    static func text(_ value: String, _ field: String) -> Violation? { Fields.text(value, field, max: 5000) }
}
