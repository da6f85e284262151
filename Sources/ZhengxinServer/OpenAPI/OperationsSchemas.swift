import ZhengxinCore

/// Request bodies of the operations actions, in PayloadSchemas' notation.
enum OperationsSchemas {
    static let actions: [String: String] = [:]
    static let components: [String: String] = [:]
    static let enums: [String: [String]] = [:]
}
