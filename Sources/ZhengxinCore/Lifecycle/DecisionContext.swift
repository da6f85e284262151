import Foundation

/// Everything a rule may know besides the project: who asks, when, and under which policy.
public struct DecisionContext: Sendable {
    public var actor: Actor
    public var now: Instant
    public var policy: Policy
    /// R-REV-3: what the server's 查重 found for the project, when it loaded it for the action
    /// (the review opinion); nil elsewhere.
    public var similarity: SimilarityFacts? = nil

    public init(actor: Actor, now: Instant, policy: Policy) {
        self.actor = actor
        self.now = now
        self.policy = policy
    }

    /// Today in Beijing: the date rules count from.
    public var today: CivilDate { now.beijingDate }
}

/// The answer to "may this be done?".
public enum Decision: Sendable {
    /// Done: the project as it now stands and a one-line Chinese summary for the audit record.
    case accepted(ProjectRecord, summary: String)
    /// Not done: every unmet condition. Nothing changes.
    case refused([Violation])
    /// Not this caller's action at all (another agency's, or an account without 经办 rights).
    case forbidden(String)
}

/// What kind of refusal a set of violations is, for choosing an HTTP status and error code.
public enum RefusalKind: String, Sendable {
    case invalidInput = "INVALID_INPUT"
    case wrongStage = "WRONG_STAGE"
    case ruleViolation = "RULE_VIOLATION"

    public init(_ violations: [Violation]) {
        if violations.allSatisfy(\.isInputError) {
            self = .invalidInput
        } else if violations.contains(where: { $0.rule == Lifecycle.stageRule }) {
            self = .wrongStage
        } else {
            self = .ruleViolation
        }
    }
}
