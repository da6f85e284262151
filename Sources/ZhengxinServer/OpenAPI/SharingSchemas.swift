import ZhengxinCore

/// Request bodies of the sharing actions, in PayloadSchemas' notation.
enum SharingSchemas {
    static let actions: [String: String] = [:]
    static let components: [String: String] = [:]
    static let enums: [String: [String]] = [:]
}
