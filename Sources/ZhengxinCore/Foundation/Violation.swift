/// One unmet condition: which rule, which article of the Measures, and what is wrong, in Chinese.
/// Rules return every violation at once so a refusal explains itself completely.
public struct Violation: Hashable, Sendable, Codable {
    /// Rule id, family and number, e.g. "R-ACC-4" (`grep -rn 'rule: "R-ACC-4'` finds it); "INPUT" for a
    /// malformed field that no article speaks to.
    public var rule: String
    /// 第N条, or nil for input errors.
    public var article: String?
    public var message: String
    /// The request field at fault, when there is one.
    public var field: String?

    public init(rule: String, article: String?, message: String, field: String? = nil) {
        self.rule = rule
        self.article = article
        self.message = message
        self.field = field
    }

    public static func input(_ field: String, _ message: String) -> Violation {
        Violation(rule: "INPUT", article: nil, message: message, field: field)
    }

    public var isInputError: Bool { rule == "INPUT" }
}

/// Collects violations; `require` reads like the rule text.
public struct Checklist: Sendable {
    public private(set) var violations: [Violation] = []
    public init() {}

    public mutating func require(_ condition: Bool, _ violation: @autoclosure () -> Violation) {
        if !condition { violations.append(violation()) }
    }

    public mutating func require(
        _ condition: Bool, rule: String, article: String?, _ message: @autoclosure () -> String, field: String? = nil
    ) {
        if !condition { violations.append(Violation(rule: rule, article: article, message: message(), field: field)) }
    }

    public mutating func add(_ v: Violation) { violations.append(v) }
    public mutating func add(_ vs: [Violation]) { violations.append(contentsOf: vs) }

    public var isEmpty: Bool { violations.isEmpty }
}
