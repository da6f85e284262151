import Foundation

/// The project lifecycle, declaration to final acceptance and beyond, as one catalog of actions, and the
/// two questions asked of it: "do this" and "what can I do now".
public enum Lifecycle {
    /// Rule id of an action taken in the wrong stage (out of order).
    public static let stageRule = "R-STAGE"

    public static let catalog: [AnyActionRule] =
        DeclarationActions.all + ReviewActions.all
        + ApprovalActions.all + FundingActions.all + ConstructionActions.all + IncidentActions.all
        + ChangeActions.all + AcceptanceActions.all + DocumentActions.all
        + OperationsActions.all + SecurityActions.all + SharingActions.all + SupervisionActions.all + PerformanceActions.all

    public static func rule(named name: String) -> AnyActionRule? { catalog.first { $0.spec.name == name } }

    /// Whether the caller's organisation and role let it take the action at all.
    public static func forbiddenReason(_ spec: ActionSpec, _ actor: Actor) -> String? {
        guard actor.canAct else { return "当前账号(\(actor.roles.map(\.chinese).sorted().joined(separator: "、")))无经办权限,不能办理「\(spec.title)」" }
        guard spec.actors.contains(actor.organisationType) else {
            let who = spec.actors.map(\.chinese).sorted().joined(separator: "、")
            return "「\(spec.title)」由\(who)办理,\(actor.organisationType.chinese)不能办理(\(spec.article))"
        }
        return nil
    }

    /// The same, and for a unit whether the project is its own: a unit acts only on its own
    /// organisation's projects (第三条).
    public static func forbiddenReason(_ spec: ActionSpec, _ actor: Actor, on project: ProjectRecord) -> String? {
        if let reason = forbiddenReason(spec, actor) { return reason }
        if actor.organisationType == .unit && actor.organisationId != project.unitId {
            return "项目「\(project.name)」不属于本单位,不能办理「\(spec.title)」(第三条)"
        }
        return nil
    }

    static func stageViolation(_ spec: ActionSpec, _ project: ProjectRecord) -> Violation? {
        guard !spec.stages.contains(project.stage) else { return nil }
        let allowed = Stage.allCases.filter { spec.stages.contains($0) }.map(\.chinese).joined(separator: "、")
        return Violation(
            rule: stageRule, article: spec.article,
            message: "项目当前处于「\(project.stage.chinese)」阶段,「\(spec.title)」只能在以下阶段办理: \(allowed)")
    }

    /// Decide and, if nothing is unmet, apply. Input errors are reported alone (the rules cannot
    /// be judged on a malformed request); otherwise every unmet condition is reported at once.
    public static func perform<R: ProjectActionRule>(
        _ rule: R.Type, _ payload: R.Payload, on project: ProjectRecord, _ ctx: DecisionContext
    ) -> Decision {
        if let reason = forbiddenReason(R.spec, ctx.actor, on: project) { return .forbidden(reason) }
        let checked = R.check(payload, project, ctx)
        let inputErrors = checked.filter(\.isInputError)
        if !inputErrors.isEmpty { return .refused(inputErrors) }
        var unmet: [Violation] = []
        if let stage = stageViolation(R.spec, project) { unmet.append(stage) } else { unmet += R.conditions(project, ctx) }
        unmet += checked
        if !unmet.isEmpty { return .refused(unmet) }
        var next = project
        let summary = R.apply(payload, to: &next, ctx)
        return .accepted(next, summary: summary)
    }

    /// The same by wire name with a JSON body, as the API and CLI receive it.
    public static func perform(action name: String, body: Data, on project: ProjectRecord, _ ctx: DecisionContext) -> Decision? {
        guard let rule = rule(named: name) else { return nil }
        return rule.perform(body, project, ctx)
    }

    /// Every action of the project's current stage, whose it is, and what still stands in its way.
    public static func availableActions(_ project: ProjectRecord, _ ctx: DecisionContext) -> [ActionAvailability] {
        catalog.filter { $0.spec.stages.contains(project.stage) }.map { rule in
            let forbidden = forbiddenReason(rule.spec, ctx.actor, on: project)
            let unmet = rule.conditions(project, ctx)
            return ActionAvailability(
                action: rule.spec.name, title: rule.spec.title,
                actors: rule.spec.actors.map(\.rawValue).sorted(),
                rule: rule.spec.rule, article: rule.spec.article,
                allowedForCaller: forbidden == nil, open: forbidden == nil && unmet.isEmpty,
                unmetConditions: unmet)
        }
    }
}

/// One line of the "what can I do now" answer.
public struct ActionAvailability: Codable, Sendable, Hashable {
    public var action: String
    public var title: String
    public var actors: [String]
    public var rule: String
    public var article: String
    /// The caller's organisation and role may take it.
    public var allowedForCaller: Bool
    /// Allowed for the caller and nothing unmet now (the request itself may still be refused).
    public var open: Bool
    public var unmetConditions: [Violation]
}
