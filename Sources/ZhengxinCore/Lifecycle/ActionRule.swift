import Foundation

/// What an action is: its wire name, Chinese title, who may take it, in which stages, under which article.
public struct ActionSpec: Sendable, Hashable {
    public let name: String
    public let title: String
    public let actors: Set<OrganisationType>
    public let stages: Set<Stage>
    public let rule: String
    public let article: String

    public init(_ name: String, _ title: String, actors: Set<OrganisationType>, stages: Set<Stage>, rule: String, article: String) {
        self.name = name
        self.title = title
        self.actors = actors
        self.stages = stages
        self.rule = rule
        self.article = article
    }
}

/// One action on a project. Rules are split so the "what can I do now" view and the action
/// itself agree: `conditions` depend only on the project and the moment; `check` adds what
/// depends on the request; `apply` changes the record once nothing is unmet.
public protocol ProjectActionRule {
    associatedtype Payload: Decodable & Sendable
    static var spec: ActionSpec { get }
    static func conditions(_ project: ProjectRecord, _ ctx: DecisionContext) -> [Violation]
    static func check(_ payload: Payload, _ project: ProjectRecord, _ ctx: DecisionContext) -> [Violation]
    static func apply(_ payload: Payload, to project: inout ProjectRecord, _ ctx: DecisionContext) -> String
}

extension ProjectActionRule {
    public static func conditions(_ project: ProjectRecord, _ ctx: DecisionContext) -> [Violation] { [] }
}

/// A payload for actions that take no fields.
public struct EmptyPayload: Decodable, Sendable {
    public init() {}
}

/// Type-erased entry of the action catalog.
public struct AnyActionRule: Sendable {
    public let spec: ActionSpec
    let conditions: @Sendable (ProjectRecord, DecisionContext) -> [Violation]
    let perform: @Sendable (Data, ProjectRecord, DecisionContext) -> Decision

    init<R: ProjectActionRule>(_ rule: R.Type) {
        spec = R.spec
        conditions = { R.conditions($0, $1) }
        perform = { data, project, ctx in
            // Whose action it is comes before what the body says: another agency gets 403, not a field error.
            if let reason = Lifecycle.forbiddenReason(R.spec, ctx.actor, on: project) { return .forbidden(reason) }
            switch PayloadDecoding.decode(R.Payload.self, from: data) {
            case .failure(let invalid): return .refused(invalid.violations)
            case .success(let payload): return Lifecycle.perform(R.self, payload, on: project, ctx)
            }
        }
    }
}
