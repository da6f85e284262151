import Foundation

/// R-SUP-2 (第三十六条): 对拒不整改或整改后仍不符合要求的,可对其进行通报批评、暂缓拨付建设资金、
/// 暂停项目建设、直至终止项目. Applied by 市发展改革委, 市财政局 or 市大数据局 (not 市审计局).
///
/// Interpretations:
/// - Each sanction rests on at least one of the applying agency's own findings that is escalated,
///   or open past its deadline with no report (拒不整改; the sanction escalates it).
/// - The order is not a ladder for the first three: an agency may choose the measure that fits.
///   Termination ("直至终止项目") is the end of the ladder: it needs an earlier sanction on record
///   (any agency, in effect or lifted).
/// - One agency does not apply the same measure twice while the first is in effect.
/// - 暂停项目建设 applies while something is being built (approved, procuring, constructing) and
///   not when the project is already suspended; termination applies in any living stage.
public enum ApplySanction: ProjectActionRule {
    public struct Payload: Decodable, Sendable {
        public var kind: SanctionKind
        public var findingNumbers: [Int]
        public var reason: String
        public var documentNumber: String?
    }
    public static let spec = ActionSpec(
        "apply-sanction", "采取处理措施(通报批评、暂缓拨付、暂停建设、终止项目)",
        actors: Supervision.sanctioningAgencies, stages: Supervision.stages,
        rule: "R-SUP-2", article: "第三十六条")

    /// Stages in which construction can be suspended (暂停项目建设).
    public static let suspendable: Set<Stage> = [.approved, .procuring, .constructing]

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        Supervision.own(p, ctx).contains { Supervision.isSanctionable($0, today: ctx.today) }
            ? []
            : [
                Violation(
                    rule: "R-SUP-2", article: "第三十六条",
                    message: "本部门提出的整改意见中没有拒不整改(逾期未报送整改情况)或整改后仍不符合要求(已升级处理)的,不能采取处理措施")
            ]
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Supervision.text(x.reason, "reason") { c.add(v) }
        if let number = x.documentNumber, let v = Fields.text(number, "documentNumber", max: 200) { c.add(v) }
        c.require(!x.findingNumbers.isEmpty, .input("findingNumbers", "须列明处理所依据的整改意见"))
        c.require(Set(x.findingNumbers).count == x.findingNumbers.count, .input("findingNumbers", "整改意见编号重复"))
        let findings = x.findingNumbers.enumerated().compactMap { i, n -> Finding? in
            switch Supervision.finding(n, in: p, field: "findingNumbers[\(i)]") {
            case .success(let f): return f
            case .failure(let v): c.add(v); return nil
            }
        }
        if !c.isEmpty { return c.violations }
        for (i, f) in findings.enumerated() {
            let field = "findingNumbers[\(i)]"
            if let v = Supervision.ownership(f, ctx, rule: "R-SUP-2", field: field) { c.add(v); continue }
            c.require(
                Supervision.isSanctionable(f, today: ctx.today), rule: "R-SUP-2", article: "第三十六条",
                "整改意见\(f.number)\(f.status.chinese)(整改期限\(f.deadline.chinese)),不属于拒不整改或整改后仍不符合要求", field: field)
        }
        let mine = p.supervision.activeSanctions(x.kind).contains { $0.agencyOrganisationId == ctx.actor.organisationId }
        c.require(!mine, rule: "R-SUP-2", article: "第三十六条", "本部门对该项目的「\(x.kind.chinese)」正在执行中", field: "kind")
        switch x.kind {
        case .publicCriticism, .fundingHold:
            break
        case .suspension:
            let allowed = Stage.allCases.filter { suspendable.contains($0) }.map(\.chinese).joined(separator: "、")
            c.require(
                suspendable.contains(p.stage), rule: "R-SUP-2", article: "第三十六条",
                p.stage == .suspended ? "项目已暂停建设" : "项目处于「\(p.stage.chinese)」阶段,暂停项目建设只适用于: \(allowed)", field: "kind")
        case .termination:
            c.require(
                !p.supervision.sanctions.isEmpty, rule: "R-SUP-2", article: "第三十六条",
                "终止项目是最后的处理措施(「直至终止项目」),须此前已采取通报批评、暂缓拨付建设资金或暂停项目建设", field: "kind")
        }
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        for n in x.findingNumbers {
            guard let i = p.supervision.findings.firstIndex(where: { $0.number == n }),
                p.supervision.findings[i].status == .open
            else { continue }
            p.supervision.findings[i].status = .escalated
            p.supervision.findings[i].escalatedOn = ctx.today
            p.supervision.findings[i].escalationReason = "逾期未报送整改情况(拒不整改)"
        }
        var stageBefore: Stage?
        switch x.kind {
        case .publicCriticism:
            break
        case .fundingHold:
            p.fundingHold = true
        case .suspension:
            stageBefore = p.stage
            p.stageBeforeSuspension = p.stage
            p.stage = .suspended
        case .termination:
            stageBefore = p.stage
            p.stageBeforeSuspension = nil
            p.stage = .terminated
        }
        p.supervision.sanctions.append(
            Sanction(
                number: p.supervision.sanctions.count + 1, kind: x.kind, agency: ctx.actor.organisationType,
                agencyOrganisationId: ctx.actor.organisationId, findingNumbers: x.findingNumbers, reason: x.reason,
                documentNumber: x.documentNumber, decidedOn: ctx.today, stageBefore: stageBefore))
        let basis = x.findingNumbers.map(String.init).joined(separator: "、")
        return "\(ctx.actor.organisationType.chinese)对项目\(x.kind.chinese)(依据整改意见\(basis)): \(x.reason)"
    }
}

/// R-SUP-2 (第三十六条): the agency that applied a sanction lifts it, with a reason. Termination is
/// final. Lifting 暂停项目建设 restores the stage the project left; lifting 暂缓拨付 clears the
/// project's funding hold only when no other agency's hold remains.
public enum LiftSanction: ProjectActionRule {
    public struct Payload: Decodable, Sendable { public var sanctionNumber: Int; public var reason: String }
    public static let spec = ActionSpec(
        "lift-sanction", "解除处理措施", actors: Supervision.sanctioningAgencies,
        stages: Supervision.stages, rule: "R-SUP-2", article: "第三十六条")

    public static func conditions(_ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        p.supervision.activeSanctions().contains { $0.kind != .termination && $0.agencyOrganisationId == ctx.actor.organisationId }
            ? []
            : [Violation(rule: "R-SUP-2", article: "第三十六条", message: "本部门对该项目没有正在执行、可以解除的处理措施")]
    }

    public static func check(_ x: Payload, _ p: ProjectRecord, _ ctx: DecisionContext) -> [Violation] {
        var c = Checklist()
        if let v = Supervision.text(x.reason, "reason") { c.add(v) }
        guard let s = p.supervision.sanction(x.sanctionNumber) else {
            c.add(.input("sanctionNumber", "处理措施\(x.sanctionNumber)不存在"))
            return c.violations
        }
        if !c.isEmpty { return c.violations }
        c.require(s.kind != .termination, rule: "R-SUP-2", article: "第三十六条", "终止项目不能解除", field: "sanctionNumber")
        c.require(
            s.isActive, rule: "R-SUP-2", article: "第三十六条",
            "处理措施\(s.number)已于\(s.liftedOn?.chinese ?? "")解除", field: "sanctionNumber")
        c.require(
            s.agencyOrganisationId == ctx.actor.organisationId, rule: "R-SUP-2", article: "第三十六条",
            "处理措施\(s.number)(\(s.kind.chinese))由\(s.agency.chinese)采取,只能由其解除", field: "sanctionNumber")
        return c.violations
    }

    public static func apply(_ x: Payload, to p: inout ProjectRecord, _ ctx: DecisionContext) -> String {
        guard let i = p.supervision.sanctions.firstIndex(where: { $0.number == x.sanctionNumber }) else { return "" }
        p.supervision.sanctions[i].liftedOn = ctx.today
        p.supervision.sanctions[i].liftReason = x.reason
        let s = p.supervision.sanctions[i]
        switch s.kind {
        case .fundingHold:
            p.fundingHold = p.supervision.hasActiveFundingHold
        case .suspension where p.stage == .suspended:
            p.stage = p.stageBeforeSuspension ?? s.stageBefore ?? .constructing
            p.stageBeforeSuspension = nil
        default:
            break
        }
        return "解除处理措施\(s.number)(\(s.kind.chinese)): \(x.reason)"
    }
}
