import ZhengxinCore

/// Request bodies of the security actions, in PayloadSchemas' notation.
enum SecuritySchemas {
    static let actions: [String: String] = [:]
    static let components: [String: String] = [:]
    static let enums: [String: [String]] = [:]
}
