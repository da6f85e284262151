import ZhengxinCore

/// Request bodies of the supervision actions, in PayloadSchemas' notation.
enum SupervisionSchemas {
    static let actions: [String: String] = [:]
    static let components: [String: String] = [:]
    static let enums: [String: [String]] = [:]
}
